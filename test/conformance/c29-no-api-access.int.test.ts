import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.ts';

describe('conformance 29: an edition without API access', () => {
  const s = useSandbox();

  const refusal = {
    code: 'FEATURE_NOT_SUPPORTED',
    details: {},
    message: 'Your License does not support this feature',
    status: 'error',
  };

  it('refuses every API call with Zoho’s message, and changes nothing', async () => {
    const org = await s.client.createOrg({ edition: 'free', api_access: false });
    // The OAuth grant itself works: the refusal comes from the CRM API.
    const tokens = await s.client.tokens(org);
    const seeded = await s.client.json('POST', `/__sandbox/orgs/${org.org_id}/records`, {
      module: 'Contacts',
      data: [{ Last_Name: 'Existing', Email: 'existing@example.com' }],
    });
    const id = seeded.body.data[0].details.id;
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/org'],
      ['GET', '/users?type=CurrentUser'],
      ['GET', '/settings/fields?module=Contacts'],
      ['GET', '/Contacts?fields=Last_Name'],
      ['GET', `/Contacts/${id}`],
      ['GET', `/Contacts/search?email=${encodeURIComponent('existing@example.com')}`],
      ['POST', '/Contacts', { data: [{ Last_Name: 'New' }] }],
      ['PUT', `/Contacts/${id}`, { data: [{ Last_Name: 'Changed' }] }],
      ['GET', '/NoSuchModule?fields=x'],
    ];
    for (const [method, path, body] of calls) {
      const res = await s.client.api(tokens, method, path, body);
      expect({ call: `${method} ${path}`, status: res.status, body: res.body }).toEqual({
        call: `${method} ${path}`,
        status: 403,
        body: refusal,
      });
    }
    const stored = await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/records?module=Contacts`);
    expect(stored.body.records.Contacts).toEqual([expect.objectContaining({ id, Last_Name: 'Existing' })]);
  });

  it('still checks the token first: no token or an unknown token is 401', async () => {
    const org = await s.client.createOrg({ api_access: false });
    const noToken = await s.client.json('GET', `${org.api_domain}/crm/v8/org`);
    expect(noToken.status).toBe(401);
    expect(noToken.body.code).toBe('AUTHENTICATION_FAILURE');
    const unknown = await s.client.api(
      { access_token: '1000.unknown.token', api_domain: org.api_domain },
      'GET',
      '/org',
    );
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('INVALID_TOKEN');
  });

  it('serves the org again once API access is enabled (an upgrade)', async () => {
    const org = await s.client.createOrg({ edition: 'free', api_access: false });
    const tokens = await s.client.tokens(org);
    expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(403);
    const patched = await s.client.json('PATCH', `/__sandbox/orgs/${org.org_id}`, {
      edition: 'standard',
      api_access: true,
    });
    expect(patched.status).toBe(200);
    const res = await s.client.api(tokens, 'GET', '/org');
    expect(res.status).toBe(200);
    expect(res.body.org[0].id).toBe(org.org_id);
  });

  it('refuses only that org: another org keeps its access', async () => {
    const closed = await s.client.createOrg({ api_access: false });
    const open = await s.client.createOrg();
    const closedTokens = await s.client.tokens(closed);
    const openTokens = await s.client.tokens(open);
    expect((await s.client.api(closedTokens, 'GET', '/org')).status).toBe(403);
    expect((await s.client.api(openTokens, 'GET', '/org')).status).toBe(200);
  });
});
