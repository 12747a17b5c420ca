import { describe, expect, it } from 'vitest';
import { type Tokens, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 23: notes with the v8 Parent_Id object', () => {
  const s = useSandbox();

  const create = async (tokens: Tokens, module: string, record: Record<string, unknown>) => {
    const res = await s.client.api(tokens, 'POST', `/${module}`, { data: [record] });
    expect(res.status).toBe(201);
    return res.body.data[0].details.id as string;
  };
  const note = (module: string, id: string, title: string) => ({
    Note_Title: title,
    Note_Content: `${title} content`,
    Parent_Id: { module: { api_name: module }, id },
  });

  it('attaches a note to a Contact and lists it among the Contact’s Notes', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const contactId = await create(tokens, 'Contacts', { Last_Name: 'Noted' });
    const otherId = await create(tokens, 'Contacts', { Last_Name: 'Other' });
    const res = await s.client.api(tokens, 'POST', '/Notes', { data: [note('Contacts', contactId, 'Call')] });
    expect(res.status).toBe(201);
    expect(res.body.data[0]).toMatchObject({
      code: 'SUCCESS',
      details: { id: expect.stringMatching(/^\d{19}$/) },
    });
    const noteId = res.body.data[0].details.id;
    const listed = await s.client.api(
      tokens,
      'GET',
      `/Contacts/${contactId}/Notes?fields=Note_Title,Note_Content,Parent_Id`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      {
        id: noteId,
        Note_Title: 'Call',
        Note_Content: 'Call content',
        Parent_Id: { module: { api_name: 'Contacts', id: null }, name: 'Noted', id: contactId },
      },
    ]);
    expect(listed.body.info).toMatchObject({ count: 1, more_records: false });
    // Another contact has no notes.
    const none = await s.client.api(tokens, 'GET', `/Contacts/${otherId}/Notes?fields=Note_Title`);
    expect(none.status).toBe(204);
    expect(none.text).toBe('');
  });

  it('attaches notes to Leads too, each listed only under its own parent', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const leadId = await create(tokens, 'Leads', { Last_Name: 'Lead', Company: 'Acme' });
    const contactId = await create(tokens, 'Contacts', { Last_Name: 'Contact' });
    const res = await s.client.api(tokens, 'POST', '/Notes', {
      data: [note('Leads', leadId, 'On lead'), note('Contacts', contactId, 'On contact')],
    });
    expect(res.status).toBe(201);
    const onLead = await s.client.api(tokens, 'GET', `/Leads/${leadId}/Notes?fields=Note_Title`);
    expect(onLead.body.data.map((n: { Note_Title: string }) => n.Note_Title)).toEqual(['On lead']);
    const onContact = await s.client.api(tokens, 'GET', `/Contacts/${contactId}/Notes?fields=Note_Title`);
    expect(onContact.body.data.map((n: { Note_Title: string }) => n.Note_Title)).toEqual(['On contact']);
  });

  it('refuses per record a note whose parent does not exist or names the wrong module', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const contactId = await create(tokens, 'Contacts', { Last_Name: 'Real' });
    const res = await s.client.api(tokens, 'POST', '/Notes', {
      data: [
        note('Contacts', '1111111111111111111', 'Ghost parent'),
        note('Contacts', contactId, 'Good'),
        note('Leads', contactId, 'Wrong module'),
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.data.map((d: { code: string }) => d.code)).toEqual([
      'INVALID_DATA',
      'SUCCESS',
      'INVALID_DATA',
    ]);
    expect(res.body.data[0]).toMatchObject({
      status: 'error',
      details: { api_name: 'Parent_Id', json_path: '$.data[0].Parent_Id' },
    });
    expect(res.body.data[2].details).toMatchObject({
      api_name: 'Parent_Id',
      json_path: '$.data[2].Parent_Id',
    });
    const missingParent = await s.client.api(tokens, 'POST', '/Notes', {
      data: [{ Note_Content: 'orphan' }],
    });
    expect(missingParent.status).toBe(400);
    expect(missingParent.body.data[0]).toMatchObject({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Parent_Id' },
    });
    const listed = await s.client.api(tokens, 'GET', `/Contacts/${contactId}/Notes?fields=Note_Title`);
    expect(listed.body.data.map((n: { Note_Title: string }) => n.Note_Title)).toEqual(['Good']);
  });
});
