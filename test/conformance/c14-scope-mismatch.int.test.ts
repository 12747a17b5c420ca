import { describe, expect, it } from 'vitest';
import { type CreatedOrg, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 14: missing scope', () => {
  const s = useSandbox();

  const scopeMismatch = {
    code: 'OAUTH_SCOPE_MISMATCH',
    details: {},
    message: 'invalid oauth scope to access this URL',
    status: 'error',
  };

  const storedContacts = async (org: CreatedOrg) =>
    (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/records?module=Contacts`)).body.records
      .Contacts as unknown[];

  it('answers a call outside the granted scopes with 401 OAUTH_SCOPE_MISMATCH', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org, 'ZohoCRM.modules.leads.ALL');

    for (const path of ['/Contacts?fields=Last_Name', '/users?type=CurrentUser', '/org']) {
      const res = await s.client.api(tokens, 'GET', path);
      expect(res.status, path).toBe(401);
      expect(res.body, path).toEqual(scopeMismatch);
    }
    const contact = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'No' }] });
    expect(contact.status).toBe(401);
    expect(contact.body).toEqual(scopeMismatch);
    expect(await storedContacts(org)).toEqual([]);

    // What the scope covers still works.
    expect((await s.client.api(tokens, 'GET', '/Leads?fields=Last_Name')).status).toBe(204);
    const lead = await s.client.api(tokens, 'POST', '/Leads', {
      data: [{ Last_Name: 'Yes', Company: 'Acme' }],
    });
    expect(lead.status).toBe(201);
  });

  it('does not let a READ scope create or update', async () => {
    const org = await s.client.createOrg();
    const seeded = await s.client.json('POST', `/__sandbox/orgs/${org.org_id}/records`, {
      module: 'Contacts',
      data: [{ Last_Name: 'Seeded' }],
    });
    const id = seeded.body.data[0].details.id as string;
    const tokens = await s.client.tokens(org, 'ZohoCRM.modules.contacts.READ');

    const read = await s.client.api(tokens, 'GET', `/Contacts/${id}`);
    expect(read.status).toBe(200);

    const created = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Nope' }] });
    expect(created.status).toBe(401);
    expect(created.body).toEqual(scopeMismatch);
    const updated = await s.client.api(tokens, 'PUT', `/Contacts/${id}`, {
      data: [{ Last_Name: 'Changed' }],
    });
    expect(updated.status).toBe(401);
    expect(updated.body).toEqual(scopeMismatch);

    const stored = await storedContacts(org);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id, Last_Name: 'Seeded' });
  });

  it('does not let a CREATE scope read', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org, 'ZohoCRM.modules.contacts.CREATE');
    const created = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Made' }] });
    expect(created.status).toBe(201);
    const id = created.body.data[0].details.id as string;
    const read = await s.client.api(tokens, 'GET', `/Contacts/${id}`);
    expect(read.status).toBe(401);
    expect(read.body).toEqual(scopeMismatch);
  });
});
