import { describe, expect, it } from 'vitest';
import { refresh } from '../helpers/oauth-flow.ts';
import { invalidToken, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 11: an access token older than 1 hour', () => {
  const s = useSandbox();

  it('works for its hour, then gets 401 INVALID_TOKEN on every call', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);

    await s.client.advanceClock(3590);
    expect((await s.client.api(tokens, 'GET', '/users?type=CurrentUser')).status).toBe(200);

    await s.client.advanceClock(11); // 3601 s old
    for (const [method, path, body] of [
      ['GET', '/users?type=CurrentUser', undefined],
      ['GET', '/org', undefined],
      ['GET', '/Contacts?fields=Last_Name', undefined],
      ['POST', '/Contacts', { data: [{ Last_Name: 'Late' }] }],
    ] as const) {
      const res = await s.client.api(tokens, method, path, body);
      expect(res.status, path).toBe(401);
      expect(res.body, path).toEqual(invalidToken);
    }
    // Nothing was written with the expired token.
    const stored = await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/records?module=Contacts`);
    expect(stored.body.records.Contacts).toEqual([]);
  });

  it('is replaced by a refresh: the new token works where the old one no longer does', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    await s.client.advanceClock(3601);
    expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(401);

    const res = await refresh(s.client, tokens, tokens.refresh_token!);
    const fresh = { access_token: res.body.access_token as string, api_domain: tokens.api_domain };
    expect((await s.client.api(fresh, 'GET', '/org')).status).toBe(200);
  });
});
