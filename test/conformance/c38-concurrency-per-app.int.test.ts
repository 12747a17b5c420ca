import { describe, expect, it } from 'vitest';
import { exchange, registerWebClient, webCode } from '../helpers/oauth-flow.ts';
import { OVERLAP_MS, type Tokens, useSandbox } from '../helpers/sandbox.ts';

/**
 * ZOHO-API.md §8: the concurrency limit is per app per org — two applications connected to one
 * org each have the edition's limit, and one app's burst never takes the other's places.
 */
describe('conformance 38: concurrent calls are counted per app and org', () => {
  const s = useSandbox();

  it('two apps of one Free org each make 5 calls at once; a 6th of either is refused', async () => {
    // Free edition: 5 at once. Each call is held two seconds, so the calls of a burst overlap.
    const org = await s.client.createOrg({ edition: 'free', latency_ms: OVERLAP_MS });
    const selfClient = await s.client.tokens(org, 'ZohoCRM.org.READ');
    const app = await registerWebClient(s.client);
    const { code, accountsServer } = await webCode(s.client, org, app, { scope: 'ZohoCRM.org.READ' });
    const web = (await exchange(s.client, accountsServer, app, code)).body as Pick<
      Tokens,
      'access_token' | 'api_domain'
    >;
    expect(web.access_token).toBeTruthy();

    const burst = (tokens: Pick<Tokens, 'access_token' | 'api_domain'>, n: number) =>
      Array.from({ length: n }, () => s.client.api(tokens, 'GET', '/org'));
    const [a, b] = await Promise.all([Promise.all(burst(selfClient, 6)), Promise.all(burst(web, 6))]);
    for (const results of [a, b]) {
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    }
  });
});
