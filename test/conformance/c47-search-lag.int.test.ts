import { describe, expect, it } from 'vitest';
import { type CreatedOrg, type Tokens, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 47: search lags records written through the API, by default', () => {
  const s = useSandbox();

  const search = (tokens: Tokens, email: string) =>
    s.client.api(tokens, 'GET', `/Contacts/search?email=${encodeURIComponent(email)}`);
  const ids = (body: { data: Array<{ id: string }> }) => body.data.map((r) => r.id);
  const lagOf = async (org: CreatedOrg) =>
    (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}`)).body.search_lag_ms as number;

  it('hides a record inserted through the API for a few seconds in a default org', async () => {
    const org = await s.client.createOrg();
    const lag = await lagOf(org);
    expect(lag).toBeGreaterThanOrEqual(2_000);
    expect(lag).toBeLessThanOrEqual(10_000);
    const tokens = await s.client.tokens(org);
    const email = uniqueEmail('fresh');
    const created = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Fresh', Email: email }],
    });
    const id = created.body.data[0].details.id;
    // Get and list see it at once; search does not.
    expect((await s.client.api(tokens, 'GET', `/Contacts/${id}`)).status).toBe(200);
    expect((await search(tokens, email)).status).toBe(204);
    await s.client.advanceClock(lag / 1000);
    const later = await search(tokens, email);
    expect(later.status).toBe(200);
    expect(ids(later.body)).toEqual([id]);
  });

  it('finds records seeded through the admin API at once: they stand for data already there', async () => {
    const org = await s.client.createOrg();
    const email = uniqueEmail('seeded');
    const [id] = await s.client.seed(org, 'Contacts', [{ Last_Name: 'Seeded', Email: email }]);
    const tokens = await s.client.tokens(org);
    const res = await search(tokens, email);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([id]);
    // A person's edit in the UI is searchable at once too.
    const changed = uniqueEmail('edited');
    await s.client.json('PATCH', `/__sandbox/orgs/${org.org_id}/records/Contacts/${id}`, { Email: changed });
    expect(ids((await search(tokens, changed)).body)).toEqual([id]);
  });

  it('has no lag in an org created with search_lag_ms: 0', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    expect(await lagOf(org)).toBe(0);
    const tokens = await s.client.tokens(org);
    const email = uniqueEmail('instant');
    const created = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Now', Email: email }],
    });
    expect(ids((await search(tokens, email)).body)).toEqual([created.body.data[0].details.id]);
  });

  it('keeps finding an updated record by its old values until the lag has passed, then by the new ones', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 5_000 });
    const before = uniqueEmail('before');
    const after = uniqueEmail('after');
    const [id] = await s.client.seed(org, 'Contacts', [{ Last_Name: 'Mover', Email: before }]);
    const tokens = await s.client.tokens(org);
    const put = await s.client.api(tokens, 'PUT', `/Contacts/${id}`, { data: [{ Email: after }] });
    expect(put.status).toBe(200);
    // The index still holds the old entry: the old address finds the record, the new one not yet.
    const old = await search(tokens, before);
    expect(ids(old.body)).toEqual([id]);
    expect(old.body.data[0].Email).toBe(after);
    expect((await search(tokens, after)).status).toBe(204);
    await s.client.advanceClock(5);
    expect((await search(tokens, before)).status).toBe(204);
    expect(ids((await search(tokens, after)).body)).toEqual([id]);
  });
});
