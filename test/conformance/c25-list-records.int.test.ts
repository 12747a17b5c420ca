import { describe, expect, it } from 'vitest';
import { type CreatedOrg, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 25: listing records', () => {
  const s = useSandbox();

  const seedContacts = async (org: CreatedOrg, n: number) => {
    const res = await s.client.json('POST', `/__sandbox/orgs/${org.org_id}/records`, {
      module: 'Contacts',
      data: Array.from({ length: n }, (_, i) => ({ Last_Name: `Person ${i}`, Email: `p${i}@example.com` })),
    });
    expect(res.status).toBe(201);
    return res.body.data.map((d: { details: { id: string } }) => d.details.id) as string[];
  };

  it('refuses a list without fields with 400 REQUIRED_PARAM_MISSING', async () => {
    const org = await s.client.createOrg();
    await seedContacts(org, 1);
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'GET', '/Contacts');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'REQUIRED_PARAM_MISSING',
      details: { param_name: 'fields' },
      message: 'One of the expected parameter is missing',
      status: 'error',
    });
    const related = await s.client.api(tokens, 'GET', `/Contacts/${(await seedContacts(org, 1))[0]}/Notes`);
    expect(related.status).toBe(400);
    expect(related.body.code).toBe('REQUIRED_PARAM_MISSING');
  });

  it('returns only the requested fields, plus id', async () => {
    const org = await s.client.createOrg();
    const [id] = await seedContacts(org, 1);
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'GET', '/Contacts?fields=Last_Name,Email');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([{ id, Last_Name: 'Person 0', Email: 'p0@example.com' }]);
  });

  it('refuses per_page above 200 and accepts 200', async () => {
    const org = await s.client.createOrg();
    await seedContacts(org, 1);
    const tokens = await s.client.tokens(org);
    const over = await s.client.api(tokens, 'GET', '/Contacts?fields=Last_Name&per_page=201');
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({
      code: 'INVALID_DATA',
      status: 'error',
      details: { param_name: 'per_page' },
    });
    const max = await s.client.api(tokens, 'GET', '/Contacts?fields=Last_Name&per_page=200');
    expect(max.status).toBe(200);
    expect(max.body.info.per_page).toBe(200);
  });

  it('reports info.more_records correctly across pages and covers every record once', async () => {
    const org = await s.client.createOrg();
    const ids = await seedContacts(org, 5);
    const tokens = await s.client.tokens(org);
    const seen: string[] = [];
    const infos: unknown[] = [];
    for (const page of [1, 2, 3]) {
      const res = await s.client.api(tokens, 'GET', `/Contacts?fields=Last_Name&per_page=2&page=${page}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((r: { id: string }) => r.id));
      const { per_page, count, page: p, more_records } = res.body.info;
      infos.push({ per_page, count, page: p, more_records });
    }
    expect(infos).toEqual([
      { per_page: 2, count: 2, page: 1, more_records: true },
      { per_page: 2, count: 2, page: 2, more_records: true },
      { per_page: 2, count: 1, page: 3, more_records: false },
    ]);
    expect([...seen].sort()).toEqual([...ids].sort());
    const beyond = await s.client.api(tokens, 'GET', '/Contacts?fields=Last_Name&per_page=2&page=4');
    expect(beyond.status).toBe(204);
    expect(beyond.text).toBe('');
    // Exactly one page's worth: no more records.
    const exact = await s.client.api(tokens, 'GET', '/Contacts?fields=Last_Name&per_page=5');
    expect(exact.body.info).toMatchObject({ count: 5, more_records: false });
  });

  it('answers 204 with an empty body for an empty module', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'GET', '/Leads?fields=Last_Name');
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  it('refuses page numbers beyond the first 2,000 records', async () => {
    const org = await s.client.createOrg();
    await seedContacts(org, 1);
    const tokens = await s.client.tokens(org);
    const last = await s.client.api(tokens, 'GET', '/Contacts?fields=Last_Name&per_page=200&page=10');
    expect(last.status).toBe(204);
    const beyond = await s.client.api(tokens, 'GET', '/Contacts?fields=Last_Name&per_page=200&page=11');
    expect(beyond.status).toBe(400);
    expect(beyond.body).toMatchObject({
      code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
      status: 'error',
      details: { limit: 2000 },
    });
  });
});
