import { describe, expect, it } from 'vitest';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 15: a user whose profile lacks create on a module', () => {
  const s = useSandbox();

  /** An org whose "Sales Rep" profile has the given rights, and a user of that profile. */
  async function orgWithRep(permissions: Record<string, string[]>) {
    const org = await s.client.createOrg();
    const profile = await s.client.json('PUT', `/__sandbox/orgs/${org.org_id}/profiles/Sales%20Rep`, {
      permissions,
    });
    expect(profile.status).toBe(200);
    const repEmail = uniqueEmail('rep');
    const rep = await s.client.json('POST', `/__sandbox/orgs/${org.org_id}/users`, {
      email: repEmail,
      first_name: 'Rita',
      last_name: 'Rep',
      profile: 'Sales Rep',
    });
    expect(rep.status).toBe(201);
    // The token carries every scope: only the profile can refuse.
    const tokens = await s.client.tokens(org, undefined, repEmail);
    return { org, tokens };
  }

  const contactsOf = async (org: CreatedOrg) =>
    (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/records?module=Contacts`)).body.records
      .Contacts as unknown[];

  it('refuses a create with 403 NO_PERMISSION in Zoho error shape, and stores nothing', async () => {
    const { org, tokens } = await orgWithRep({ Contacts: ['view', 'edit'] });
    const res = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Blocked', Email: uniqueEmail('blocked') }],
    });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      code: 'NO_PERMISSION',
      details: { permissions: ['Crm_Implied_Create_Contacts'] },
      message: 'permission denied',
      status: 'error',
    });
    expect(await contactsOf(org)).toEqual([]);
  });

  it('still allows what the profile grants, on that module and not on others', async () => {
    const { org, tokens } = await orgWithRep({ Contacts: ['view'], Leads: ['view', 'create'] });
    const seeded = await s.client.json('POST', `/__sandbox/orgs/${org.org_id}/records`, {
      module: 'Contacts',
      data: [{ Last_Name: 'Seeded' }],
    });
    const id = seeded.body.data[0].details.id;
    const read = await s.client.api(tokens, 'GET', `/Contacts/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.data[0]).toMatchObject({ id, Last_Name: 'Seeded' });
    const lead = await s.client.api(tokens, 'POST', '/Leads', {
      data: [{ Last_Name: 'Allowed', Company: 'Acme' }],
    });
    expect(lead.status).toBe(201);
    expect(lead.body.data[0].code).toBe('SUCCESS');
    // Deals were left out of the profile entirely: not even view.
    const deals = await s.client.api(tokens, 'GET', '/Deals?fields=Deal_Name');
    expect(deals.status).toBe(403);
    expect(deals.body).toMatchObject({
      code: 'NO_PERMISSION',
      details: { permissions: ['Crm_Implied_View_Deals'] },
    });
  });

  it('refuses an update with 403 NO_PERMISSION when the profile lacks edit', async () => {
    const { org, tokens } = await orgWithRep({ Contacts: ['view', 'create'] });
    const created = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Mine' }] });
    expect(created.status).toBe(201);
    const id = created.body.data[0].details.id;
    const res = await s.client.api(tokens, 'PUT', `/Contacts/${id}`, { data: [{ Last_Name: 'Changed' }] });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'NO_PERMISSION',
      details: { permissions: ['Crm_Implied_Edit_Contacts'] },
      status: 'error',
    });
    expect(await contactsOf(org)).toEqual([expect.objectContaining({ id, Last_Name: 'Mine' })]);
  });

  it('lets a user of a full profile in the same org create', async () => {
    const { org } = await orgWithRep({ Contacts: ['view'] });
    const admin = await s.client.tokens(org);
    const res = await s.client.api(admin, 'POST', '/Contacts', { data: [{ Last_Name: 'Admin Made' }] });
    expect(res.status).toBe(201);
    expect(await contactsOf(org)).toHaveLength(1);
  });
});
