import { describe, expect, it } from 'vitest';
import { type CreatedOrg, type Tokens, useSandbox } from '../helpers/sandbox.ts';

/**
 * Zoho Accounts' token and revoke endpoints take their parameters as a query string, a
 * urlencoded form or multipart/form-data (ZOHO-API.md §8: Zoho's official SDKs post
 * multipart). A JSON body is not read (sandbox Guesses: no source says what Zoho does with one).
 */
type Encoding = 'query' | 'urlencoded' | 'multipart' | 'json';

function post(url: string, fields: Record<string, string>, encoding: Encoding) {
  if (encoding === 'query') return fetch(`${url}?${new URLSearchParams(fields)}`, { method: 'POST' });
  if (encoding === 'urlencoded') return fetch(url, { method: 'POST', body: new URLSearchParams(fields) });
  if (encoding === 'json')
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fields),
    });
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return fetch(url, { method: 'POST', body: form });
}

async function send(url: string, fields: Record<string, string>, encoding: Encoding) {
  const res = await post(url, fields, encoding);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('conformance 33: token and revoke parameters as query, urlencoded or multipart', () => {
  const s = useSandbox();

  async function codeFields(org: CreatedOrg) {
    const sc = await s.client.selfClient(org, 'ZohoCRM.modules.ALL,ZohoCRM.org.READ');
    return {
      client: { client_id: sc.client_id, client_secret: sc.client_secret },
      fields: {
        grant_type: 'authorization_code',
        client_id: sc.client_id,
        client_secret: sc.client_secret,
        code: sc.code,
      },
    };
  }

  it.each(['query', 'urlencoded', 'multipart'] as const)(
    'exchanges a code and refreshes with the parameters as %s',
    async (encoding) => {
      const org = await s.client.createOrg();
      const { client, fields } = await codeFields(org);
      const url = `${org.accounts_url}/oauth/v2/token`;

      const exchanged = await send(url, fields, encoding);
      expect(exchanged.status).toBe(200);
      expect(exchanged.body).toMatchObject({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        api_domain: org.api_domain,
        expires_in: 3600,
      });

      const refreshed = await send(
        url,
        { grant_type: 'refresh_token', ...client, refresh_token: exchanged.body['refresh_token'] as string },
        encoding,
      );
      expect(refreshed.status).toBe(200);
      expect(refreshed.body['access_token']).toEqual(expect.any(String));
      const tokens = { access_token: refreshed.body['access_token'] as string, api_domain: org.api_domain };
      expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(200);

      // Errors come the same way whatever the encoding: HTTP 200 and the error.
      const reused = await send(url, fields, encoding);
      expect(reused).toEqual({ status: 200, body: { error: 'invalid_code' } });
    },
  );

  it('reads the query and a multipart body together, the body naming the rest', async () => {
    const org = await s.client.createOrg();
    const { fields } = await codeFields(org);
    const { grant_type, ...rest } = fields;
    const form = new FormData();
    for (const [k, v] of Object.entries(rest)) form.append(k, v);
    const res = await fetch(`${org.accounts_url}/oauth/v2/token?grant_type=${grant_type}`, {
      method: 'POST',
      body: form,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Record<string, unknown>)['access_token']).toEqual(expect.any(String));
  });

  it('does not read a JSON body: no grant type arrives, and the code stays unused', async () => {
    const org = await s.client.createOrg();
    const { fields } = await codeFields(org);
    const url = `${org.accounts_url}/oauth/v2/token`;
    const json = await send(url, fields, 'json');
    expect(json).toEqual({ status: 200, body: { error: 'unsupported_grant_type' } });
    // With the grant type in the query, the JSON body's client still is not read.
    const { grant_type, ...rest } = fields;
    const mixed = await send(`${url}?grant_type=${grant_type}`, rest, 'json');
    expect(mixed).toEqual({ status: 200, body: { error: 'invalid_client' } });

    const ok = await send(url, fields, 'multipart');
    expect(ok.body['access_token']).toEqual(expect.any(String));
  });

  it.each(['query', 'urlencoded', 'multipart'] as const)(
    'revokes a refresh token named as %s, and its access tokens with it',
    async (encoding) => {
      const org = await s.client.createOrg();
      const tokens: Tokens = await s.client.tokens(org);
      const url = `${org.accounts_url}/oauth/v2/token/revoke`;
      const res = await send(url, { token: tokens.refresh_token! }, encoding);
      expect(res).toEqual({ status: 200, body: { status: 'success' } });
      expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(401);
      // Zoho's revoke page: an invalid (here: already revoked) token answers HTTP 400.
      const again = await send(url, { token: tokens.refresh_token! }, encoding);
      expect(again.status).toBe(400);
    },
  );

  it('does not read the token from a JSON revoke body', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const url = `${org.accounts_url}/oauth/v2/token/revoke`;
    const res = await send(url, { token: tokens.refresh_token! }, 'json');
    expect(res).toEqual({ status: 400, body: { error: 'invalid_token', status: 'failure' } });
    expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(200);
  });

  it('leaves the CRM API as it was: it still reads JSON bodies', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Json' }] });
    expect(res.status).toBe(201);
  });
});
