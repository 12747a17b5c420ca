import { describe, expect, it } from 'vitest';
import { uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 58: admin API — a person deletes a record in Zoho’s UI', () => {
  const s = useSandbox();

  it('moves the record to the recycle bin with its Notes and Tasks; Deals stay without the Contact', async () => {
    const org = await s.client.createOrg();
    const email = uniqueEmail('deleted');
    const [contact, other] = await s.client.seed(org, 'Contacts', [
      { Last_Name: 'Doomed', Email: email },
      { Last_Name: 'Stays' },
    ]);
    const [note, keptNote] = await s.client.seed(org, 'Notes', [
      { Note_Content: 'About the doomed', Parent_Id: { module: { api_name: 'Contacts' }, id: contact } },
      { Note_Content: 'About another', Parent_Id: { module: { api_name: 'Contacts' }, id: other } },
    ]);
    const [task] = await s.client.seed(org, 'Tasks', [{ Subject: 'Call', Who_Id: contact }]);
    const [deal] = await s.client.seed(org, 'Deals', [
      { Deal_Name: 'Open deal', Stage: 'Qualification', Contact_Name: contact },
    ]);

    const res = await s.client.deleteRecord(org, 'Contacts', contact!);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ deleted: contact });

    const tokens = await s.client.tokens(org);
    const got = await s.client.api(tokens, 'GET', `/Contacts/${contact}`);
    expect(got.status).toBe(204);
    expect(got.text).toBe('');
    expect(
      (await s.client.api(tokens, 'GET', `/Contacts/search?email=${encodeURIComponent(email)}`)).status,
    ).toBe(204);
    const list = await s.client.api(tokens, 'GET', '/Contacts?fields=Last_Name');
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([other]);
    expect((await s.client.api(tokens, 'GET', `/Notes/${note}`)).status).toBe(204);
    expect((await s.client.api(tokens, 'GET', `/Notes/${keptNote}`)).status).toBe(200);
    expect((await s.client.api(tokens, 'GET', `/Tasks/${task}`)).status).toBe(204);
    const dealNow = await s.client.api(tokens, 'GET', `/Deals/${deal}`);
    expect(dealNow.status).toBe(200);
    expect(dealNow.body.data[0].Contact_Name).toBeNull();
  });

  it('answers 404 for a record that is not there (any more) and 400 for an unknown module', async () => {
    const org = await s.client.createOrg();
    const [lead] = await s.client.seed(org, 'Leads', [{ Last_Name: 'Once', Company: 'Acme' }]);
    expect((await s.client.deleteRecord(org, 'Leads', lead!)).status).toBe(200);
    expect((await s.client.deleteRecord(org, 'Leads', lead!)).status).toBe(404);
    expect((await s.client.deleteRecord(org, 'Widgets', lead!)).status).toBe(400);
    expect(await s.client.calls(org)).toEqual([]);
  });
});
