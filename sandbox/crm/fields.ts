import type { SandboxCore } from '../core.ts';
import { type RecordError, recordError } from '../errors.ts';
import { type FieldDef, findModule, type ModuleName, moduleNames } from '../modules.ts';
import type { SbOrg } from '../state.ts';
import { orgFieldDefs } from './custom-fields.ts';
import { checkParticipants } from './participants.ts';

/**
 * Checks one field value the way Zoho does on a write; returns the per-record error, or
 * the value to store (lookups are stored as ids, Notes' Parent_Id as { module, id }).
 */
export type FieldCheck = { ok: true; value: unknown } | { ok: false; error: RecordError };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+()\-.\s x]{1,30}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/**
 * Zoho's datetime: yyyy-MM-ddTHH:mm:ss±HH:mm (v8 insert samples). Without an offset it is
 * refused; a `Z` is taken as +00:00 (sandbox guess: ISO 8601 allows it, no source says
 * Zoho refuses it).
 */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/;
const URL_RE = /^(https?:\/\/)?[^\s/$.?#][^\s]*\.[^\s]+$/i;

function invalid(
  def: FieldDef,
  index: number,
  extra: Record<string, unknown> = {},
  message = 'invalid data',
): FieldCheck {
  return {
    ok: false,
    error: recordError('INVALID_DATA', message, {
      api_name: def.api_name,
      json_path: `$.data[${index}].${def.api_name}`,
      ...extra,
    }),
  };
}

function validDate(s: string): boolean {
  return (
    DATE.test(s) &&
    !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
    new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)
  );
}

export function validDateTime(s: string): boolean {
  return DATETIME.test(s) && validDate(s.slice(0, 10)) && !Number.isNaN(Date.parse(s));
}

function lookupId(value: unknown): string | undefined {
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string')
    return (value as { id: string }).id;
  return undefined;
}

export function recordExists(core: SandboxCore, orgId: string, module: ModuleName, id: string): boolean {
  return Boolean(core.state.records[orgId]?.[module]?.[id]);
}

export function checkField(
  core: SandboxCore,
  org: SbOrg,
  def: FieldDef,
  value: unknown,
  record: Record<string, unknown>,
  index: number,
): FieldCheck {
  const t = def.type;
  const relatedInvalid = () => invalid(def, index, {}, 'the related id given seems to be invalid');
  switch (t.kind) {
    case 'text':
    case 'textarea':
      if (typeof value !== 'string') return invalid(def, index, { expected_data_type: t.kind });
      if (value.length > t.max) return invalid(def, index, { maximum_length: t.max }, 'invalid data');
      return { ok: true, value };
    case 'email':
      return typeof value === 'string' && EMAIL.test(value) && value.length <= 100
        ? { ok: true, value }
        : invalid(def, index, { expected_data_type: 'email' });
    case 'phone':
      return typeof value === 'string' && PHONE.test(value)
        ? { ok: true, value }
        : invalid(def, index, { expected_data_type: 'phone' });
    case 'date':
      return typeof value === 'string' && validDate(value)
        ? { ok: true, value }
        : invalid(def, index, { expected_data_type: 'date' });
    case 'datetime':
      return typeof value === 'string' && validDateTime(value)
        ? { ok: true, value }
        : invalid(def, index, { expected_data_type: 'datetime' });
    case 'currency':
      return typeof value === 'number' && Number.isFinite(value)
        ? { ok: true, value }
        : invalid(def, index, { expected_data_type: 'currency' });
    case 'integer':
      return Number.isInteger(value)
        ? { ok: true, value }
        : invalid(def, index, { expected_data_type: 'integer' });
    case 'boolean':
      return typeof value === 'boolean'
        ? { ok: true, value }
        : invalid(def, index, { expected_data_type: 'boolean' });
    case 'url':
      return typeof value === 'string' && URL_RE.test(value) && value.length <= 255
        ? { ok: true, value }
        : invalid(def, index, { expected_data_type: 'website' });
    case 'participants':
      return checkParticipants(core, org, value, index);
    case 'picklist':
      return typeof value === 'string' && t.values.includes(value)
        ? { ok: true, value }
        : invalid(def, index, { expected_data_type: 'picklist' });
    case 'lookup': {
      const id = lookupId(value);
      return id && recordExists(core, org.id, t.module, id) ? { ok: true, value: id } : relatedInvalid();
    }
    case 'multi_lookup': {
      const id = lookupId(value);
      const module = findModule(String(record['$se_module'] ?? ''));
      if (!module || !t.modules.includes(module))
        return invalid(def, index, { api_name: '$se_module' }, 'invalid module in $se_module');
      return id && recordExists(core, org.id, module, id)
        ? { ok: true, value: { module, id } }
        : relatedInvalid();
    }
    case 'parent': {
      const obj = value as { module?: { api_name?: unknown }; id?: unknown } | null;
      const module = findModule(String(obj?.module?.api_name ?? ''));
      const id = typeof obj?.id === 'string' ? obj.id : undefined;
      if (!module || !id || module === 'Notes' || module === 'Tasks') return relatedInvalid();
      return recordExists(core, org.id, module, id) ? { ok: true, value: { module, id } } : relatedInvalid();
    }
    case 'owner': {
      const id = lookupId(value);
      const user = id ? core.state.users[id] : undefined;
      return user && user.org_id === org.id && user.status === 'active'
        ? { ok: true, value: id }
        : invalid(def, index, { expected_data_type: 'ownerlookup' });
    }
  }
}

/** Module ids are stable per org, as Zoho's module metadata gives them. */
export function moduleId(org: SbOrg, module: ModuleName): string {
  return `${org.id_prefix}${String(moduleNames.indexOf(module) + 2).padStart(19 - org.id_prefix.length, '0')}`;
}

/** The module's fields; with an org, as that org has them (its custom fields and picklist values). */
export function fieldDefs(module: ModuleName, org?: SbOrg): FieldDef[] {
  return orgFieldDefs(org, module);
}

export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
