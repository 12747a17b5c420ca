import { z } from 'zod';
import { ZohoError } from './errors.ts';
import type { AuthSource, ZohoTransport } from './transport.ts';

/**
 * A module's fields as `GET /settings/fields?module=` describes them (v8 fields description,
 * zoho/crm-oas v8.0/fields.json): what PepoSmart needs to offer a field on the Zoho card and to
 * check a value before writing it.
 */
export interface ZohoField {
  apiName: string;
  label: string;
  /** Zoho's `data_type`: text, textarea, email, phone, website, picklist, integer, date… */
  dataType: string;
  /** Zoho's `json_type`: how a value is written in a record (string, integer, double, boolean, jsonarray). */
  jsonType: string;
  /** The most characters (text) or digits (numbers) Zoho takes; null when it does not say. */
  length: number | null;
  /** Digits after the decimal point for decimal, currency and percent fields. */
  decimalPlace: number | null;
  /** A picklist's values: `actual` is written through the API, `display` is shown. */
  picklist: Array<{ display: string; actual: string }> | null;
  /** Whether an API create may set it (not read only, not a system field, `api_create`). */
  creatable: boolean;
  mandatory: boolean;
}

const fieldsReply = z.object({
  fields: z.array(
    z.object({
      api_name: z.string(),
      field_label: z.string().nullish(),
      display_label: z.string().nullish(),
      data_type: z.string(),
      json_type: z.string().nullish(),
      length: z.number().nullish(),
      decimal_place: z.number().nullish(),
      read_only: z.boolean().nullish(),
      field_read_only: z.boolean().nullish(),
      system_mandatory: z.boolean().nullish(),
      operation_type: z.object({ api_create: z.boolean().nullish() }).nullish(),
      pick_list_values: z
        .array(
          z.object({
            display_value: z.string(),
            actual_value: z.string().nullish(),
            type: z.string().nullish(),
          }),
        )
        .nullish(),
    }),
  ),
});

type FieldMeta = z.infer<typeof fieldsReply>['fields'][number];

function toField(f: FieldMeta): ZohoField {
  const picklist = f.data_type === 'picklist' || f.data_type === 'multiselectpicklist';
  return {
    apiName: f.api_name,
    label: f.display_label || f.field_label || f.api_name,
    dataType: f.data_type,
    jsonType: f.json_type ?? 'string',
    length: f.length ?? null,
    decimalPlace: f.decimal_place ?? null,
    picklist: picklist
      ? (f.pick_list_values ?? [])
          // An `unused` value was retired from the list: not for new records (v8 fields: type used|unused).
          .filter((v) => v.type !== 'unused')
          .map((v) => ({
            display: v.display_value,
            // The API writes a picklist's actual value (v8 fields description: actual_value).
            actual: v.actual_value ?? v.display_value,
          }))
      : null,
    // `operation_type.api_create` is false for fields only the UI may set (v8 fields description).
    creatable: !f.read_only && !f.field_read_only && f.operation_type?.api_create !== false,
    mandatory: Boolean(f.system_mandatory),
  };
}

export function createZohoFields(transport: ZohoTransport) {
  return {
    /**
     * Every field of `module` across its layouts (scope ZohoCRM.settings.fields.READ). One call,
     * one credit: callers cache the answer (connections/zoho-fields.ts).
     */
    async fields(auth: AuthSource, module: string): Promise<ZohoField[]> {
      const body = await transport.request(auth, {
        method: 'GET',
        path: '/settings/fields',
        query: { module },
      });
      const parsed = fieldsReply.safeParse(body);
      if (!parsed.success)
        throw new ZohoError('invalid', `Zoho CRM ${module} fields: unexpected reply shape`, {
          cause: parsed.error,
        });
      return parsed.data.fields.map(toField);
    },
  };
}

export type ZohoFields = ReturnType<typeof createZohoFields>;
