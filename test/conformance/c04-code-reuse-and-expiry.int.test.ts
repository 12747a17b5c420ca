import { describe, expect, it } from 'vitest';
import { exchange, registerWebClient, webCode } from '../helpers/oauth-flow.ts';
import { type CreatedOrg, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 04: a code used twice or older than its lifetime', () => {
  const s = useSandbox();

  /** Zoho's token endpoint refuses with HTTP 200 and a bare `error` (ZOHO-API.md §2). */
  const invalidCode = { status: 200, body: { error: 'invalid_code' } };

  function selfClientExchange(
    org: CreatedOrg,
    sc: { client_id: string; client_secret: string; code: string },
  ) {
    return s.client.form(`${org.accounts_url}/oauth/v2/token`, {
      grant_type: 'authorization_code',
      client_id: sc.client_id,
      client_secret: sc.client_secret,
      code: sc.code,
    });
  }

  it('refuses the second exchange of the same code with invalid_code and no token', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const { code, accountsServer } = await webCode(s.client, org, app);

    const first = await exchange(s.client, accountsServer, app, code);
    expect(first.status).toBe(200);
    expect(first.body.access_token).toEqual(expect.any(String));

    const second = await exchange(s.client, accountsServer, app, code);
    expect({ status: second.status, body: second.body }).toEqual(invalidCode);
  });

  it('accepts a web code within its 2 minutes and refuses one older with invalid_code', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const young = await webCode(s.client, org, app);
    const old = await webCode(s.client, org, app);

    await s.client.advanceClock(115);
    const ok = await exchange(s.client, young.accountsServer, app, young.code);
    expect(ok.status).toBe(200);
    expect(ok.body.access_token).toEqual(expect.any(String));

    await s.client.advanceClock(6); // 121 s since both were issued
    const late = await exchange(s.client, old.accountsServer, app, old.code);
    expect({ status: late.status, body: late.body }).toEqual(invalidCode);
  });

  it('gives a Self Client code 3 minutes by default, then invalid_code', async () => {
    const org = await s.client.createOrg();
    const young = await s.client.selfClient(org, 'ZohoCRM.modules.ALL');
    const old = await s.client.selfClient(org, 'ZohoCRM.modules.ALL');

    await s.client.advanceClock(175);
    const ok = await selfClientExchange(org, young);
    expect(ok.status).toBe(200);
    expect(ok.body.access_token).toEqual(expect.any(String));

    await s.client.advanceClock(6); // 181 s
    const late = await selfClientExchange(org, old);
    expect({ status: late.status, body: late.body }).toEqual(invalidCode);
  });

  it('honours a longer Self Client expiry chosen in the console (10 minutes)', async () => {
    const org = await s.client.createOrg();
    const res = await s.client.json('POST', '/__sandbox/self-client', {
      org_id: org.org_id,
      user_email: org.users[0]!.email,
      scope: 'ZohoCRM.modules.ALL',
      expiry_minutes: 10,
    });
    expect(res.status).toBe(201);
    await s.client.advanceClock(9 * 60);
    const ok = await selfClientExchange(org, res.body);
    expect(ok.body.access_token).toEqual(expect.any(String));
  });
});
