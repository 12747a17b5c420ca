import { describe, expect, it } from 'vitest';
import { type Tokens, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 49: search needs ZohoSearch.securesearch.READ besides the module’s READ', () => {
  const s = useSandbox();

  const search = (tokens: Tokens) =>
    s.client.api(tokens, 'GET', `/Contacts/search?email=${encodeURIComponent('nobody@example.com')}`);

  it('refuses a search with only the module scope: 401 OAUTH_SCOPE_MISMATCH', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org, 'ZohoCRM.modules.contacts.READ');
    const res = await search(tokens);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'OAUTH_SCOPE_MISMATCH', status: 'error' });
    // The same token still reads and lists: only search needs the extra scope.
    const list = await s.client.api(tokens, 'GET', '/Contacts?fields=Last_Name');
    expect(list.status).toBe(204);
  });

  it('refuses ZohoSearch.securesearch.READ without the module’s READ', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org, 'ZohoSearch.securesearch.READ,ZohoCRM.modules.leads.READ');
    const res = await search(tokens);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('OAUTH_SCOPE_MISMATCH');
  });

  it('searches with both scopes', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    await s.client.seed(org, 'Contacts', [{ Last_Name: 'Found', Email: 'found@example.com' }]);
    const tokens = await s.client.tokens(org, 'ZohoCRM.modules.contacts.READ,ZohoSearch.securesearch.READ');
    expect((await search(tokens)).status).toBe(204);
    const hit = await s.client.api(
      tokens,
      'GET',
      `/Contacts/search?email=${encodeURIComponent('found@example.com')}`,
    );
    expect(hit.status).toBe(200);
    expect(hit.body.data[0].Last_Name).toBe('Found');
  });
});
