import { describe, expect, it } from 'vitest';
import { type CreatedOrg, OVERLAP_MS, type Tokens, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 28: concurrency and API credits', () => {
  const s = useSandbox();

  const creditsUsed = async (org: CreatedOrg) =>
    (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}`)).body.limits.credits_used as number;
  const burst = (tokens: Tokens, n: number, path: string) =>
    Promise.all(Array.from({ length: n }, () => s.client.api(tokens, 'GET', path)));

  it('answers calls beyond the edition’s concurrent limit with 429 TOO_MANY_REQUESTS and no Retry-After', async () => {
    // Free edition: 5 concurrent calls. Each call is held two seconds, so 8 at once overlap.
    const org = await s.client.createOrg({ edition: 'free', latency_ms: OVERLAP_MS });
    const tokens = await s.client.tokens(org);
    const results = await burst(tokens, 8, '/org');
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    for (const r of results.filter((x) => x.status === 429)) {
      expect(r.body).toEqual({
        code: 'TOO_MANY_REQUESTS',
        details: {},
        message: expect.any(String),
        status: 'error',
      });
      expect(r.headers.get('retry-after')).toBeNull();
    }
    // Refused calls cost no credits, and the slots are free again once the calls end.
    expect(await creditsUsed(org)).toBe(5);
    const after = await s.client.api(tokens, 'GET', '/org');
    expect(after.status).toBe(200);
  });

  it('follows the edition: a standard org takes 10 at once', async () => {
    const org = await s.client.createOrg({ edition: 'standard', latency_ms: OVERLAP_MS });
    const tokens = await s.client.tokens(org);
    const results = await burst(tokens, 12, '/org');
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(2);
  });

  it('limits heavy calls (search) to 10 at once even in a larger edition', async () => {
    const org = await s.client.createOrg({ edition: 'enterprise', latency_ms: OVERLAP_MS });
    const tokens = await s.client.tokens(org);
    const results = await burst(tokens, 12, `/Contacts/search?email=${encodeURIComponent('x@example.com')}`);
    // No match: the calls that get through answer 204.
    expect(results.filter((r) => r.status === 204)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429).map((r) => r.body.code)).toEqual([
      'TOO_MANY_REQUESTS',
      'TOO_MANY_REQUESTS',
    ]);
  });

  it('refuses calls once the credits are spent, until the 24-hour window rolls past them', async () => {
    const org = await s.client.createOrg({ credits_per_day: 3 });
    const tokens = await s.client.tokens(org);
    for (let i = 0; i < 3; i++) expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(200);
    const refused = await s.client.api(tokens, 'GET', '/org');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      code: 'LIMIT_EXCEEDED',
      status: 'error',
      message: expect.any(String),
    });
    expect(refused.headers.get('retry-after')).toBeNull();
    const write = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Too late' }] });
    expect(write.status).toBe(429);
    expect(await creditsUsed(org)).toBe(3);

    // Half a day later the window still holds the three calls.
    await s.client.advanceClock(12 * 60 * 60);
    const midTokens = await s.client.tokens(org);
    expect((await s.client.api(midTokens, 'GET', '/org')).status).toBe(429);

    // A full day after them they have rolled out: service resumes, for three calls again.
    await s.client.advanceClock(12 * 60 * 60 + 1);
    const dayTokens = await s.client.tokens(org);
    for (let i = 0; i < 3; i++) expect((await s.client.api(dayTokens, 'GET', '/org')).status).toBe(200);
    expect((await s.client.api(dayTokens, 'GET', '/org')).status).toBe(429);
  });

  it('charges an insert one credit per 10 records', async () => {
    const org = await s.client.createOrg({ credits_per_day: 3 });
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Contacts', {
      data: Array.from({ length: 25 }, (_, i) => ({ Last_Name: `Bulk ${i}` })),
    });
    expect(res.status).toBe(201);
    expect(await creditsUsed(org)).toBe(3);
    expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(429);
  });
});
