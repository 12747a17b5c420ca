import { describe, expect, it } from 'vitest';
import { refresh } from '../helpers/oauth-flow.ts';
import { invalidToken, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 10: revoke', () => {
  const s = useSandbox();

  const revoke = (accountsUrl: string, token: string) =>
    s.client.json('POST', `${accountsUrl}/oauth/v2/token/revoke?token=${encodeURIComponent(token)}`);

  it('stops the refresh token and every access token minted from it', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const refreshed = await refresh(s.client, tokens, tokens.refresh_token!);
    const minted = [
      tokens,
      { access_token: refreshed.body.access_token as string, api_domain: tokens.api_domain },
    ];
    for (const t of minted) expect((await s.client.api(t, 'GET', '/org')).status).toBe(200);

    const res = await revoke(tokens.accounts_url, tokens.refresh_token!);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'success' });

    const again = await refresh(s.client, tokens, tokens.refresh_token!);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ error: 'invalid_code' });
    for (const t of minted) {
      const api = await s.client.api(t, 'GET', '/org');
      expect(api.status).toBe(401);
      expect(api.body).toEqual(invalidToken);
    }
  });

  it("leaves the user's other grants working", async () => {
    const org = await s.client.createOrg();
    const revoked = await s.client.tokens(org);
    const kept = await s.client.tokens(org);
    expect(kept.client_id).toBe(revoked.client_id);
    expect((await revoke(revoked.accounts_url, revoked.refresh_token!)).status).toBe(200);

    expect((await s.client.api(kept, 'GET', '/org')).status).toBe(200);
    const res = await refresh(s.client, kept, kept.refresh_token!);
    expect(res.body.access_token).toEqual(expect.any(String));
  });

  it('answers 400 for a token already revoked or unknown', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    expect((await revoke(tokens.accounts_url, tokens.refresh_token!)).status).toBe(200);
    for (const token of [tokens.refresh_token!, 'no-such-token']) {
      const res = await revoke(tokens.accounts_url, token);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_token', status: 'failure' });
    }
  });

  it("is refused at another DC's accounts server, which does not hold the token", async () => {
    const org = await s.client.createOrg({ data_center: 'eu' });
    const tokens = await s.client.tokens(org);
    const wrong = await revoke(`${s.base}/us/accounts`, tokens.refresh_token!);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ error: 'invalid_token', status: 'failure' });
    expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(200);
    expect((await refresh(s.client, tokens, tokens.refresh_token!)).body.access_token).toEqual(
      expect.any(String),
    );

    expect((await revoke(org.accounts_url, tokens.refresh_token!)).status).toBe(200);
    expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(401);
  });
});
