import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { addExistingCustomer } from './sandbox-crm.ts';

const input = {
  name: 'Grace Hopper',
  email: 'grace@compilers.example',
  dealName: 'Demo',
  stage: 'Qualification',
  ownerEmail: undefined,
};

/** A server answering every request with `status` and `body`; its origin. */
async function answering(status: number, body: unknown): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((_req, res) => res.writeHead(status).end(JSON.stringify(body)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}

describe('adding an existing customer through the sandbox admin API', () => {
  it('a sandbox that does not answer, or answers an error or another shape, is "unavailable", not a crash', async () => {
    const down = await answering(200, {});
    down.close();
    for (const server of [
      down,
      await answering(404, { error: { message: 'no org' } }),
      await answering(200, []),
    ]) {
      const result = await addExistingCustomer(server.url, '700', input);
      server.close();
      expect(result).toMatchObject({ ok: false, code: 'unavailable' });
    }
  });
});
