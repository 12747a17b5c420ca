import { describe, expect, it } from 'vitest';
import { useSandbox } from '../../test/helpers/sandbox.ts';

describe('sandbox admin API: custom fields and picklist values', () => {
  const s = useSandbox();

  it('adds a custom field named from its label, or by the api_name given, with its own id', async () => {
    const org = await s.client.createOrg();
    const a = await s.client.addField(org, { module: 'leads', label: 'Booking Source (web)', type: 'text' });
    expect(a.status).toBe(201);
    expect(a.body.field).toMatchObject({
      api_name: 'Booking_Source_web',
      field_label: 'Booking Source (web)',
      data_type: 'text',
      custom_field: true,
      id: expect.stringMatching(/^\d{19}$/),
    });
    const b = await s.client.addField(org, {
      module: 'Events',
      label: 'Plan',
      api_name: 'Plan_Choice',
      type: 'picklist',
      values: ['Basic', 'Pro'],
    });
    expect(b.body.field).toMatchObject({
      api_name: 'Plan_Choice',
      data_type: 'picklist',
      pick_list_values: [
        expect.objectContaining({ display_value: 'Basic' }),
        expect.objectContaining({ display_value: 'Pro' }),
      ],
    });
  });

  it('refuses a taken api_name, Notes, a picklist without values, values on another type and unknown keys', async () => {
    const org = await s.client.createOrg();
    const taken = await s.client.addField(org, { module: 'Contacts', label: 'Email', type: 'email' });
    expect(taken.status).toBe(409);
    const notes = await s.client.addField(org, { module: 'Notes', label: 'Mood', type: 'text' });
    expect(notes.status).toBe(400);
    const noValues = await s.client.addField(org, { module: 'Leads', label: 'Tier', type: 'picklist' });
    expect(noValues.status).toBe(400);
    const stray = await s.client.addField(org, {
      module: 'Leads',
      label: 'Tier',
      type: 'text',
      values: ['a'],
    });
    expect(stray.status).toBe(400);
    const extra = await s.client.json('POST', `/__sandbox/orgs/${org.org_id}/fields`, {
      module: 'Leads',
      label: 'Tier',
      type: 'text',
      length: 9,
    });
    expect(extra.status).toBe(400);
    const unknownOrg = await s.client.addField(
      { org_id: '1' },
      { module: 'Leads', label: 'Tier', type: 'text' },
    );
    expect(unknownOrg.status).toBe(404);
  });

  it('deletes a custom field only; a standard or unknown one is refused', async () => {
    const org = await s.client.createOrg();
    await s.client.addField(org, { module: 'Contacts', label: 'Region', type: 'text' });
    expect((await s.client.deleteField(org, 'Contacts', 'Region')).body).toEqual({ deleted: 'Region' });
    expect((await s.client.deleteField(org, 'Contacts', 'Region')).status).toBe(404);
    expect((await s.client.deleteField(org, 'Contacts', 'Last_Name')).status).toBe(400);
  });

  it('sets a standard or custom picklist’s values for one org; other fields are not picklists', async () => {
    const org = await s.client.createOrg();
    const set = await s.client.setPicklistValues(org, 'Leads', 'Lead_Source', ['-None-', 'PepoSmart']);
    expect(set.status).toBe(200);
    expect(set.body.field.pick_list_values.map((v) => v.display_value)).toEqual(['-None-', 'PepoSmart']);
    await s.client.addField(org, { module: 'Leads', label: 'Tier', type: 'picklist', values: ['Gold'] });
    const custom = await s.client.setPicklistValues(org, 'Leads', 'Tier', ['Gold', 'Silver']);
    expect(custom.body.field.pick_list_values.map((v) => v.display_value)).toEqual(['Gold', 'Silver']);
    expect((await s.client.setPicklistValues(org, 'Leads', 'Company', ['x'])).status).toBe(400);
    expect((await s.client.setPicklistValues(org, 'Leads', 'Lead_Source', [])).status).toBe(400);
  });
});
