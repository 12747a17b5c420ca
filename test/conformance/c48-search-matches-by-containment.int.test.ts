import { describe, expect, it } from 'vitest';
import { type Tokens, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 48: search matches by containment, in every email field, and several records share an email', () => {
  const s = useSandbox();

  const search = (tokens: Tokens, module: string, query: string) =>
    s.client.api(tokens, 'GET', `/${module}/search?${query}`);
  const ids = (res: { body: { data: Array<{ id: string }> } }) => res.body.data.map((r) => r.id).sort();
  const criteria = (c: string) => `criteria=${encodeURIComponent(c)}`;

  it('matches criteria equals on a text field like contains: "ABC" also finds "ABC Inc"', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const [abc, abcInc, other] = await s.client.seed(org, 'Leads', [
      { Last_Name: 'One', Company: 'ABC' },
      { Last_Name: 'Two', Company: 'ABC Inc' },
      { Last_Name: 'Three', Company: 'XYZ Ltd' },
    ]);
    const tokens = await s.client.tokens(org);
    const res = await search(tokens, 'Leads', criteria('(Company:equals:ABC)'));
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([abc, abcInc].sort());
    expect(ids(res)).not.toContain(other);
  });

  it('answers criteria (Email:equals:…) with addresses that only contain the one asked for', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const [exact, longer] = await s.client.seed(org, 'Contacts', [
      { Last_Name: 'Exact', Email: 'jo@example.com' },
      { Last_Name: 'Longer', Email: 'bojo@example.com' },
      { Last_Name: 'Unrelated', Email: 'amy@example.com' },
    ]);
    const tokens = await s.client.tokens(org);
    const res = await search(tokens, 'Contacts', criteria('(Email:equals:jo@example.com)'));
    expect(ids(res)).toEqual([exact, longer].sort());
  });

  it('searches every email field with email=, matching by containment too', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const [primary, secondary, containing] = await s.client.seed(org, 'Contacts', [
      { Last_Name: 'Primary', Email: 'pat@example.com' },
      { Last_Name: 'Secondary', Email: 'other@example.com', Secondary_Email: 'PAT@example.com' },
      { Last_Name: 'Containing', Email: 'spat@example.com' },
      { Last_Name: 'Elsewhere', Email: 'pat@example.org' },
    ]);
    const tokens = await s.client.tokens(org);
    const res = await search(tokens, 'Contacts', `email=${encodeURIComponent('pat@example.com')}`);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([primary, secondary, containing].sort());
    expect(res.body.info).toMatchObject({ count: 3, more_records: false });
  });

  it('returns every record that shares one email (no field is unique by default)', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org);
    const created = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [
        { Last_Name: 'Twin A', Email: 'shared@example.com' },
        { Last_Name: 'Twin B', Email: 'Shared@Example.com' },
      ],
    });
    expect(created.status).toBe(201);
    const res = await search(tokens, 'Contacts', `email=${encodeURIComponent('shared@example.com')}`);
    expect(ids(res)).toEqual(created.body.data.map((d: { details: { id: string } }) => d.details.id).sort());
  });
});
