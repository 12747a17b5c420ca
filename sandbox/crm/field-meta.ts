import type { FastifyRequest } from 'fastify';
import { crmErrors, type ZohoError } from '../errors.ts';
import type { FieldDef, FieldType, ModuleName } from '../modules.ts';
import type { Pipeline, SbOrg, Stage } from '../state.ts';
import { fieldDefs, moduleId } from './fields.ts';
import type { Prepared } from './gate.ts';
import { moduleOf } from './read-routes.ts';

/**
 * `GET /settings/fields?module=` in the shape Zoho's official SDK parses to type record
 * values (its Utility.setDataType reads `data_type`, `api_name`, `system_mandatory`,
 * `pick_list_values[].display_value` and `lookup.module {api_name, id}`): a picklist comes
 * back from the SDK as a Choice, a lookup as a Record, an owner as a User. Deals' Stage and
 * Pipeline are picklists whose values are the org's pipelines (v8 fields description), each
 * Pipeline value mapping its own stages (`maps: [{ api_name: "Stage", pick_list_values }]`).
 */
type Query = Record<string, string | undefined>;

/** Zoho's `data_type` for each kind of field the sandbox models. */
function dataType(t: FieldType): string {
  switch (t.kind) {
    case 'owner':
      return 'ownerlookup';
    case 'parent':
    case 'multi_lookup':
      return 'lookup';
    case 'url':
      return 'website';
    // Sandbox guess: no source shows Participants' data_type; the official SDK types the
    // field by its api_name in Events (Utility.setDataType), whatever the data_type says.
    case 'participants':
      return 'multiselectlookup';
    default:
      return t.kind;
  }
}

/** Zoho's `json_type`: how the value is written in a record's JSON. */
function jsonType(t: FieldType): string {
  switch (t.kind) {
    case 'currency':
      return 'double';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'participants':
      return 'jsonarray';
    case 'owner':
    case 'lookup':
    case 'parent':
    case 'multi_lookup':
      return 'jsonobject';
    default:
      return 'string';
  }
}

/**
 * Lookups name the looked-up module; the polymorphic ones (Tasks' What_Id, Notes' Parent_Id)
 * name `se_module`, the placeholder the official SDK recognises for "module given beside it".
 */
function lookupMeta(org: SbOrg, t: FieldType) {
  if (t.kind === 'lookup') return { module: { api_name: t.module, id: moduleId(org, t.module) } };
  if (t.kind === 'parent' || t.kind === 'multi_lookup') return { module: { api_name: 'se_module' } };
  return {};
}

interface PickListValue {
  id: string;
  display_value: string;
  actual_value: string;
  sequence_number: number;
  type: 'used';
  colour_code: null;
  [extra: string]: unknown;
}

function plainValue(fieldId: string, value: string, i: number): PickListValue {
  return {
    id: `${fieldId.slice(0, -3)}${String(100 + i)}`,
    display_value: value,
    actual_value: value,
    sequence_number: i + 1,
    type: 'used',
    colour_code: null,
    reference_value: value,
  };
}

/** A stage as Zoho describes it in the pipeline API's `maps` and in Stage's pick list. */
export function stageValue(s: Stage, i: number) {
  return {
    id: s.id,
    display_value: s.name,
    actual_value: s.name,
    sequence_number: i + 1,
    probability: s.probability,
    forecast_type: s.forecast,
    forecast_category: {
      name: s.forecast === 'Open' ? 'Pipeline' : s.forecast === 'Closed Won' ? 'Closed' : 'Omitted',
      id: `${s.id.slice(0, -3)}777`,
    },
  };
}

function orgPipelines(org: SbOrg): Pipeline[] {
  return org.deal_layouts.flatMap((l) => l.pipelines);
}

/** Every stage of every pipeline once, in the order the pipelines list them. */
function stagePickList(org: SbOrg): PickListValue[] {
  const seen = new Map<string, Stage>();
  for (const p of orgPipelines(org)) for (const s of p.stages) if (!seen.has(s.name)) seen.set(s.name, s);
  return [...seen.values()].map((s, i) => ({ ...stageValue(s, i), type: 'used', colour_code: null }));
}

function pipelinePickList(org: SbOrg): PickListValue[] {
  return orgPipelines(org).map((p, i) => ({
    id: p.id,
    display_value: p.name,
    actual_value: p.name,
    sequence_number: i + 1,
    type: 'used',
    colour_code: null,
    maps: [
      {
        api_name: 'Stage',
        pick_list_values: p.stages.map((s, j) => ({ ...stageValue(s, j), type: 'used', colour_code: null })),
      },
    ],
  }));
}

/** Deals' Stage and Pipeline are picklists fed by the org's pipelines, whatever their kind in the write rules. */
function pickList(org: SbOrg, module: ModuleName, def: FieldDef, fieldId: string): PickListValue[] | null {
  if (module === 'Deals' && def.api_name === 'Stage') return stagePickList(org);
  if (module === 'Deals' && def.api_name === 'Pipeline') return pipelinePickList(org);
  if (def.type.kind === 'picklist') return def.type.values.map((v, i) => plainValue(fieldId, v, i));
  return null;
}

function fieldId(org: SbOrg, module: ModuleName, index: number): string {
  return `${moduleId(org, module).slice(0, -4)}${String(1000 + index)}`;
}

export function renderField(org: SbOrg, module: ModuleName, def: FieldDef, index: number) {
  const id = def.id ?? fieldId(org, module, index);
  const values = pickList(org, module, def, id);
  const unique = (org.unique_fields[module] ?? []).includes(def.api_name);
  return {
    id,
    api_name: def.api_name,
    field_label: def.label,
    display_label: def.label,
    data_type: values ? 'picklist' : dataType(def.type),
    json_type: values ? 'string' : jsonType(def.type),
    system_mandatory: Boolean(def.mandatory) || (org.mandatory_fields[module] ?? []).includes(def.api_name),
    read_only: Boolean(def.read_only),
    field_read_only: Boolean(def.read_only),
    custom_field: Boolean(def.custom),
    visible: true,
    sequence_number: index + 1,
    length: 'max' in def.type ? def.type.max : 255,
    // Zoho sends `{}` for a field that is not unique.
    unique: unique ? { casesensitive: 'false' } : {},
    pick_list_values: values ?? [],
    lookup: lookupMeta(org, def.type),
  };
}

export function prepareFields(req: FastifyRequest, org: SbOrg): Prepared | ZohoError {
  const name = (req.query as Query)['module'];
  if (!name) return crmErrors.requiredParam('module');
  const module = moduleOf(name);
  if (typeof module !== 'string') return module;
  return {
    scopes: ['ZohoCRM.settings.fields.READ'],
    run: () => ({
      status: 200,
      body: { fields: fieldDefs(module, org).map((d, i) => renderField(org, module, d, i)) },
    }),
  };
}
