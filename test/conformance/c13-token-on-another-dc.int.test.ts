import { describe, expect, it } from 'vitest';
import { invalidToken, useSandbox } from '../helpers/sandbox.ts';

const dataCenters = ['us', 'eu', 'in', 'au', 'jp', 'cn', 'ca', 'sa', 'uk'] as const;

describe("conformance 13: a token of one DC used on another DC's API domain", () => {
  const s = useSandbox();

  it('refuses an EU token on the US API domain (and every other) with 401; the EU domain takes it', async () => {
    const org = await s.client.createOrg({ data_center: 'eu' });
    const tokens = await s.client.tokens(org);
    expect(tokens.api_domain).toBe(`${s.base}/eu/api`);

    for (const dc of dataCenters.filter((d) => d !== 'eu')) {
      const elsewhere = { ...tokens, api_domain: `${s.base}/${dc}/api` };
      const res = await s.client.api(elsewhere, 'GET', '/users?type=CurrentUser');
      expect(res.status, dc).toBe(401);
      expect(res.body, dc).toEqual(invalidToken);
    }
    const home = await s.client.api(tokens, 'GET', '/users?type=CurrentUser');
    expect(home.status).toBe(200);
  });

  it('refuses a US token on the EU API domain, also for writes, which store nothing', async () => {
    const org = await s.client.createOrg({ data_center: 'us' });
    const tokens = await s.client.tokens(org);
    const res = await s.client.api({ ...tokens, api_domain: `${s.base}/eu/api` }, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Wrong DC' }],
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(invalidToken);
    const stored = await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/records?module=Contacts`);
    expect(stored.body.records.Contacts).toEqual([]);
  });
});
