import { describe, expect, it } from 'vitest';
import { type CreatedOrg, OVERLAP_MS, type Tokens, useSandbox } from '../helpers/sandbox.ts';

interface Entry {
  code: string;
  details: { response?: { status_code: number; body: any } } & Record<string, unknown>;
}

const SCOPES =
  'ZohoCRM.modules.ALL,ZohoCRM.org.READ,ZohoCRM.settings.ALL,ZohoCRM.composite_requests.CUSTOM,ZohoSearch.securesearch.READ';
const orgCall = { method: 'GET', uri: '/crm/v8/org' };

describe('conformance 45: a composite request saves round trips, not concurrency', () => {
  const s = useSandbox();

  const composite = (
    tokens: Tokens,
    subs: Array<Record<string, unknown>>,
    extra: Record<string, unknown> = {},
  ) =>
    s.client.api<{ __composite_requests: Entry[]; code?: string; details?: Record<string, unknown> }>(
      tokens,
      'POST',
      '/__composite_requests',
      { ...extra, __composite_requests: subs },
    );
  const creditsUsed = async (org: CreatedOrg) =>
    (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}`)).body.limits.credits_used as number;

  it('takes at most five sub-requests', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org, SCOPES);
    expect((await composite(tokens, Array(5).fill(orgCall))).status).toBe(200);
    const six = await composite(tokens, Array(6).fill(orgCall));
    expect(six.status).toBe(400);
    expect(six.body).toMatchObject({
      code: 'INVALID_DATA',
      status: 'error',
      details: { api_name: '__composite_requests', maximum_length: 5 },
    });
  });

  it('costs one credit for five sub-requests', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org, SCOPES);
    await composite(tokens, [
      orgCall,
      { method: 'GET', uri: '/crm/v8/users', params: { type: 'CurrentUser' } },
      { method: 'GET', uri: '/crm/v8/settings/modules' },
      { method: 'POST', uri: '/crm/v8/Contacts', body: { data: [{ Last_Name: 'One' }] } },
      { method: 'POST', uri: '/crm/v8/Contacts', body: { data: [{ Last_Name: 'Two' }] } },
    ]);
    expect(await creditsUsed(org)).toBe(1);
  });

  it('counts as five calls toward the org’s concurrency limit', async () => {
    // Standard edition: 10 at once. Each call is held two seconds, so three composites overlap.
    const org = await s.client.createOrg({ edition: 'standard', latency_ms: OVERLAP_MS });
    const tokens = await s.client.tokens(org, SCOPES);
    const three = await Promise.all([1, 2, 3].map(() => composite(tokens, [orgCall])));
    expect(three.map((r) => r.status).sort()).toEqual([200, 200, 429]);
    expect(three.find((r) => r.status === 429)!.body).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // Free edition (5 at once): a composite alone fits, but not beside a plain call.
    const free = await s.client.createOrg({ edition: 'free', latency_ms: OVERLAP_MS });
    const freeTokens = await s.client.tokens(free, SCOPES);
    expect((await composite(freeTokens, [orgCall])).status).toBe(200);
    const pair = await Promise.all([
      composite(freeTokens, [orgCall]),
      s.client.api(freeTokens, 'GET', '/org'),
    ]);
    expect(pair.map((r) => r.status).filter((st) => st === 429)).toHaveLength(1);
  });

  it('holds one of the heavy calls’ ten places (as ten searches do between them)', async () => {
    const org = await s.client.createOrg({ edition: 'enterprise', latency_ms: OVERLAP_MS });
    const tokens = await s.client.tokens(org, SCOPES);
    const searches = Array.from({ length: 10 }, () =>
      s.client.api(tokens, 'GET', `/Contacts/search?email=${encodeURIComponent('x@example.com')}`),
    );
    const results = await Promise.all([...searches, composite(tokens, [orgCall])]);
    // 15 calls' worth of the 20 allowed, but 11 heavy ones: exactly one is refused.
    expect(results.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('a write sub-request carries one record; reads give at most 25 records', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org, SCOPES);
    await s.client.seed(
      org,
      'Contacts',
      Array.from({ length: 30 }, (_, i) => ({ Last_Name: `Seeded ${i}` })),
    );
    const res = await composite(tokens, [
      { method: 'POST', uri: '/crm/v8/Contacts', body: { data: [{ Last_Name: 'A' }, { Last_Name: 'B' }] } },
      { method: 'GET', uri: '/crm/v8/Contacts', params: { fields: 'Last_Name' } },
      { method: 'GET', uri: '/crm/v8/Contacts', params: { fields: 'Last_Name', per_page: 26 } },
      { method: 'GET', uri: '/crm/v8/settings/fields', params: { module: 'Contacts' } },
    ]);
    expect(res.status).toBe(200);
    const [write, list, tooMany, fields] = res.body.__composite_requests;
    expect(write!.details.response).toMatchObject({
      status_code: 400,
      body: { code: 'LIMIT_EXCEEDED', details: { limit: 1 }, status: 'error' },
    });
    expect((await s.client.records(org, 'Contacts')).some((c) => c.Last_Name === 'A')).toBe(false);
    expect(list!.details.response!.body.data).toHaveLength(25);
    expect(list!.details.response!.body.info).toMatchObject({ per_page: 25, more_records: true });
    expect(tooMany!.details.response).toMatchObject({
      status_code: 400,
      body: { code: 'LIMIT_EXCEEDED', details: { limit: 25 } },
    });
    // Metadata reads are not limited.
    expect(fields!.details.response!.body.fields.length).toBeGreaterThan(5);
  });
});
