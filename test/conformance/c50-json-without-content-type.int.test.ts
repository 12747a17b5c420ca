import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { type Tokens, useSandbox } from '../helpers/sandbox.ts';

/** A request with exactly the headers given: fetch would add a Content-Type of its own. */
function raw(url: string, method: string, body: string, headers: Record<string, string>) {
  return new Promise<{ status: number; json: any }>((resolve, reject) => {
    const req = http.request(
      url,
      { method, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('conformance 50: CRM endpoints take a JSON body with or without a Content-Type', () => {
  const s = useSandbox();

  const call = (
    tokens: Tokens,
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ) =>
    raw(`${tokens.api_domain}/crm/v8${path}`, method, JSON.stringify(body), {
      authorization: `Zoho-oauthtoken ${tokens.access_token}`,
      ...headers,
    });

  it('inserts and updates records sent without a Content-Type header, as Zoho’s SDK sends them', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org);
    const insert = await call(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Headerless' }] });
    expect(insert.status).toBe(201);
    const id = insert.json.data[0].details.id;
    const update = await call(tokens, 'PUT', `/Contacts/${id}`, { data: [{ Title: 'CTO' }] });
    expect(update.status).toBe(200);
    const note = await call(tokens, 'POST', '/Notes', {
      data: [{ Note_Content: 'no header', Parent_Id: { module: { api_name: 'Contacts' }, id } }],
    });
    expect(note.status).toBe(201);
    const got = await s.client.api(tokens, 'GET', `/Contacts/${id}`);
    expect(got.body.data[0]).toMatchObject({ Last_Name: 'Headerless', Title: 'CTO' });
  });

  it('reads the body as JSON under another Content-Type too, and refuses a body that is not JSON', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org);
    const plain = await call(
      tokens,
      'POST',
      '/Contacts',
      { data: [{ Last_Name: 'Plain' }] },
      {
        'content-type': 'text/plain',
      },
    );
    expect(plain.status).toBe(201);
    const broken = await raw(`${tokens.api_domain}/crm/v8/Contacts`, 'POST', '{"data": [', {
      authorization: `Zoho-oauthtoken ${tokens.access_token}`,
    });
    expect(broken.status).toBe(400);
    expect(broken.json).toMatchObject({ code: 'INVALID_DATA', status: 'error' });
  });

  it('leaves the accounts server’s form parsing as it is', async () => {
    const org = await s.client.createOrg();
    const sc = await s.client.selfClient(org, 'ZohoCRM.org.READ');
    const res = await s.client.form(`${org.accounts_url}/oauth/v2/token`, {
      grant_type: 'authorization_code',
      client_id: sc.client_id,
      client_secret: sc.client_secret,
      code: sc.code,
    });
    expect(res.body.access_token).toEqual(expect.any(String));
  });
});
