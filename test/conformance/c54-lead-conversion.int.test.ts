import { describe, expect, it } from 'vitest';
import { type CreatedOrg, OVERLAP_MS, type Tokens, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 54: lead conversion (POST /Leads/{id}/actions/convert)', () => {
  const s = useSandbox();

  const convert = (tokens: Tokens, id: string, item: Record<string, unknown> = {}) =>
    s.client.api(tokens, 'POST', `/Leads/${id}/actions/convert`, { data: [item] });

  const leadWithHistory = async (org: CreatedOrg, email = uniqueEmail('lou')) => {
    const [lead] = await s.client.seed(org, 'Leads', [
      {
        First_Name: 'Lou',
        Last_Name: 'Lead',
        Company: 'Lead Co',
        Email: email,
        Phone: '+1 555 0101',
        Description: 'Met at the fair',
      },
    ]);
    const [note] = await s.client.seed(org, 'Notes', [
      {
        Note_Title: 'First call',
        Note_Content: 'Wants a demo',
        Parent_Id: { module: { api_name: 'Leads' }, id: lead },
      },
    ]);
    const [task] = await s.client.seed(org, 'Tasks', [
      { Subject: 'Send the demo link', What_Id: { id: lead }, $se_module: 'Leads' },
    ]);
    return { lead: lead!, note: note!, task: task!, email };
  };

  it('makes a Contact, an Account and a Deal from the Lead and answers their names and ids', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const { lead, note, task, email } = await leadWithHistory(org);
    const tokens = await s.client.tokens(org);
    const res = await convert(tokens, lead, {
      overwrite: true,
      notify_lead_owner: false,
      notify_new_entity_owner: false,
      Deals: { Deal_Name: 'Lead Co deal', Stage: 'Qualification', Closing_Date: '2030-01-31', Amount: 900 },
    });
    expect(res.status).toBe(200);
    const { Contacts, Deals, Accounts } = res.body.data[0].details;
    expect(res.body.data[0]).toEqual({
      code: 'SUCCESS',
      details: {
        Contacts: { name: 'Lou Lead', id: expect.stringMatching(/^\d{19}$/) },
        Deals: { name: 'Lead Co deal', id: expect.stringMatching(/^\d{19}$/) },
        Accounts: { name: 'Lead Co', id: expect.stringMatching(/^\d{19}$/) },
      },
      message: 'The record has been converted successfully',
      status: 'success',
    });
    const contact = (await s.client.api(tokens, 'GET', `/Contacts/${Contacts.id}`)).body.data[0];
    expect(contact).toMatchObject({
      First_Name: 'Lou',
      Last_Name: 'Lead',
      Email: email,
      Phone: '+1 555 0101',
      Description: 'Met at the fair',
      Owner: { id: org.users[0]!.id },
      Account_Name: { id: Accounts.id, name: 'Lead Co' },
    });
    const deal = (await s.client.api(tokens, 'GET', `/Deals/${Deals.id}`)).body.data[0];
    expect(deal).toMatchObject({
      Stage: 'Qualification',
      Contact_Name: { id: Contacts.id },
      Account_Name: { id: Accounts.id },
    });
    // The Lead's Note and Task are the Contact's now.
    const notes = await s.client.api(tokens, 'GET', `/Contacts/${Contacts.id}/Notes?fields=Note_Title`);
    expect(notes.body.data).toEqual([{ id: note, Note_Title: 'First call' }]);
    const tasks = await s.client.api(tokens, 'GET', `/Contacts/${Contacts.id}/Tasks?fields=Subject,What_Id`);
    expect(tasks.body.data).toEqual([
      { id: task, Subject: 'Send the demo link', What_Id: expect.objectContaining({ id: Deals.id }) },
    ]);
  });

  it('takes the Lead out of the Leads module: not found by get, list or search, listed only with converted=true', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const { lead, email } = await leadWithHistory(org);
    const tokens = await s.client.tokens(org);
    const res = await convert(tokens, lead);
    expect(res.body.data[0].details).toMatchObject({ Deals: null, Accounts: { name: 'Lead Co' } });
    const got = await s.client.api(tokens, 'GET', `/Leads/${lead}`);
    expect(got.status).toBe(204);
    expect(got.text).toBe('');
    expect((await s.client.api(tokens, 'GET', '/Leads?fields=Last_Name')).status).toBe(204);
    expect(
      (await s.client.api(tokens, 'GET', `/Leads/search?email=${encodeURIComponent(email)}`)).status,
    ).toBe(204);
    const converted = await s.client.api(tokens, 'GET', '/Leads?fields=Last_Name,Email&converted=true');
    expect(converted.status).toBe(200);
    expect(converted.body.data).toEqual([{ id: lead, Last_Name: 'Lead', Email: email }]);
    const one = await s.client.api(tokens, 'GET', `/Leads/${lead}?converted=true`);
    expect(one.body.data[0]).toMatchObject({ id: lead, $converted: true });
    // What the Lead became, named on it (the keys lower-case, as live replies have them).
    const made = await s.client.api(tokens, 'GET', `/Contacts/search?email=${encodeURIComponent(email)}`);
    expect(one.body.data[0].$converted_detail).toMatchObject({
      contact: { id: made.body.data[0].id },
      deal: null,
      account: { name: 'Lead Co' },
    });
    // The person is a Contact now, found by the same address.
    const contact = await s.client.api(tokens, 'GET', `/Contacts/search?email=${encodeURIComponent(email)}`);
    expect(contact.body.data.map((c: { id: string }) => c.id)).toEqual([
      res.body.data[0].details.Contacts.id,
    ]);
  });

  it('refuses a second conversion with ID_ALREADY_CONVERTED and an unknown Lead with INVALID_DATA', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const { lead } = await leadWithHistory(org);
    const tokens = await s.client.tokens(org);
    expect((await convert(tokens, lead)).status).toBe(200);
    const again = await convert(tokens, lead);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      code: 'ID_ALREADY_CONVERTED',
      details: { resource_path_index: 1 },
      message: 'id already converted',
      status: 'error',
    });
    const unknown = await convert(tokens, '1111111111111111111');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'INVALID_DATA', details: { resource_path_index: 1 } });
  });

  it('attaches the Lead to an existing Contact when given one, and refuses a Deal Zoho would refuse', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const { lead, note } = await leadWithHistory(org);
    const [existing] = await s.client.seed(org, 'Contacts', [{ Last_Name: 'Already here' }]);
    const tokens = await s.client.tokens(org);
    const badDeal = await convert(tokens, lead, { Deals: { Deal_Name: 'No stage' } });
    expect(badDeal.status).toBe(400);
    expect(badDeal.body.data[0]).toMatchObject({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Stage', json_path: '$.data[0].Deals.Stage' },
    });
    // Nothing was converted: the Lead is still there and no Contact or Account was left behind.
    expect((await s.client.api(tokens, 'GET', `/Leads/${lead}`)).status).toBe(200);
    expect(await s.client.records(org, 'Accounts')).toEqual([]);
    const res = await convert(tokens, lead, { Contacts: { id: existing }, Accounts: undefined });
    expect(res.status).toBe(200);
    expect(res.body.data[0].details.Contacts.id).toBe(existing);
    expect((await s.client.records(org, 'Contacts')).map((c) => c.id)).toEqual([existing]);
    const notes = await s.client.api(tokens, 'GET', `/Contacts/${existing}/Notes?fields=Note_Title`);
    expect(notes.body.data.map((n: { id: string }) => n.id)).toEqual([note]);
  });

  it('needs ZohoCRM.modules.leads.CREATE (or broader), and is a heavy call', async () => {
    const org = await s.client.createOrg({ edition: 'enterprise', latency_ms: OVERLAP_MS, search_lag_ms: 0 });
    const leads = await s.client.seed(
      org,
      'Leads',
      Array.from({ length: 11 }, (_, i) => ({ Last_Name: `L${i}`, Company: `Co ${i}` })),
    );
    const readOnly = await s.client.tokens(org, 'ZohoCRM.modules.leads.READ,ZohoCRM.modules.contacts.ALL');
    const refused = await convert(readOnly, leads[0]!);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('OAUTH_SCOPE_MISMATCH');
    const tokens = await s.client.tokens(org);
    const results = await Promise.all(leads.map((id) => convert(tokens, id)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429).map((r) => r.body.code)).toEqual(['TOO_MANY_REQUESTS']);
  });
});
