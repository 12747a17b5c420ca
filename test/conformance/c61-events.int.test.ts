import { describe, expect, it } from 'vitest';
import { type CreatedOrg, type Tokens, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

/**
 * Conformance 61: Zoho's Events module (Meetings). Event_Title, Start_DateTime and
 * End_DateTime are mandatory; datetimes are yyyy-MM-ddTHH:mm:ss±HH:mm and come back in the
 * org's time zone; Participants are `{ type, participant }` and read back with name, Email,
 * invited and status; Who_Id links a Contact, What_Id + $se_module a Lead, Deal or Account;
 * a Contact's or Lead's meetings are its `Invited_Events` related list.
 */
describe('conformance 61: Events (Meetings)', () => {
  const s = useSandbox();

  const create = async (tokens: Tokens, module: string, record: Record<string, unknown>) => {
    const res = await s.client.api(tokens, 'POST', `/${module}`, { data: [record] });
    expect(res.status, res.text).toBe(201);
    return res.body.data[0].details.id as string;
  };

  const meeting = (extra: Record<string, unknown> = {}) => ({
    Event_Title: 'Intro call',
    Start_DateTime: '2030-03-04T10:00:00+01:00',
    End_DateTime: '2030-03-04T10:30:00+01:00',
    ...extra,
  });

  async function orgWithPeople(timeZone = 'Europe/Paris') {
    const org = await s.client.createOrg({ time_zone: timeZone });
    const tokens = await s.client.tokens(org);
    const email = uniqueEmail('ada');
    const contactId = await create(tokens, 'Contacts', {
      First_Name: 'Ada',
      Last_Name: 'Lovelace',
      Email: email,
    });
    const leadId = await create(tokens, 'Leads', { First_Name: 'Lou', Last_Name: 'Lead', Company: 'Acme' });
    return { org, tokens, email, contactId, leadId };
  }

  it('creates a meeting with participants and reads it back as Zoho shapes it', async () => {
    const { org, tokens, email, contactId, leadId } = await orgWithPeople();
    const userId = (org as CreatedOrg).users[0]!.id;
    const id = await create(
      tokens,
      'Events',
      meeting({
        Venue: 'https://meet.example.com/abc',
        Description: 'Booked through PepoSmart',
        All_day: false,
        Participants: [
          { type: 'contact', participant: contactId },
          { type: 'lead', participant: leadId },
          { type: 'user', participant: userId },
          { type: 'email', participant: 'guest@example.org' },
        ],
      }),
    );
    const got = await s.client.api(tokens, 'GET', `/Events/${id}`);
    expect(got.status).toBe(200);
    const rec = got.body.data[0];
    expect(rec).toMatchObject({
      id,
      Event_Title: 'Intro call',
      Start_DateTime: '2030-03-04T10:00:00+01:00',
      End_DateTime: '2030-03-04T10:30:00+01:00',
      Venue: 'https://meet.example.com/abc',
      Description: 'Booked through PepoSmart',
      All_day: false,
      Owner: { id: userId },
    });
    expect(rec.Participants).toHaveLength(4);
    expect(rec.Participants[0]).toMatchObject({
      type: 'contact',
      participant: contactId,
      name: 'Ada Lovelace',
      Email: email,
      invited: false,
      status: 'not_known',
    });
    expect(rec.Participants[0].id).toMatch(/^\d+$/);
    expect(rec.Participants[1]).toMatchObject({ type: 'lead', participant: leadId, name: 'Lou Lead' });
    expect(rec.Participants[2]).toMatchObject({
      type: 'user',
      participant: userId,
      Email: org.users[0]!.email,
    });
    expect(rec.Participants[3]).toMatchObject({ type: 'email', participant: 'guest@example.org' });
  });

  it('answers datetimes in the org’s time zone, the same instant as written', async () => {
    const { tokens } = await orgWithPeople('Asia/Kolkata');
    const id = await create(
      tokens,
      'Events',
      meeting({ Start_DateTime: '2030-03-04T10:00:00+01:00', End_DateTime: '2030-03-04T11:00:00Z' }),
    );
    const got = await s.client.api(tokens, 'GET', `/Events/${id}`);
    expect(got.body.data[0]).toMatchObject({
      Start_DateTime: '2030-03-04T14:30:00+05:30',
      End_DateTime: '2030-03-04T16:30:00+05:30',
    });
  });

  it('refuses a meeting without its title, start or end: MANDATORY_NOT_FOUND naming the field', async () => {
    const { tokens } = await orgWithPeople();
    const res = await s.client.api(tokens, 'POST', '/Events', {
      data: [
        { Start_DateTime: '2030-03-04T10:00:00+01:00', End_DateTime: '2030-03-04T11:00:00+01:00' },
        { Event_Title: 'No start', End_DateTime: '2030-03-04T11:00:00+01:00' },
        { Event_Title: 'No end', Start_DateTime: '2030-03-04T10:00:00+01:00' },
      ],
    });
    expect(res.status).toBe(400);
    expect(
      res.body.data.map((d: { code: string; details: { api_name: string } }) => [d.code, d.details.api_name]),
    ).toEqual([
      ['MANDATORY_NOT_FOUND', 'Event_Title'],
      ['MANDATORY_NOT_FOUND', 'Start_DateTime'],
      ['MANDATORY_NOT_FOUND', 'End_DateTime'],
    ]);
  });

  it('refuses a datetime without an offset, a date alone or an impossible date as INVALID_DATA', async () => {
    const { tokens } = await orgWithPeople();
    const res = await s.client.api(tokens, 'POST', '/Events', {
      data: [
        meeting({ Start_DateTime: '2030-03-04T10:00:00' }),
        meeting({ End_DateTime: '2030-03-04' }),
        meeting({ Start_DateTime: '2030-02-30T10:00:00+01:00' }),
        meeting(),
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.data.map((d: { code: string }) => d.code)).toEqual([
      'INVALID_DATA',
      'INVALID_DATA',
      'INVALID_DATA',
      'SUCCESS',
    ]);
    expect(res.body.data[0].details).toMatchObject({
      api_name: 'Start_DateTime',
      json_path: '$.data[0].Start_DateTime',
      expected_data_type: 'datetime',
    });
    expect(res.body.data[1].details).toMatchObject({ api_name: 'End_DateTime' });
  });

  it('refuses a meeting that ends before it starts, on insert and on update', async () => {
    const { tokens } = await orgWithPeople();
    const res = await s.client.api(tokens, 'POST', '/Events', {
      data: [meeting({ End_DateTime: '2030-03-04T09:00:00+01:00' })],
    });
    expect(res.status).toBe(400);
    expect(res.body.data[0]).toMatchObject({
      code: 'INVALID_DATA',
      details: { api_name: 'End_DateTime', json_path: '$.data[0].End_DateTime' },
      status: 'error',
    });
    const id = await create(tokens, 'Events', meeting());
    const moved = await s.client.api(tokens, 'PUT', `/Events/${id}`, {
      data: [{ Start_DateTime: '2030-03-04T12:00:00+01:00' }],
    });
    expect(moved.status).toBe(400);
    expect(moved.body.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'End_DateTime' } });
  });

  it('moves a meeting and renames it; participants sent again replace the list', async () => {
    const { tokens, contactId, leadId } = await orgWithPeople();
    const id = await create(
      tokens,
      'Events',
      meeting({ Participants: [{ type: 'contact', participant: contactId }] }),
    );
    const res = await s.client.api(tokens, 'PUT', '/Events', {
      data: [
        {
          id,
          Event_Title: 'Intro call (moved)',
          Start_DateTime: '2030-03-05T15:00:00+01:00',
          End_DateTime: '2030-03-05T15:45:00+01:00',
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.data[0]).toMatchObject({ code: 'SUCCESS', details: { id }, message: 'record updated' });
    let got = await s.client.api(tokens, 'GET', `/Events/${id}`);
    expect(got.body.data[0]).toMatchObject({
      Event_Title: 'Intro call (moved)',
      Start_DateTime: '2030-03-05T15:00:00+01:00',
      End_DateTime: '2030-03-05T15:45:00+01:00',
    });
    expect(got.body.data[0].Participants.map((p: { participant: string }) => p.participant)).toEqual([
      contactId,
    ]);

    await s.client.api(tokens, 'PUT', `/Events/${id}`, {
      data: [{ Participants: [{ type: 'lead', participant: leadId }] }],
    });
    got = await s.client.api(tokens, 'GET', `/Events/${id}`);
    expect(got.body.data[0].Participants.map((p: { participant: string }) => p.participant)).toEqual([
      leadId,
    ]);
  });

  it('refuses a participant of an unknown type, a missing record or a bad address, naming Participants', async () => {
    const { tokens, leadId } = await orgWithPeople();
    const res = await s.client.api(tokens, 'POST', '/Events', {
      data: [
        meeting({ Participants: [{ type: 'account', participant: leadId }] }),
        meeting({ Participants: [{ type: 'contact', participant: leadId }] }),
        meeting({ Participants: [{ type: 'email', participant: 'not an address' }] }),
        meeting({ Participants: { type: 'lead', participant: leadId } }),
      ],
    });
    expect(res.status).toBe(400);
    for (const d of res.body.data)
      expect(d).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Participants' } });
    expect(res.body.data[1].details.json_path).toBe('$.data[1].Participants[0].participant');
  });

  it('links a Contact with Who_Id and a Lead with What_Id and $se_module', async () => {
    const { tokens, contactId, leadId } = await orgWithPeople();
    const withContact = await create(tokens, 'Events', meeting({ Who_Id: { id: contactId } }));
    const withLead = await create(
      tokens,
      'Events',
      meeting({ What_Id: { id: leadId }, $se_module: 'Leads' }),
    );
    const a = await s.client.api(tokens, 'GET', `/Events/${withContact}`);
    expect(a.body.data[0]).toMatchObject({ Who_Id: { id: contactId, name: 'Ada Lovelace' }, What_Id: null });
    const b = await s.client.api(tokens, 'GET', `/Events/${withLead}`);
    expect(b.body.data[0]).toMatchObject({
      What_Id: { id: leadId, name: 'Lou Lead' },
      $se_module: 'Leads',
      Who_Id: null,
    });

    const refused = await s.client.api(tokens, 'POST', '/Events', {
      data: [meeting({ What_Id: { id: leadId } }), meeting({ Who_Id: { id: leadId } })],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.data[1].details).toMatchObject({ api_name: 'Who_Id' });
  });

  it('lists a Contact’s and a Lead’s meetings as their Invited_Events related list', async () => {
    const { tokens, contactId, leadId } = await orgWithPeople();
    const both = await create(
      tokens,
      'Events',
      meeting({
        Event_Title: 'Both',
        Participants: [
          { type: 'contact', participant: contactId },
          { type: 'lead', participant: leadId },
        ],
      }),
    );
    const leadOnly = await create(
      tokens,
      'Events',
      meeting({ Event_Title: 'Lead only', Participants: [{ type: 'lead', participant: leadId }] }),
    );
    const lists = await s.client.api(tokens, 'GET', '/settings/related_lists?module=Contacts');
    expect(lists.body.related_lists).toContainEqual(
      expect.objectContaining({
        api_name: 'Invited_Events',
        module: expect.objectContaining({ api_name: 'Events' }),
        href: 'Contacts/{ENTITYID}/Invited_Events',
      }),
    );
    const ofContact = await s.client.api(
      tokens,
      'GET',
      `/Contacts/${contactId}/Invited_Events?fields=Event_Title`,
    );
    expect(ofContact.status).toBe(200);
    expect(ofContact.body.data).toEqual([{ id: both, Event_Title: 'Both' }]);
    const ofLead = await s.client.api(tokens, 'GET', `/Leads/${leadId}/Invited_Events?fields=Event_Title`);
    expect(ofLead.body.data.map((e: { id: string }) => e.id).sort()).toEqual([both, leadOnly].sort());
  });

  it('describes the module as Meetings and its fields with the mandatory ones marked', async () => {
    const { tokens } = await orgWithPeople();
    const mod = await s.client.api(tokens, 'GET', '/settings/modules/Events');
    expect(mod.body.modules[0]).toMatchObject({
      api_name: 'Events',
      plural_label: 'Meetings',
      api_supported: true,
    });
    const fields = await s.client.api(tokens, 'GET', '/settings/fields?module=Events');
    const byName = new Map(fields.body.fields.map((f: { api_name: string }) => [f.api_name, f]));
    for (const name of ['Event_Title', 'Start_DateTime', 'End_DateTime'])
      expect(byName.get(name), name).toMatchObject({ system_mandatory: true });
    expect(byName.get('Start_DateTime')).toMatchObject({ data_type: 'datetime' });
    expect(byName.get('All_day')).toMatchObject({ data_type: 'boolean', system_mandatory: false });
    expect(byName.get('What_Id')).toMatchObject({ data_type: 'lookup' });
    expect(byName.has('Participants')).toBe(true);
  });

  it('carries a converted Lead’s meetings to the Contact, as participant and as Who_Id', async () => {
    const { org, tokens, leadId } = await orgWithPeople();
    const id = await create(
      tokens,
      'Events',
      meeting({
        What_Id: { id: leadId },
        $se_module: 'Leads',
        Participants: [{ type: 'lead', participant: leadId }],
      }),
    );
    const converted = await s.client.convertLead(org, leadId, { account: false });
    expect(converted.status).toBe(200);
    const contactId = converted.body.Contacts;
    const got = await s.client.api(tokens, 'GET', `/Events/${id}`);
    expect(got.body.data[0]).toMatchObject({ Who_Id: { id: contactId }, What_Id: null });
    expect(got.body.data[0].Participants).toEqual([
      expect.objectContaining({ type: 'contact', participant: contactId, name: 'Lou Lead' }),
    ]);
    const invited = await s.client.api(
      tokens,
      'GET',
      `/Contacts/${contactId}/Invited_Events?fields=Event_Title`,
    );
    expect(invited.body.data.map((e: { id: string }) => e.id)).toEqual([id]);
  });

  it('follows a merge to the master and drops a deleted participant; a deleted Contact’s linked meetings go', async () => {
    const { org, tokens, contactId, leadId } = await orgWithPeople();
    const [twin] = await s.client.seed(org, 'Contacts', [{ First_Name: 'Ada', Last_Name: 'Twin' }]);
    const shared = await create(
      tokens,
      'Events',
      meeting({
        Participants: [
          { type: 'contact', participant: contactId },
          { type: 'contact', participant: twin },
          { type: 'lead', participant: leadId },
        ],
      }),
    );
    expect((await s.client.mergeRecords(org, 'Contacts', contactId, { ids: [twin!] })).status).toBe(200);
    let got = await s.client.api(tokens, 'GET', `/Events/${shared}`);
    expect(got.body.data[0].Participants.map((p: { participant: string }) => p.participant)).toEqual([
      contactId,
      leadId,
    ]);

    const linked = await create(tokens, 'Events', meeting({ Who_Id: { id: contactId } }));
    expect((await s.client.deleteRecord(org, 'Contacts', contactId)).status).toBe(200);
    expect((await s.client.api(tokens, 'GET', `/Events/${linked}`)).status).toBe(204);
    got = await s.client.api(tokens, 'GET', `/Events/${shared}`);
    expect(got.body.data[0].Participants.map((p: { participant: string }) => p.participant)).toEqual([
      leadId,
    ]);
  });

  it('shows an org’s meetings on its sandbox page: title, times and participants', async () => {
    const { org, tokens, contactId } = await orgWithPeople();
    await create(
      tokens,
      'Events',
      meeting({ Event_Title: 'Page check', Participants: [{ type: 'contact', participant: contactId }] }),
    );
    const res = await fetch(`${s.base}/__sandbox/orgs/${org.org_id}/view`);
    const page = await res.text();
    expect(res.status).toBe(200);
    const events = page.slice(page.indexOf('id="Events"'));
    expect(events).toContain('Page check');
    expect(events).toContain('2030-03-04T10:00:00+01:00');
    expect(events).toContain('Ada Lovelace');
  });

  it('refuses Events calls without an Events scope with OAUTH_SCOPE_MISMATCH', async () => {
    const { org, contactId } = await orgWithPeople();
    const narrow = await s.client.tokens(
      org,
      'ZohoCRM.modules.contacts.ALL,ZohoCRM.modules.leads.ALL,ZohoCRM.settings.ALL',
    );
    const write = await s.client.api(narrow, 'POST', '/Events', { data: [meeting()] });
    expect(write.status).toBe(401);
    expect(write.body).toMatchObject({ code: 'OAUTH_SCOPE_MISMATCH' });
    const related = await s.client.api(
      narrow,
      'GET',
      `/Contacts/${contactId}/Invited_Events?fields=Event_Title`,
    );
    expect(related.status).toBe(401);

    const events = await s.client.tokens(org, 'ZohoCRM.modules.events.CREATE,ZohoCRM.modules.events.READ');
    const id = await create(events, 'Events', meeting());
    const read = await s.client.api(events, 'GET', `/Events/${id}`);
    expect(read.status).toBe(200);
    const update = await s.client.api(events, 'PUT', `/Events/${id}`, { data: [{ Event_Title: 'x' }] });
    expect(update.status).toBe(401);
  });
});
