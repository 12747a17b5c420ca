import { describe, expect, it } from 'vitest';
import { refresh } from '../helpers/oauth-flow.ts';
import { invalidToken, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 07: refresh', () => {
  const s = useSandbox();

  it('returns a new, working access token and no refresh_token', async () => {
    const org = await s.client.createOrg({ data_center: 'jp' });
    const tokens = await s.client.tokens(org);
    const res = await refresh(s.client, tokens, tokens.refresh_token!);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(res.body.access_token).toEqual(expect.stringMatching(/\S{16,}/));
    expect(res.body.access_token).not.toBe(tokens.access_token);
    expect(res.body).not.toHaveProperty('refresh_token');
    // The refresh reply lists api_domain among its fields (ZOHO-API.md §8): the org's.
    expect(res.body).toEqual({
      access_token: expect.any(String),
      api_domain: org.api_domain,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: expect.any(String),
    });

    // Clients keep the stored api_domain.
    const fresh = { access_token: res.body.access_token, api_domain: tokens.api_domain };
    const org1 = await s.client.api(fresh, 'GET', '/org');
    expect(org1.status).toBe(200);
  });

  it('leaves the old access token working until its own hour is up', async () => {
    const org = await s.client.createOrg();
    const first = await s.client.tokens(org);

    await s.client.advanceClock(1800);
    const res = await refresh(s.client, first, first.refresh_token!);
    const second = { access_token: res.body.access_token as string, api_domain: first.api_domain };

    const both = [first, second].map((t) => s.client.api(t, 'GET', '/users?type=CurrentUser'));
    for (const r of await Promise.all(both)) expect(r.status).toBe(200);

    await s.client.advanceClock(1801); // first: 3601 s old; second: 1801 s
    const old = await s.client.api(first, 'GET', '/users?type=CurrentUser');
    expect(old.status).toBe(401);
    expect(old.body).toEqual(invalidToken);
    const current = await s.client.api(second, 'GET', '/users?type=CurrentUser');
    expect(current.status).toBe(200);
  });

  it('keeps the refresh token itself: it refreshes again after the access tokens expire', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    await s.client.advanceClock(2 * 3600);
    const res = await refresh(s.client, tokens, tokens.refresh_token!);
    expect(res.status).toBe(200);
    const me = await s.client.api(
      { access_token: res.body.access_token, api_domain: tokens.api_domain },
      'GET',
      '/users?type=CurrentUser',
    );
    expect(me.status).toBe(200);
  });
});
