import { describe, expect, it } from 'vitest';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 56: admin API — a person converts a Lead in Zoho’s UI', () => {
  const s = useSandbox();

  const orgWithTwoUsers = () =>
    s.client.createOrg({
      users: [
        { email: uniqueEmail('admin'), first_name: 'Ada', last_name: 'Admin', profile: 'Administrator' },
        { email: uniqueEmail('rep'), first_name: 'Rex', last_name: 'Rep', profile: 'Standard' },
      ],
    });

  const lead = async (org: CreatedOrg, owner: string, email = uniqueEmail('lena')) => {
    const [id] = await s.client.seed(org, 'Leads', [
      {
        First_Name: 'Lena',
        Last_Name: 'Lead',
        Company: 'Lena GmbH',
        Email: email,
        Secondary_Email: uniqueEmail('lena.private'),
        Phone: '+49 30 1234',
        Mobile: '+49 170 1234',
        Description: 'Asked for pricing',
        Owner: owner,
      },
    ]);
    return { id: id!, email };
  };

  it('answers { Contacts, Deals, Accounts }; the Contact takes the Lead’s details; the Lead is gone', async () => {
    // The org keeps Zoho's default search lag: what a conversion makes is indexed after it.
    const org = await orgWithTwoUsers();
    const rep = org.users[1]!;
    const { id, email } = await lead(org, rep.id);
    const [note] = await s.client.seed(org, 'Notes', [
      { Note_Content: 'Call notes', Parent_Id: { module: { api_name: 'Leads' }, id } },
    ]);
    const [task] = await s.client.seed(org, 'Tasks', [
      { Subject: 'Follow up', What_Id: { id }, $se_module: 'Leads' },
    ]);
    const res = await s.client.convertLead(org, id, {
      deal: { Deal_Name: 'Lena deal', Stage: 'Qualification', Amount: 1200, Closing_Date: '2030-06-30' },
      user_email: rep.email,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      Contacts: expect.stringMatching(/^\d{19}$/),
      Deals: expect.stringMatching(/^\d{19}$/),
      Accounts: expect.stringMatching(/^\d{19}$/),
    });
    const tokens = await s.client.tokens(org);
    const contact = (await s.client.api(tokens, 'GET', `/Contacts/${res.body.Contacts}`)).body.data[0];
    const leadFields = (await s.client.api(tokens, 'GET', `/Leads/${id}?converted=true`)).body.data[0];
    for (const f of ['First_Name', 'Last_Name', 'Email', 'Secondary_Email', 'Phone', 'Mobile', 'Description'])
      expect(contact[f]).toBe(leadFields[f]);
    expect(contact.Owner.id).toBe(rep.id);
    expect(contact.Created_By.id).toBe(rep.id);
    expect(contact.Account_Name).toEqual({ name: 'Lena GmbH', id: res.body.Accounts });
    const deal = (await s.client.api(tokens, 'GET', `/Deals/${res.body.Deals}`)).body.data[0];
    expect(deal).toMatchObject({
      Deal_Name: 'Lena deal',
      Amount: 1200,
      Contact_Name: { id: res.body.Contacts },
    });
    // Notes and Tasks moved to the Contact.
    const notes = await s.client.api(
      tokens,
      'GET',
      `/Contacts/${res.body.Contacts}/Notes?fields=Note_Content`,
    );
    expect(notes.body.data.map((n: { id: string }) => n.id)).toEqual([note]);
    const tasks = await s.client.api(tokens, 'GET', `/Contacts/${res.body.Contacts}/Tasks?fields=Subject`);
    expect(tasks.body.data.map((t: { id: string }) => t.id)).toEqual([task]);
    // The Lead is gone as after an API conversion, and names the Contact it became; search finds
    // that Contact once the org's search lag has passed, like any new record.
    expect((await s.client.api(tokens, 'GET', `/Leads/${id}`)).status).toBe(204);
    expect(
      (await s.client.api(tokens, 'GET', `/Leads/search?email=${encodeURIComponent(email)}`)).status,
    ).toBe(204);
    expect(leadFields.$converted_detail).toMatchObject({ contact: { id: res.body.Contacts } });
    await s.client.advanceClock(5);
    const found = await s.client.api(tokens, 'GET', `/Contacts/search?email=${encodeURIComponent(email)}`);
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([res.body.Contacts]);
  });

  it('indexes the Contact it makes like any new record: search finds it after the org’s lag', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 60_000 });
    const { id, email } = await lead(org, org.users[0]!.id);
    const res = await s.client.convertLead(org, id, {});
    expect(res.status).toBe(200);
    const tokens = await s.client.tokens(org);
    const search = () => s.client.api(tokens, 'GET', `/Contacts/search?email=${encodeURIComponent(email)}`);
    expect((await search()).status).toBe(204);
    // Meanwhile the converted Lead names it.
    const converted = await s.client.api(tokens, 'GET', `/Leads/${id}?converted=true`);
    expect(converted.body.data[0].$converted_detail.contact.id).toBe(res.body.Contacts);
    await s.client.advanceClock(61);
    expect((await search()).body.data.map((c: { id: string }) => c.id)).toEqual([res.body.Contacts]);
  });

  it('makes no Account when told not to, and no Deal unless given one', async () => {
    const org = await orgWithTwoUsers();
    const { id } = await lead(org, org.users[0]!.id);
    const res = await s.client.convertLead(org, id, { account: false });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ Contacts: expect.any(String), Deals: null, Accounts: null });
    expect(await s.client.records(org, 'Accounts')).toEqual([]);
  });

  it('attaches the Lead to an existing Contact given by contact_id', async () => {
    const org = await orgWithTwoUsers();
    const { id } = await lead(org, org.users[0]!.id);
    const [existing] = await s.client.seed(org, 'Contacts', [
      { Last_Name: 'Known', Email: uniqueEmail('known') },
    ]);
    const [note] = await s.client.seed(org, 'Notes', [
      { Note_Content: 'Lead note', Parent_Id: { module: { api_name: 'Leads' }, id } },
    ]);
    const res = await s.client.convertLead(org, id, { contact_id: existing! });
    expect(res.status).toBe(200);
    expect(res.body.Contacts).toBe(existing);
    expect((await s.client.records(org, 'Contacts')).map((c) => c.id)).toEqual([existing]);
    const notes = (await s.client.records(org, 'Notes')).filter((n) => n.Parent_Id.id === existing);
    expect(notes.map((n) => n.id)).toEqual([note]);
  });

  it('costs no credits and leaves no call in the log; refuses a converted or unknown Lead', async () => {
    const org = await orgWithTwoUsers();
    const { id } = await lead(org, org.users[0]!.id);
    expect((await s.client.convertLead(org, id)).status).toBe(200);
    const info = await s.client.json('GET', `/__sandbox/orgs/${org.org_id}`);
    expect(info.body.limits.credits_used).toBe(0);
    expect(await s.client.calls(org)).toEqual([]);
    expect((await s.client.convertLead(org, id)).status).toBe(409);
    expect((await s.client.convertLead(org, '1111111111111111111')).status).toBe(404);
    const badDeal = await s.client.convertLead(org, (await lead(org, org.users[0]!.id)).id, {
      deal: { Deal_Name: 'Wrong stage', Stage: 'Not a stage' },
    });
    expect(badDeal.status).toBe(400);
    const refused = badDeal.body as unknown as { error: { details: unknown[] } };
    expect(refused.error.details[0]).toMatchObject({
      code: 'INVALID_DATA',
      details: { api_name: 'Stage' },
    });
  });
});
