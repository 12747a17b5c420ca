import { describe, expect, it } from 'vitest';
import { type CreatedOrg, type Tokens, useSandbox } from '../helpers/sandbox.ts';

/**
 * Conformance 62: an org's own fields. Lead_Source is a picklist with Zoho's default values
 * (an org may change them); custom fields appear in `/settings/fields` with
 * `custom_field: true` and take values of their type; a value of the wrong type or not in a
 * picklist is refused per record with INVALID_DATA naming the field; a key naming no field
 * (a deleted custom field) is dropped silently and the record is written.
 */

interface Field {
  api_name: string;
  data_type: string;
  custom_field: boolean;
  system_mandatory: boolean;
  pick_list_values: Array<{ display_value: string; actual_value: string }>;
}

describe('conformance 62: custom fields and picklists per org', () => {
  const s = useSandbox();

  const fieldsOf = async (tokens: Tokens, module: string) => {
    const res = await s.client.api(tokens, 'GET', `/settings/fields?module=${module}`);
    expect(res.status).toBe(200);
    return new Map((res.body.fields as Field[]).map((f) => [f.api_name, f]));
  };

  const insert = (tokens: Tokens, module: string, data: Array<Record<string, unknown>>) =>
    s.client.api(tokens, 'POST', `/${module}`, { data });

  async function newOrg(): Promise<{ org: CreatedOrg; tokens: Tokens }> {
    const org = await s.client.createOrg();
    return { org, tokens: await s.client.tokens(org) };
  }

  it('describes Lead_Source on Contacts and Leads as a picklist of Zoho’s default values', async () => {
    const { tokens } = await newOrg();
    for (const module of ['Contacts', 'Leads']) {
      const f = (await fieldsOf(tokens, module)).get('Lead_Source');
      expect(f).toMatchObject({ data_type: 'picklist', custom_field: false });
      const shown = f!.pick_list_values.map((v) => v.display_value);
      expect(shown[0]).toBe('-None-');
      expect(shown).toEqual(
        expect.arrayContaining(['Advertisement', 'Cold Call', 'Web Download', 'Trade Show']),
      );
      expect(shown).not.toContain('PepoSmart');
    }
  });

  it('takes a Lead_Source among the values and refuses another with INVALID_DATA naming the field', async () => {
    const { tokens } = await newOrg();
    const res = await insert(tokens, 'Leads', [
      { Last_Name: 'Ok', Company: 'Acme', Lead_Source: 'Web Download' },
      { Last_Name: 'Not listed', Company: 'Acme', Lead_Source: 'PepoSmart' },
    ]);
    expect(res.status).toBe(207);
    expect(res.body.data[0].code).toBe('SUCCESS');
    expect(res.body.data[1]).toMatchObject({
      code: 'INVALID_DATA',
      details: {
        api_name: 'Lead_Source',
        json_path: '$.data[1].Lead_Source',
        expected_data_type: 'picklist',
      },
      status: 'error',
    });
    const got = await s.client.api(tokens, 'GET', `/Leads/${res.body.data[0].details.id}`);
    expect(got.body.data[0].Lead_Source).toBe('Web Download');
  });

  it('takes an org’s own Lead_Source values once its administrator adds one; other orgs keep theirs', async () => {
    const { org, tokens } = await newOrg();
    const other = await newOrg();
    const set = await s.client.setPicklistValues(org, 'Contacts', 'Lead_Source', [
      '-None-',
      'Web Download',
      'PepoSmart',
    ]);
    expect(set.status).toBe(200);
    const shown = (await fieldsOf(tokens, 'Contacts')).get('Lead_Source')!.pick_list_values;
    expect(shown.map((v) => v.display_value)).toEqual(['-None-', 'Web Download', 'PepoSmart']);
    expect((await insert(tokens, 'Contacts', [{ Last_Name: 'Pepo', Lead_Source: 'PepoSmart' }])).status).toBe(
      201,
    );
    const refused = await insert(tokens, 'Contacts', [{ Last_Name: 'Gone', Lead_Source: 'Cold Call' }]);
    expect(refused.body.data[0]).toMatchObject({
      code: 'INVALID_DATA',
      details: { api_name: 'Lead_Source' },
    });
    // Leads of the same org and Contacts of another org keep the default values.
    expect(
      (await insert(tokens, 'Leads', [{ Last_Name: 'L', Company: 'C', Lead_Source: 'PepoSmart' }])).status,
    ).toBe(400);
    expect(
      (await insert(other.tokens, 'Contacts', [{ Last_Name: 'O', Lead_Source: 'PepoSmart' }])).status,
    ).toBe(400);
  });

  it('lists a custom field with custom_field true, named from its label, and stores its value', async () => {
    const { org, tokens } = await newOrg();
    const added = await s.client.addField(org, { module: 'Contacts', label: 'Booking Source', type: 'text' });
    expect(added.status).toBe(201);
    expect(added.body.field).toMatchObject({
      api_name: 'Booking_Source',
      data_type: 'text',
      custom_field: true,
    });
    const fields = await fieldsOf(tokens, 'Contacts');
    expect(fields.get('Booking_Source')).toMatchObject({
      data_type: 'text',
      custom_field: true,
      system_mandatory: false,
    });
    expect(fields.get('Last_Name')).toMatchObject({ custom_field: false });

    const res = await insert(tokens, 'Contacts', [{ Last_Name: 'Cu', Booking_Source: 'Intro call' }]);
    expect(res.status).toBe(201);
    const id = res.body.data[0].details.id;
    const got = await s.client.api(tokens, 'GET', `/Contacts/${id}`);
    expect(got.body.data[0].Booking_Source).toBe('Intro call');
    const listed = await s.client.api(tokens, 'GET', '/Contacts?fields=Last_Name,Booking_Source');
    expect(listed.body.data).toEqual([{ id, Last_Name: 'Cu', Booking_Source: 'Intro call' }]);
  });

  it('takes values of each custom field’s type and refuses wrong ones with the expected type named', async () => {
    const { org, tokens } = await newOrg();
    const types = [
      ['Guests', 'integer', 3, '3'],
      ['Meeting Day', 'date', '2030-01-31', '31/01/2030'],
      ['Booked At', 'datetime', '2030-01-31T09:00:00+00:00', '2030-01-31 09:00'],
      ['First Visit', 'boolean', true, 'yes'],
      ['Budget', 'currency', 1200.5, '1200'],
      ['Work Email', 'email', 'a@example.com', 'not-an-email'],
      ['Profile', 'url', 'https://example.com/a', 'not a url'],
    ] as const;
    for (const [label, type] of types)
      expect((await s.client.addField(org, { module: 'Leads', label, type })).status).toBe(201);
    expect(
      (
        await s.client.addField(org, {
          module: 'Leads',
          label: 'Plan',
          type: 'picklist',
          values: ['Basic', 'Pro'],
        })
      ).status,
    ).toBe(201);

    const good: Record<string, unknown> = { Last_Name: 'Typed', Company: 'Acme', Plan: 'Pro' };
    for (const [label, , ok] of types) good[label.replace(' ', '_')] = ok;
    const res = await insert(tokens, 'Leads', [good]);
    expect(res.status, res.text).toBe(201);
    const got = await s.client.api(tokens, 'GET', `/Leads/${res.body.data[0].details.id}`);
    expect(got.body.data[0]).toMatchObject({
      Guests: 3,
      Meeting_Day: '2030-01-31',
      First_Visit: true,
      Budget: 1200.5,
      Plan: 'Pro',
    });

    const bad = types.map(([label, , , wrong]) => ({
      Last_Name: 'Bad',
      Company: 'Acme',
      [label.replace(' ', '_')]: wrong,
    }));
    const refused = await insert(tokens, 'Leads', [
      ...bad,
      { Last_Name: 'Bad', Company: 'Acme', Plan: 'Enterprise' },
    ]);
    expect(refused.status).toBe(400);
    const names = refused.body.data.map((d: { code: string; details: { api_name: string } }) => [
      d.code,
      d.details.api_name,
    ]);
    expect(names).toEqual([
      ...types.map(([label]) => ['INVALID_DATA', label.replace(' ', '_')]),
      ['INVALID_DATA', 'Plan'],
    ]);
    expect(refused.body.data[0].details.expected_data_type).toBe('integer');
    expect(refused.body.data[3].details.expected_data_type).toBe('boolean');
  });

  it('drops a deleted custom field from the field list and from reads, and writes a record naming it without it', async () => {
    const { org, tokens } = await newOrg();
    await s.client.addField(org, { module: 'Events', label: 'Event Type', type: 'text' });
    const meeting = {
      Event_Title: 'Demo',
      Start_DateTime: '2030-01-31T09:00:00+00:00',
      End_DateTime: '2030-01-31T09:30:00+00:00',
      Event_Type: '30 min demo',
    };
    const before = await insert(tokens, 'Events', [meeting]);
    expect(before.status).toBe(201);
    expect((await s.client.deleteField(org, 'Events', 'Event_Type')).status).toBe(200);
    expect((await fieldsOf(tokens, 'Events')).has('Event_Type')).toBe(false);
    const old = await s.client.api(tokens, 'GET', `/Events/${before.body.data[0].details.id}`);
    expect(old.body.data[0]).not.toHaveProperty('Event_Type');

    const after = await insert(tokens, 'Events', [meeting]);
    expect(after.status).toBe(201);
    expect(after.body.data[0].code).toBe('SUCCESS');
    const got = await s.client.api(tokens, 'GET', `/Events/${after.body.data[0].details.id}`);
    expect(got.body.data[0]).toMatchObject({ Event_Title: 'Demo' });
    expect(got.body.data[0]).not.toHaveProperty('Event_Type');
  });

  it('refuses a record without a mandatory custom field with MANDATORY_NOT_FOUND', async () => {
    const { org, tokens } = await newOrg();
    await s.client.addField(org, { module: 'Contacts', label: 'Region', type: 'text', mandatory: true });
    expect((await fieldsOf(tokens, 'Contacts')).get('Region')).toMatchObject({ system_mandatory: true });
    const res = await insert(tokens, 'Contacts', [
      { Last_Name: 'No region' },
      { Last_Name: 'Region', Region: 'EU' },
    ]);
    expect(res.status).toBe(207);
    expect(res.body.data[0]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Region' } });
    expect(res.body.data[1].code).toBe('SUCCESS');
  });
});
