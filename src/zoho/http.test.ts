import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchHttp, undiciHttp, type ZohoHttp } from './http.ts';

/**
 * The CRM API's HTTP client (and the fetch adapter tests use in its place) against a local
 * server: what is sent, what is read back, redirects handed back as they are, the time limit.
 */
interface Hit {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe.each([
  ['undici request', undiciHttp],
  ['fetch', fetchHttp(fetch)],
] as Array<[string, ZohoHttp]>)('the CRM HTTP client (%s)', (_name, send) => {
  const hits: Hit[] = [];
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        hits.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        if (req.url === '/redirect') res.writeHead(307, { location: `${base}/elsewhere` }).end();
        // Headers at once, then a body that never ends.
        else if (req.url === '/stall')
          res.writeHead(200, { 'content-type': 'application/json' }).write('{"da');
        // No answer at all.
        else if (req.url === '/silent') return;
        else
          res
            .writeHead(201, { 'content-type': 'application/json', 'x-zoho-thing': ['a', 'b'] })
            .end(JSON.stringify({ data: [{ code: 'SUCCESS' }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('sends the method, headers and body, and reads the status, headers and whole reply', async () => {
    const reply = await send(new URL(`${base}/crm/v8/Notes?x=1`), {
      method: 'POST',
      headers: { authorization: 'Zoho-oauthtoken t0k', 'content-type': 'application/json' },
      body: '{"data":[{"Note_Title":"Call"}]}',
      timeoutMs: 30_000,
    });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('Content-Type')).toBe('application/json');
    expect(reply.headers.get('x-zoho-thing')).toBe('a, b');
    expect(reply.headers.get('absent')).toBeNull();
    expect(JSON.parse(reply.text)).toEqual({ data: [{ code: 'SUCCESS' }] });
    const hit = hits.at(-1)!;
    expect(hit).toMatchObject({
      method: 'POST',
      url: '/crm/v8/Notes?x=1',
      body: '{"data":[{"Note_Title":"Call"}]}',
    });
    expect(hit.headers.authorization).toBe('Zoho-oauthtoken t0k');
    expect(hit.headers['content-length']).toBe('32');
  });

  it('hands a redirect back as it is: where it points is never asked', async () => {
    const before = hits.length;
    const reply = await send(new URL(`${base}/redirect`), {
      method: 'GET',
      headers: { authorization: 'Zoho-oauthtoken t0k' },
      timeoutMs: 30_000,
    });
    expect(reply.status).toBe(307);
    expect(reply.headers.get('location')).toBe(`${base}/elsewhere`);
    expect(hits.slice(before).map((h) => h.url)).toEqual(['/redirect']);
  });

  it.each(['/stall', '/silent'])(
    'fails with a TimeoutError when the whole reply has not come within the time (%s)',
    async (path) => {
      const err = await send(new URL(`${base}${path}`), { method: 'GET', headers: {}, timeoutMs: 200 }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as Error).name).toBe('TimeoutError');
    },
  );
});
