import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.ts';

describe('conformance 55: the Accounts module, its lookups and related lists', () => {
  const s = useSandbox();

  it('needs Account_Name, and links Contacts and Deals to an Account with their Account_Name lookup', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org);
    const missing = await s.client.api(tokens, 'POST', '/Accounts', { data: [{ Phone: '555 0100' }] });
    expect(missing.status).toBe(400);
    expect(missing.body.data[0]).toMatchObject({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Account_Name', json_path: '$.data[0].Account_Name' },
    });
    const created = await s.client.api(tokens, 'POST', '/Accounts', { data: [{ Account_Name: 'Zylker' }] });
    expect(created.status).toBe(201);
    const account = created.body.data[0].details.id as string;
    const contact = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Staff', Account_Name: { id: account } }],
    });
    const contactId = contact.body.data[0].details.id;
    const deal = await s.client.api(tokens, 'POST', '/Deals', {
      data: [
        {
          Deal_Name: 'Zylker renewal',
          Stage: 'Qualification',
          Account_Name: account,
          Contact_Name: contactId,
        },
      ],
    });
    expect(deal.status).toBe(201);
    const got = await s.client.api(tokens, 'GET', `/Contacts/${contactId}`);
    expect(got.body.data[0].Account_Name).toEqual({ name: 'Zylker', id: account });
    const ghost = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Ghost', Account_Name: '1111111111111111111' }],
    });
    expect(ghost.body.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Account_Name' } });
  });

  it('lists an Account’s Contacts, Deals, Notes and Tasks', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const [account, other] = await s.client.seed(org, 'Accounts', [
      { Account_Name: 'Zylker' },
      { Account_Name: 'Other' },
    ]);
    const [contact] = await s.client.seed(org, 'Contacts', [{ Last_Name: 'Staff', Account_Name: account }]);
    const [deal] = await s.client.seed(org, 'Deals', [
      { Deal_Name: 'Big', Stage: 'Qualification', Account_Name: account },
    ]);
    const [note] = await s.client.seed(org, 'Notes', [
      { Note_Content: 'Account note', Parent_Id: { module: { api_name: 'Accounts' }, id: account } },
    ]);
    const [task] = await s.client.seed(org, 'Tasks', [
      { Subject: 'Call HQ', What_Id: { id: account }, $se_module: 'Accounts' },
    ]);
    const tokens = await s.client.tokens(org);
    const list = async (related: string, id = account!) =>
      (await s.client.api(tokens, 'GET', `/Accounts/${id}/${related}?fields=id`)).body?.data?.map(
        (r: { id: string }) => r.id,
      );
    expect(await list('Contacts')).toEqual([contact]);
    expect(await list('Deals')).toEqual([deal]);
    expect(await list('Notes')).toEqual([note]);
    expect(await list('Tasks')).toEqual([task]);
    expect(await list('Contacts', other)).toBeUndefined();
  });

  it('needs the accounts module scope', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org, 'ZohoCRM.modules.contacts.ALL');
    const res = await s.client.api(tokens, 'GET', '/Accounts?fields=Account_Name');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('OAUTH_SCOPE_MISMATCH');
    const ok = await s.client.tokens(org, 'ZohoCRM.modules.accounts.READ');
    expect((await s.client.api(ok, 'GET', '/Accounts?fields=Account_Name')).status).toBe(204);
  });
});
