import { describe, expect, it } from 'vitest';
import { invalidToken, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 12: no token and unknown token', () => {
  const s = useSandbox();

  const calls = [
    ['GET', '/users?type=CurrentUser', undefined],
    ['GET', '/org', undefined],
    ['GET', '/Contacts?fields=Last_Name', undefined],
    // Without `fields` this would be a 400: the token is checked first.
    ['GET', '/Contacts', undefined],
    ['GET', '/Leads/search?email=a%40example.com', undefined],
    ['POST', '/Contacts', { data: [{ Last_Name: 'Nobody' }] }],
  ] as const;

  it('answers a call without a token with 401 AUTHENTICATION_FAILURE', async () => {
    const org = await s.client.createOrg();
    for (const [method, path, body] of calls) {
      const res = await s.client.json(method, `${org.api_domain}/crm/v8${path}`, body);
      expect(res.status, path).toBe(401);
      expect(res.body, path).toEqual({
        code: 'AUTHENTICATION_FAILURE',
        details: {},
        message: 'Authentication failed',
        status: 'error',
      });
    }
  });

  it('answers an unknown token with 401 INVALID_TOKEN, including a refresh token or grant code used as one', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const sc = await s.client.selfClient(org, 'ZohoCRM.modules.ALL');
    const notAccessTokens = [
      '1000.0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef',
      `${tokens.access_token}x`,
      tokens.refresh_token!,
      sc.code,
    ];
    for (const access_token of notAccessTokens)
      for (const [method, path, body] of calls) {
        const res = await s.client.api({ access_token, api_domain: org.api_domain }, method, path, body);
        expect(res.status, path).toBe(401);
        expect(res.body, path).toEqual(invalidToken);
      }
    const stored = await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/records?module=Contacts`);
    expect(stored.body.records.Contacts).toEqual([]);
    // The real token is fine: the refusals were about the tokens, not the calls.
    expect((await s.client.api(tokens, 'GET', '/Contacts?fields=Last_Name')).status).toBe(204);
  });
});
