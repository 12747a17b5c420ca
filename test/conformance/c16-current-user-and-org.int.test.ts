import { describe, expect, it } from 'vitest';
import { uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

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
