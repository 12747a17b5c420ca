import { describe, expect, it } from 'vitest';
import { OVERLAP_MS, type Tokens, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 53: writes of more than 10 records are heavy: 10 at once per org and client', () => {
  const s = useSandbox();

  const contacts = (n: number, tag: string) =>
    Array.from({ length: n }, (_, i) => ({ Last_Name: `${tag} ${i}` }));
  const inserts = (tokens: Tokens, calls: number, records: number) =>
    Promise.all(
      Array.from({ length: calls }, (_, i) =>
        s.client.api(tokens, 'POST', '/Contacts', { data: contacts(records, `call ${i}`) }),
      ),
    );
  const count = (results: Array<{ status: number }>, status: number) =>
    results.filter((r) => r.status === status).length;

  it('refuses the 11th concurrent insert of 11 records with 429, though the edition allows 20 calls', async () => {
    // Each call is held two seconds, so the calls of one burst overlap.
    const org = await s.client.createOrg({ edition: 'enterprise', latency_ms: OVERLAP_MS, search_lag_ms: 0 });
    const tokens = await s.client.tokens(org);
    const results = await inserts(tokens, 12, 11);
    expect(count(results, 201)).toBe(10);
    expect(count(results, 429)).toBe(2);
    for (const r of results.filter((x) => x.status === 429)) {
      expect(r.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 'error' });
      expect(r.headers.get('retry-after')).toBeNull();
    }
  });

  it('lets 12 concurrent inserts of 10 records through: they are not heavy', async () => {
    const org = await s.client.createOrg({ edition: 'enterprise', latency_ms: OVERLAP_MS, search_lag_ms: 0 });
    const tokens = await s.client.tokens(org);
    const results = await inserts(tokens, 12, 10);
    expect(count(results, 201)).toBe(12);
  });

  it('counts updates of more than 10 records and searches in the same sub-limit', async () => {
    const org = await s.client.createOrg({ edition: 'enterprise', latency_ms: OVERLAP_MS, search_lag_ms: 0 });
    const ids = await s.client.seed(org, 'Contacts', contacts(11, 'seeded'));
    const tokens = await s.client.tokens(org);
    const searches = Array.from({ length: 10 }, () =>
      s.client.api(tokens, 'GET', `/Contacts/search?email=${encodeURIComponent('x@example.com')}`),
    );
    const update = s.client.api(tokens, 'PUT', '/Contacts', {
      data: ids.map((id) => ({ id, Title: 'CEO' })),
    });
    const light = s.client.api(tokens, 'PUT', '/Contacts', {
      data: ids.slice(0, 10).map((id) => ({ id, Title: 'CFO' })),
    });
    const results = await Promise.all([...searches, update]);
    // Eleven heavy calls at once: exactly one is refused, whichever arrived last.
    expect(count(results, 429)).toBe(1);
    expect((await light).status).toBe(200);
  });
});
