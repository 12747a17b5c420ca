import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.ts';

describe('conformance 51: Note_Content is mandatory; POST /Notes takes up to 100 notes, each with its own parent', () => {
  const s = useSandbox();

  const missingContent = (index = 0) => ({
    code: 'MANDATORY_NOT_FOUND',
    details: { api_name: 'Note_Content', json_path: `$.data[${index}].Note_Content` },
    message: 'required field not found',
    status: 'error',
  });

  it('refuses a note without Note_Content, or with a blank one, per record', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const [contact] = await s.client.seed(org, 'Contacts', [{ Last_Name: 'Noted' }]);
    const tokens = await s.client.tokens(org);
    const parent = { module: { api_name: 'Contacts' }, id: contact };
    const res = await s.client.api(tokens, 'POST', '/Notes', {
      data: [
        { Note_Title: 'No content', Parent_Id: parent },
        { Note_Title: 'Blank', Note_Content: '  ', Parent_Id: parent },
        { Note_Title: 'Fine', Note_Content: 'Spoke about pricing', Parent_Id: parent },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.data[0]).toEqual(missingContent(0));
    expect(res.body.data[1]).toEqual(missingContent(1));
    expect(res.body.data[2].code).toBe('SUCCESS');
    // The record's own Notes endpoint refuses it too.
    const direct = await s.client.api(tokens, 'POST', `/Contacts/${contact}/Notes`, {
      data: [{ Note_Title: 'x' }],
    });
    expect(direct.status).toBe(400);
    expect(direct.body.data[0]).toEqual(missingContent(0));
    const listed = await s.client.api(tokens, 'GET', `/Contacts/${contact}/Notes?fields=Note_Title`);
    expect(listed.body.data.map((n: { Note_Title: string }) => n.Note_Title)).toEqual(['Fine']);
  });

  it('takes 100 notes in one call, each on its own parent, and refuses 101', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const contacts = await s.client.seed(
      org,
      'Contacts',
      Array.from({ length: 50 }, (_, i) => ({ Last_Name: `C${i}` })),
    );
    const leads = await s.client.seed(
      org,
      'Leads',
      Array.from({ length: 50 }, (_, i) => ({ Last_Name: `L${i}`, Company: 'Acme' })),
    );
    const tokens = await s.client.tokens(org);
    const parents = [
      ...contacts.map((id) => ({ module: { api_name: 'Contacts' }, id })),
      ...leads.map((id) => ({ module: { api_name: 'Leads' }, id })),
    ];
    const notes = parents.map((Parent_Id, i) => ({
      Note_Title: `N${i}`,
      Note_Content: `note ${i}`,
      Parent_Id,
    }));
    const res = await s.client.api(tokens, 'POST', '/Notes', { data: notes });
    expect(res.status).toBe(201);
    expect(res.body.data).toHaveLength(100);
    const onLead = await s.client.api(
      tokens,
      'GET',
      `/Leads/${leads[7]}/Notes?fields=Note_Title,Note_Content`,
    );
    expect(onLead.body.data).toEqual([
      expect.objectContaining({ Note_Title: 'N57', Note_Content: 'note 57' }),
    ]);
    const tooMany = await s.client.api(tokens, 'POST', '/Notes', { data: [...notes, notes[0]] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 100 } });
  });
});
