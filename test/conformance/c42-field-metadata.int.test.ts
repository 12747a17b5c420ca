import { describe, expect, it } from 'vitest';
import { type Tokens, useSandbox } from '../helpers/sandbox.ts';
import { sdkShapeErrors } from '../helpers/sdk-shape.ts';

const FIELD = 'core/com/zoho/crm/api/fields/fields';

interface PickListValue {
  id: string;
  display_value: string;
  actual_value: string;
  sequence_number: number;
  probability?: number;
  forecast_type?: string;
  maps?: Array<{ api_name: string; pick_list_values: PickListValue[] }>;
}

interface Field {
  id: string;
  api_name: string;
  field_label: string;
  data_type: string;
  json_type: string;
  system_mandatory: boolean;
  pick_list_values: PickListValue[];
  lookup: { module?: { api_name: string; id?: string } };
}

/** The data types the official SDK maps to a type of its own (Utility.fillDataType). */
const sdkTypes = [
  'text',
  'textarea',
  'email',
  'phone',
  'date',
  'datetime',
  'currency',
  'integer',
  'boolean',
  'website',
  'picklist',
  'lookup',
  'ownerlookup',
  // Events' Participants; the SDK types that field by its api_name (Utility.setDataType).
  'multiselectlookup',
];

describe('conformance 42: field metadata types every field as the official SDK reads it; Stage and Pipeline are picklists', () => {
  const s = useSandbox();

  const pipelines = [
    { name: 'Sales', default: true, stages: ['Prospecting', 'Demo', 'Closed Won', 'Closed Lost'] },
    { name: 'Renewals', stages: ['Renewal Due', 'Renewed', 'Closed Lost'] },
  ];

  const fieldsOf = async (tokens: Tokens, module: string) => {
    const res = await s.client.api(tokens, 'GET', `/settings/fields?module=${module}`);
    expect(res.status).toBe(200);
    return Object.fromEntries((res.body.fields as Field[]).map((f) => [f.api_name, f])) as Record<
      string,
      Field
    >;
  };

  it('every field of every served module has the attributes and JSON types the SDK parses', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const served = (await s.client.api(tokens, 'GET', '/settings/modules')).body.modules.map(
      (m: { api_name: string }) => m.api_name,
    ) as string[];
    expect(served).toEqual(expect.arrayContaining(['Contacts', 'Leads', 'Notes', 'Tasks', 'Deals']));
    for (const module of served) {
      const fields = Object.values(await fieldsOf(tokens, module));
      expect(fields.length).toBeGreaterThan(3);
      for (const f of fields) {
        expect(sdkShapeErrors(f as unknown as Record<string, unknown>, FIELD)).toEqual([]);
        expect(f).toMatchObject({
          id: expect.stringMatching(/^\d{19}$/),
          field_label: expect.any(String),
          json_type: expect.stringMatching(/^(string|double|integer|boolean|jsonobject|jsonarray)$/),
          system_mandatory: expect.any(Boolean),
        });
        expect([module, f.api_name, sdkTypes.includes(f.data_type)]).toEqual([module, f.api_name, true]);
      }
    }
  });

  it('Deals’ Stage is a picklist of the org’s stages, Pipeline a picklist whose values map their own stages', async () => {
    const org = await s.client.createOrg({ pipelines });
    const tokens = await s.client.tokens(org);
    const deals = await fieldsOf(tokens, 'Deals');
    const stage = deals['Stage']!;
    expect(stage).toMatchObject({ data_type: 'picklist', json_type: 'string', system_mandatory: true });
    // Each stage once, in the pipelines' order.
    expect(stage.pick_list_values.map((v) => v.actual_value)).toEqual([
      'Prospecting',
      'Demo',
      'Closed Won',
      'Closed Lost',
      'Renewal Due',
      'Renewed',
    ]);
    expect(stage.pick_list_values.find((v) => v.actual_value === 'Closed Won')).toMatchObject({
      display_value: 'Closed Won',
      forecast_type: 'Closed Won',
      probability: expect.any(Number),
      id: expect.stringMatching(/^\d{19}$/),
    });
    const pipeline = deals['Pipeline']!;
    expect(pipeline).toMatchObject({ data_type: 'picklist', json_type: 'string' });
    expect(
      pipeline.pick_list_values.map((p) => ({
        pipeline: p.actual_value,
        maps: p.maps?.map((m) => ({
          api_name: m.api_name,
          stages: m.pick_list_values.map((v) => v.actual_value),
        })),
      })),
    ).toEqual([
      { pipeline: 'Sales', maps: [{ api_name: 'Stage', stages: pipelines[0]!.stages }] },
      { pipeline: 'Renewals', maps: [{ api_name: 'Stage', stages: pipelines[1]!.stages }] },
    ]);
    // The pipeline API and the field metadata name the same pipelines and stages by the same ids.
    const layoutId = (await s.client.api(tokens, 'GET', '/settings/layouts?module=Deals')).body.layouts[0].id;
    const api = (await s.client.api(tokens, 'GET', `/settings/pipeline?layout_id=${layoutId}`)).body.pipeline;
    expect(pipeline.pick_list_values.map((p) => p.id)).toEqual(api.map((p: { id: string }) => p.id));
    expect(pipeline.pick_list_values[1]!.maps![0]!.pick_list_values.map((v) => v.id)).toEqual(
      api[1].maps.map((m: { id: string }) => m.id),
    );
  });

  it('lookups name their module and its id; polymorphic ones se_module; owners are ownerlookup', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const modules = (await s.client.api(tokens, 'GET', '/settings/modules')).body.modules as Array<{
      api_name: string;
      id: string;
    }>;
    const contactsId = modules.find((m) => m.api_name === 'Contacts')!.id;
    const deals = await fieldsOf(tokens, 'Deals');
    expect(deals['Contact_Name']).toMatchObject({
      data_type: 'lookup',
      json_type: 'jsonobject',
      lookup: { module: { api_name: 'Contacts', id: contactsId } },
    });
    expect(deals['Owner']).toMatchObject({ data_type: 'ownerlookup', json_type: 'jsonobject' });
    expect(deals['Amount']).toMatchObject({ data_type: 'currency', json_type: 'double' });
    const tasks = await fieldsOf(tokens, 'Tasks');
    expect(tasks['What_Id']).toMatchObject({
      data_type: 'lookup',
      lookup: { module: { api_name: 'se_module' } },
    });
    expect(tasks['Who_Id']!.lookup.module).toEqual({ api_name: 'Contacts', id: contactsId });
    expect(tasks['Status']!.pick_list_values.map((v) => v.actual_value)).toEqual([
      'Not Started',
      'Deferred',
      'In Progress',
      'Completed',
      'Waiting for input',
    ]);
    expect(tasks['Subject']!.lookup).toEqual({});
  });

  it('marks the org’s extra mandatory fields system_mandatory', async () => {
    const org = await s.client.createOrg({ mandatory_fields: { Contacts: ['Email'] } });
    const tokens = await s.client.tokens(org);
    const contacts = await fieldsOf(tokens, 'Contacts');
    expect(contacts['Email']!.system_mandatory).toBe(true);
    expect(contacts['Last_Name']!.system_mandatory).toBe(true);
    expect(contacts['Phone']!.system_mandatory).toBe(false);
  });
});
