import { describe, expect, it } from 'vitest';
import { ZohoError } from './errors.ts';
import { createZohoFields } from './fields.ts';
import type { ApiRequest, ZohoTransport } from './transport.ts';

/** A transport answering one body, keeping the requests. */
function answering(body: unknown) {
  const requests: ApiRequest[] = [];
  const transport: ZohoTransport = {
    request: async (_auth, req) => {
      requests.push(req);
      return body;
    },
  };
  return { requests, fields: createZohoFields(transport) };
}
const auth = { get: async () => ({ accessToken: 't', apiDomain: 'https://x', orgKey: 'o' }) };

describe('zoho fields', () => {
  it('reads /settings/fields for the module and keeps what a row needs', async () => {
    const { requests, fields } = answering({
      fields: [
        {
          api_name: 'Lead_Source',
          field_label: 'Lead Source',
          display_label: 'Source',
          data_type: 'picklist',
          json_type: 'string',
          length: 120,
          system_mandatory: false,
          operation_type: { api_create: true, api_update: true, web_create: true, web_update: true },
          pick_list_values: [
            { display_value: '-None-', actual_value: '-None-', type: 'used' },
            { display_value: 'Booked online', actual_value: 'PepoSmart', type: 'used' },
            { display_value: 'Fax', actual_value: 'Fax', type: 'unused' },
          ],
        },
        { api_name: 'Lead_No', data_type: 'autonumber', read_only: true },
        {
          api_name: 'Score',
          data_type: 'integer',
          json_type: 'integer',
          operation_type: { api_create: false },
        },
        {
          api_name: 'Budget',
          field_label: 'Budget',
          data_type: 'currency',
          decimal_place: 2,
          system_mandatory: true,
        },
      ],
    });
    const out = await fields.fields(auth, 'Leads');
    expect(requests).toEqual([{ method: 'GET', path: '/settings/fields', query: { module: 'Leads' } }]);
    expect(out[0]).toEqual({
      apiName: 'Lead_Source',
      label: 'Source',
      dataType: 'picklist',
      jsonType: 'string',
      length: 120,
      decimalPlace: null,
      picklist: [
        { display: '-None-', actual: '-None-' },
        { display: 'Booked online', actual: 'PepoSmart' },
      ],
      creatable: true,
      mandatory: false,
    });
    expect(out.map((f) => [f.apiName, f.creatable, f.mandatory, f.picklist])).toEqual([
      ['Lead_Source', true, false, expect.any(Array)],
      ['Lead_No', false, false, null],
      ['Score', false, false, null],
      ['Budget', true, true, null],
    ]);
    expect(out[3]).toMatchObject({ label: 'Budget', jsonType: 'string', decimalPlace: 2 });
  });

  it('a reply of another shape is an error, never an empty list', async () => {
    for (const body of [undefined, { fields: [{ api_name: 'X' }] }, { data: [] }]) {
      const err = await answering(body)
        .fields.fields(auth, 'Leads')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZohoError);
      expect((err as ZohoError).kind).toBe('invalid');
    }
  });
});
