import { describe, expect, it } from 'vitest';
import { uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 57: admin API — a person merges duplicate records in Zoho’s UI', () => {
  const s = useSandbox();

  it('keeps the master’s id, moves the merged records’ Notes, Tasks and Deals to it, and removes them', async () => {
    const org = await s.client.createOrg();
    const email = uniqueEmail('dup');
    const [master, dupA, dupB] = await s.client.seed(org, 'Contacts', [
      { First_Name: 'Max', Last_Name: 'Master', Email: email },
      { First_Name: 'Max', Last_Name: 'Dup A', Email: email },
      { First_Name: 'Max', Last_Name: 'Dup B', Email: email.toUpperCase() },
    ]);
    const [note] = await s.client.seed(org, 'Notes', [
      { Note_Content: 'On the duplicate', Parent_Id: { module: { api_name: 'Contacts' }, id: dupA } },
    ]);
    const [task] = await s.client.seed(org, 'Tasks', [{ Subject: 'Call back', Who_Id: dupB }]);
    const [deal] = await s.client.seed(org, 'Deals', [
      { Deal_Name: 'Dup deal', Stage: 'Qualification', Contact_Name: dupA },
    ]);
    const res = await s.client.mergeRecords(org, 'Contacts', master!, {
      ids: [dupA!, dupB!],
      fields: { Phone: '+1 555 0199' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: master, merged: [dupA, dupB] });

    const tokens = await s.client.tokens(org);
    const got = (await s.client.api(tokens, 'GET', `/Contacts/${master}`)).body.data[0];
    expect(got).toMatchObject({ Last_Name: 'Master', Phone: '+1 555 0199' });
    for (const gone of [dupA, dupB])
      expect((await s.client.api(tokens, 'GET', `/Contacts/${gone}`)).status).toBe(204);
    const related = async (list: string) =>
      (await s.client.api(tokens, 'GET', `/Contacts/${master}/${list}?fields=id`)).body.data.map(
        (r: { id: string }) => r.id,
      );
    expect(await related('Notes')).toEqual([note]);
    expect(await related('Tasks')).toEqual([task]);
    expect(await related('Deals')).toEqual([deal]);
    // Search finds only the master, at once (the org keeps its default search lag).
    const found = await s.client.api(tokens, 'GET', `/Contacts/search?email=${encodeURIComponent(email)}`);
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([master]);
  });

  it('merges Leads and Accounts too, and refuses unknown records, the master itself and other modules', async () => {
    const org = await s.client.createOrg();
    const [a, b] = await s.client.seed(org, 'Accounts', [
      { Account_Name: 'Zylker' },
      { Account_Name: 'Zylker Inc' },
    ]);
    const [staff] = await s.client.seed(org, 'Contacts', [{ Last_Name: 'Staff', Account_Name: b }]);
    expect((await s.client.mergeRecords(org, 'Accounts', a!, { ids: [b!] })).status).toBe(200);
    const contacts = await s.client.records(org, 'Contacts');
    expect(contacts.find((c) => c.id === staff).Account_Name.id).toBe(a);
    expect((await s.client.mergeRecords(org, 'Accounts', a!, { ids: [b!] })).status).toBe(404);
    expect((await s.client.mergeRecords(org, 'Accounts', a!, { ids: [a!] })).status).toBe(404);
    const [note] = await s.client.seed(org, 'Notes', [
      { Note_Content: 'x', Parent_Id: { module: { api_name: 'Accounts' }, id: a } },
    ]);
    expect((await s.client.mergeRecords(org, 'Notes', note!, { ids: [note!] })).status).toBe(400);
  });
});
