import { describe, expect, it } from 'vitest';
import { exchange, registerWebClient, webCode } from '../helpers/oauth-flow.ts';
import { useSandbox } from '../helpers/sandbox.ts';

describe('conformance 06: wrong client secret', () => {
  const s = useSandbox();

  it('refuses a code exchange with invalid_client_secret and no token, for any wrong secret', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const other = await registerWebClient(s.client);
    const { code, accountsServer } = await webCode(s.client, org, app);

    for (const secret of [
      `${app.client_secret}x`,
      app.client_secret.toUpperCase(),
      other.client_secret,
      '',
    ]) {
      const res = await exchange(s.client, accountsServer, { ...app, client_secret: secret }, code);
      expect(res.status, secret).toBe(200);
      expect(res.body, secret).toEqual({ error: 'invalid_client_secret' });
    }
    // The client is checked before the code: the refusals did not use it up.
    const ok = await exchange(s.client, accountsServer, app, code);
    expect(ok.body.access_token).toEqual(expect.any(String));
  });

  it('refuses a refresh with a wrong secret the same way, leaving the refresh token usable', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const fields = {
      grant_type: 'refresh_token',
      client_id: tokens.client_id,
      client_secret: 'not-the-secret',
      refresh_token: tokens.refresh_token!,
    };
    const res = await s.client.form(`${tokens.accounts_url}/oauth/v2/token`, fields);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error: 'invalid_client_secret' });

    const ok = await s.client.form(`${tokens.accounts_url}/oauth/v2/token`, {
      ...fields,
      client_secret: tokens.client_secret,
    });
    expect(ok.body.access_token).toEqual(expect.any(String));
  });

  it('refuses an unknown client_id with invalid_client', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const { code, accountsServer } = await webCode(s.client, org, app);
    const res = await exchange(s.client, accountsServer, { ...app, client_id: '1000.NOSUCHCLIENT' }, code);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error: 'invalid_client' });
  });
});
