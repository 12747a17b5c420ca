import { describe, expect, it } from 'vitest';
import { exchange, registerWebClient, webCode } from '../helpers/oauth-flow.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const dataCenters = ['us', 'eu', 'in', 'au', 'jp', 'cn', 'ca', 'sa', 'uk'] as const;

describe("conformance 05: a code exchanged at another DC's accounts server", () => {
  const s = useSandbox();

  it("refuses an EU user's code at every other DC's accounts server; the EU server still takes it", async () => {
    const org = await s.client.createOrg({ data_center: 'eu' });
    const app = await registerWebClient(s.client); // multi-DC: the client itself exists everywhere
    const { code, accountsServer } = await webCode(s.client, org, app);
    expect(accountsServer).toBe(`${s.base}/eu/accounts`);

    for (const dc of dataCenters.filter((d) => d !== 'eu')) {
      const res = await exchange(s.client, `${s.base}/${dc}/accounts`, app, code);
      expect(res.status, dc).toBe(200);
      // That server never issued the code: to it the code does not exist. China's server does
      // not even know the client: it is outside Accounts' multi-DC list (ZOHO-API.md §8).
      expect(res.body, dc).toEqual({ error: dc === 'cn' ? 'invalid_client' : 'invalid_code' });
    }

    // The refusals did not use the code up: at its own server it is exchanged normally.
    const ok = await exchange(s.client, accountsServer, app, code);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ api_domain: org.api_domain, access_token: expect.any(String) });
  });

  it("refuses an EU Self Client's code at the US server with invalid_client (its client lives in the EU only)", async () => {
    const org = await s.client.createOrg({ data_center: 'eu' });
    const sc = await s.client.selfClient(org, 'ZohoCRM.modules.ALL');
    const fields = {
      grant_type: 'authorization_code',
      client_id: sc.client_id,
      client_secret: sc.client_secret,
      code: sc.code,
    };
    const res = await s.client.form(`${s.base}/us/accounts/oauth/v2/token`, fields);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error: 'invalid_client' });

    const ok = await s.client.form(`${org.accounts_url}/oauth/v2/token`, fields);
    expect(ok.body.access_token).toEqual(expect.any(String));
  });

  it('refuses an EU refresh token at the US server too', async () => {
    const org = await s.client.createOrg({ data_center: 'eu' });
    const app = await registerWebClient(s.client);
    const { code, accountsServer } = await webCode(s.client, org, app);
    const tokens = (await exchange(s.client, accountsServer, app, code)).body;
    const fields = {
      grant_type: 'refresh_token',
      client_id: app.client_id,
      client_secret: app.client_secret,
      refresh_token: tokens.refresh_token,
    };
    const res = await s.client.form(`${s.base}/us/accounts/oauth/v2/token`, fields);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error: 'invalid_code' });
    const ok = await s.client.form(`${accountsServer}/oauth/v2/token`, fields);
    expect(ok.body.access_token).toEqual(expect.any(String));
  });
});
