import { describe, expect, it } from 'vitest';
import { type CreatedOrg, type Tokens, useSandbox } from '../helpers/sandbox.ts';

/**
 * A converted, merged-away or deleted record no longer takes Notes or Tasks: Zoho refuses
 * the reference per record as it refuses an id that never existed.
 */
describe('conformance 59: Notes, Tasks and reads naming a converted, merged-away or deleted record', () => {
  const s = useSandbox();

  const relatedInvalid = (api_name: string, index = 0) => ({
    code: 'INVALID_DATA',
    details: { api_name, json_path: `$.data[${index}].${api_name}` },
    message: 'the related id given seems to be invalid',
    status: 'error',
  });

  /** One gone record of each kind, and a live Contact to show the rest still works. */
  const goneRecords = async (org: CreatedOrg) => {
    const [lead] = await s.client.seed(org, 'Leads', [{ Last_Name: 'Converted', Company: 'Conv Co' }]);
    const [master, merged, deleted] = await s.client.seed(org, 'Contacts', [
      { Last_Name: 'Master' },
      { Last_Name: 'Merged away' },
      { Last_Name: 'Deleted' },
    ]);
    const [deal] = await s.client.seed(org, 'Deals', [{ Deal_Name: 'Doomed deal', Stage: 'Qualification' }]);
    expect((await s.client.convertLead(org, lead!)).status).toBe(200);
    expect((await s.client.mergeRecords(org, 'Contacts', master!, { ids: [merged!] })).status).toBe(200);
    expect((await s.client.deleteRecord(org, 'Contacts', deleted!)).status).toBe(200);
    expect((await s.client.deleteRecord(org, 'Deals', deal!)).status).toBe(200);
    return { lead: lead!, merged: merged!, deleted: deleted!, deal: deal!, live: master! };
  };

  const note = (module: string, id: string) => ({
    Note_Content: 'After the meeting',
    Parent_Id: { module: { api_name: module }, id },
  });

  it('refuses a Note whose parent was converted, merged away or deleted, per record', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const gone = await goneRecords(org);
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Notes', {
      data: [
        note('Leads', gone.lead),
        note('Contacts', gone.merged),
        note('Contacts', gone.deleted),
        note('Contacts', gone.live),
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.data.slice(0, 3)).toEqual([
      relatedInvalid('Parent_Id', 0),
      relatedInvalid('Parent_Id', 1),
      relatedInvalid('Parent_Id', 2),
    ]);
    expect(res.body.data[3].code).toBe('SUCCESS');
    const direct = await s.client.api(tokens, 'POST', `/Leads/${gone.lead}/Notes`, {
      data: [{ Note_Content: 'x' }],
    });
    expect(direct.status).toBe(400);
    expect(direct.body.data).toEqual([relatedInvalid('Parent_Id')]);
  });

  it('refuses a Task whose Who_Id or What_Id names a gone record, per record', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const gone = await goneRecords(org);
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Tasks', {
      data: [
        { Subject: 'On converted lead', What_Id: { id: gone.lead }, $se_module: 'Leads' },
        { Subject: 'On merged contact', Who_Id: { id: gone.merged } },
        { Subject: 'On deleted contact', Who_Id: { id: gone.deleted } },
        { Subject: 'On deleted deal', What_Id: { id: gone.deal }, $se_module: 'Deals' },
        { Subject: 'On the master', Who_Id: { id: gone.live } },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.data.slice(0, 4)).toEqual([
      relatedInvalid('What_Id', 0),
      relatedInvalid('Who_Id', 1),
      relatedInvalid('Who_Id', 2),
      relatedInvalid('What_Id', 3),
    ]);
    expect(res.body.data[4].code).toBe('SUCCESS');
  });

  it('answers 204 to a get, 400 to a related list and INVALID_DATA per record to an update of a gone record', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const gone = await goneRecords(org);
    const tokens = await s.client.tokens(org);
    for (const [module, id] of [
      ['Leads', gone.lead],
      ['Contacts', gone.merged],
      ['Contacts', gone.deleted],
    ] as const) {
      const got = await s.client.api(tokens, 'GET', `/${module}/${id}`);
      expect(got.status).toBe(204);
      const related = await s.client.api(tokens, 'GET', `/${module}/${id}/Notes?fields=Note_Content`);
      expect(related.status).toBe(400);
      expect(related.body).toEqual({
        code: 'INVALID_DATA',
        details: { param_name: 'id' },
        message: 'the id given seems to be invalid',
        status: 'error',
      });
      const put = await s.client.api(tokens, 'PUT', `/${module}/${id}`, { data: [{ Description: 'x' }] });
      expect(put.status).toBe(400);
      expect(put.body.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'id' } });
    }
  });

  async function dealFor(tokens: Tokens, contact: string) {
    return s.client.api(tokens, 'POST', '/Deals', {
      data: [{ Deal_Name: 'New', Stage: 'Qualification', Contact_Name: { id: contact } }],
    });
  }

  it('refuses a lookup to a gone Contact in other modules too', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const gone = await goneRecords(org);
    const tokens = await s.client.tokens(org);
    const res = await dealFor(tokens, gone.deleted);
    expect(res.status).toBe(400);
    expect(res.body.data).toEqual([relatedInvalid('Contact_Name')]);
  });
});
