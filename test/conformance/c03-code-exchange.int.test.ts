import { describe, expect, it } from 'vitest';
import { exchange, registerWebClient, webCode } from '../helpers/oauth-flow.ts';
import { uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

describe("conformance 03: code exchange at the org's accounts server", () => {
  const s = useSandbox();

  it.each(['us', 'eu', 'in', 'ca'] as const)(
    'returns the five token fields, expires_in 3600 seconds and the %s api_domain',
    async (dc) => {
      const email = uniqueEmail(`${dc}.user`);
      const org = await s.client.createOrg({ data_center: dc, users: [{ email, profile: 'Administrator' }] });
      const app = await registerWebClient(s.client);
      const { code, accountsServer } = await webCode(s.client, org, app);
      expect(accountsServer).toBe(`${s.base}/${dc}/accounts`);

      const res = await exchange(s.client, accountsServer, app, code);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/\S{16,}/),
        refresh_token: expect.stringMatching(/\S{16,}/),
        api_domain: `${s.base}/${dc}/api`,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: expect.any(String),
      });
      expect(res.body.api_domain).toBe(org.api_domain);
      expect(res.body.access_token).not.toBe(res.body.refresh_token);

      // The access token works at that api_domain, as the signed-in user.
      const me = await s.client.api(res.body, 'GET', '/users?type=CurrentUser');
      expect(me.status).toBe(200);
      expect(me.body.users[0]).toMatchObject({ id: org.users[0]!.id, email });
    },
  );

  it('gives no refresh token when the request lacked access_type=offline and prompt=consent', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const { code, accountsServer } = await webCode(s.client, org, app, { offline: false });
    const res = await exchange(s.client, accountsServer, app, code);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, api_domain: org.api_domain });
    expect(res.body.access_token).toEqual(expect.any(String));
    expect(res.body).not.toHaveProperty('refresh_token');
  });

  it('returns the same fields for a Self Client code', async () => {
    const org = await s.client.createOrg({ data_center: 'au' });
    const sc = await s.client.selfClient(org, 'ZohoCRM.modules.ALL');
    expect(sc.accounts_url).toBe(org.accounts_url);
    const res = await s.client.form(`${sc.accounts_url}/oauth/v2/token`, {
      grant_type: 'authorization_code',
      client_id: sc.client_id,
      client_secret: sc.client_secret,
      code: sc.code,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      api_domain: `${s.base}/au/api`,
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: expect.any(String),
      refresh_token: expect.any(String),
    });
  });
});
