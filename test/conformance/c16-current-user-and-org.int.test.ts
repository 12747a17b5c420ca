import { describe, expect, it } from 'vitest';
import { uniqueEmail, useSandbox } from '../helpers/sandbox.ts';
import { sdkShapeErrors } from '../helpers/sdk-shape.ts';

describe('conformance 16: users?type=CurrentUser and org return the signed-in user and org', () => {
  const s = useSandbox();

  it('answers the signed-in user, not the org admin, for a second user', async () => {
    const adminEmail = uniqueEmail('admin');
    const samEmail = uniqueEmail('sam');
    const org = await s.client.createOrg({
      name: 'Second User Ltd',
      users: [
        { email: adminEmail, first_name: 'Ada', last_name: 'Admin', profile: 'Administrator' },
        { email: samEmail, first_name: 'Sam', last_name: 'Second', profile: 'Standard' },
      ],
    });
    const sam = org.users.find((u) => u.email === samEmail)!;
    const tokens = await s.client.tokens(org, 'ZohoCRM.users.READ,ZohoCRM.org.READ', samEmail);
    const res = await s.client.api(tokens, 'GET', '/users?type=CurrentUser');
    expect(res.status).toBe(200);
    expect(res.body.users).toHaveLength(1);
    expect(res.body.users[0]).toMatchObject({
      id: sam.id,
      full_name: 'Sam Second',
      first_name: 'Sam',
      last_name: 'Second',
      email: samEmail,
      status: 'active',
      profile: { name: 'Standard', id: expect.any(String) },
      role: { name: expect.any(String), id: expect.any(String) },
    });
    expect(res.body.users[0].id).toMatch(/^\d{19}$/);

    const adminTokens = await s.client.tokens(org, 'ZohoCRM.users.READ', adminEmail);
    const admin = await s.client.api(adminTokens, 'GET', '/users?type=CurrentUser');
    expect(admin.body.users.map((u: { email: string }) => u.email)).toEqual([adminEmail]);
  });

  it('answers the org of the signed-in user with its id and company name', async () => {
    const org = await s.client.createOrg({ name: 'Org Reader GmbH', data_center: 'eu' });
    const other = await s.client.createOrg({ name: 'Someone Else Inc' });
    const tokens = await s.client.tokens(org, 'ZohoCRM.org.READ');
    const res = await s.client.api(tokens, 'GET', '/org');
    expect(res.status).toBe(200);
    expect(res.body.org).toHaveLength(1);
    expect(res.body.org[0]).toMatchObject({
      id: org.org_id,
      company_name: 'Org Reader GmbH',
      domain_name: expect.any(String),
      primary_email: org.users[0]!.email,
    });
    const otherTokens = await s.client.tokens(other, 'ZohoCRM.org.READ');
    const otherRes = await s.client.api(otherTokens, 'GET', '/org');
    expect(otherRes.body.org[0]).toMatchObject({ id: other.org_id, company_name: 'Someone Else Inc' });
  });

  it('gives the org’s long id, short zgid, primary_zuid, type and license_details (v8 org description)', async () => {
    const org = await s.client.createOrg({ name: 'Licensed Ltd', edition: 'enterprise' });
    const tokens = await s.client.tokens(org, 'ZohoCRM.org.READ,ZohoCRM.users.READ');
    const o = (await s.client.api(tokens, 'GET', '/org')).body.org[0];
    expect(sdkShapeErrors(o, 'core/com/zoho/crm/api/org/org')).toEqual([]);
    expect(o.id).toMatch(/^\d{19}$/);
    expect(o.zgid).toMatch(/^\d{6,10}$/);
    // Zoho's samples name the org's domain after its zgid.
    expect(o.domain_name).toBe(`org${o.zgid}`);
    const me = (await s.client.api(tokens, 'GET', '/users?type=CurrentUser')).body.users[0];
    expect(o.primary_zuid).toMatch(/^\d{6,10}$/);
    expect(o.primary_zuid).toBe(me.zuid);
    expect(me.id).not.toBe(me.zuid);
    expect(o.type).toBe('production');
    expect(o.license_details).toEqual({
      paid: true,
      paid_type: 'enterprise',
      paid_expiry: expect.any(String),
      trial_type: null,
      trial_expiry: null,
      trial_action: null,
      users_license_purchased: 1,
    });
    const free = await s.client.createOrg({ edition: 'free' });
    const freeTokens = await s.client.tokens(free, 'ZohoCRM.org.READ');
    const freeOrg = (await s.client.api(freeTokens, 'GET', '/org')).body.org[0];
    expect(freeOrg.license_details).toMatchObject({
      paid: false,
      paid_type: 'free',
      paid_expiry: null,
      trial_type: null,
    });
  });

  it('needs the users and org scopes: a modules-only token gets 401 OAUTH_SCOPE_MISMATCH', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org, 'ZohoCRM.modules.ALL');
    for (const path of ['/users?type=CurrentUser', '/org']) {
      const res = await s.client.api(tokens, 'GET', path);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'OAUTH_SCOPE_MISMATCH', status: 'error' });
    }
  });
});
