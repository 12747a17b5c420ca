import { type SandboxCore, zohoDateTime } from '../core.ts';
import type { ModuleName } from '../modules.ts';
import { fullName } from '../orgs.ts';
import type { RemovedRecord, SbOrg, StoredRecord } from '../state.ts';
import { fieldDefs } from './fields.ts';
import { renderParticipant, type StoredParticipant } from './participants.ts';

function userRef(core: SandboxCore, id: unknown, withEmail = false) {
  const user = typeof id === 'string' ? core.state.users[id] : undefined;
  if (!user) return null;
  return { name: fullName(user), id: user.id, ...(withEmail ? { email: user.email } : {}) };
}

/** A display name for lookups, as Zoho returns `{ name, id }`. */
export function recordName(core: SandboxCore, orgId: string, module: ModuleName, id: string): string {
  const f = core.state.records[orgId]?.[module]?.[id]?.fields ?? {};
  switch (module) {
    case 'Contacts':
    case 'Leads':
      return [f['First_Name'], f['Last_Name']].filter(Boolean).join(' ');
    case 'Deals':
      return String(f['Deal_Name'] ?? '');
    case 'Tasks':
      return String(f['Subject'] ?? '');
    case 'Notes':
      return String(f['Note_Title'] ?? '');
    case 'Accounts':
      return String(f['Account_Name'] ?? '');
    case 'Events':
      return String(f['Event_Title'] ?? '');
  }
}

/**
 * A Lead's conversion, as v8 reports it on records read with `converted=true`. The keys are
 * lower-case as integrations reading live Zoho replies use them (`$converted_detail.deal`); each
 * names the record as `{ name, id }` (a guess: some readers also accept a bare id).
 */
function conversion(core: SandboxCore, org: SbOrg, rec: StoredRecord | RemovedRecord) {
  if (!('removed' in rec) || rec.removed.reason !== 'converted') return { $converted: false };
  const ref = (module: ModuleName) => {
    const id = rec.removed.into?.[module];
    return id ? { name: recordName(core, org.id, module, id), id } : null;
  };
  return {
    $converted: true,
    $converted_detail: {
      convert_date: zohoDateTime(rec.removed.at_ms, org.time_zone),
      contact: ref('Contacts'),
      deal: ref('Deals'),
      account: ref('Accounts'),
    },
  };
}

/** The record as Zoho returns it: lookups expanded, system fields in Zoho's datetime format. */
export function renderRecord(
  core: SandboxCore,
  org: SbOrg,
  module: ModuleName,
  rec: StoredRecord,
  fields?: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of fieldDefs(module, org)) {
    const value = rec.fields[def.api_name];
    switch (def.type.kind) {
      case 'owner':
        out[def.api_name] = userRef(core, value, true);
        break;
      case 'lookup':
        out[def.api_name] =
          typeof value === 'string'
            ? { name: recordName(core, org.id, def.type.module, value), id: value }
            : null;
        break;
      case 'multi_lookup':
      case 'parent': {
        const ref = value as { module: ModuleName; id: string } | undefined;
        out[def.api_name] = ref
          ? {
              module: { api_name: ref.module, id: null },
              name: recordName(core, org.id, ref.module, ref.id),
              id: ref.id,
            }
          : null;
        if (def.type.kind === 'multi_lookup') out['$se_module'] = ref?.module ?? null;
        break;
      }
      case 'participants':
        out[def.api_name] = ((value as StoredParticipant[] | undefined) ?? []).map((p) =>
          renderParticipant(core, org, p),
        );
        break;
      case 'datetime':
        // Zoho answers datetimes in the user's time zone, whatever offset they were written with.
        out[def.api_name] = typeof value === 'string' ? zohoDateTime(Date.parse(value), org.time_zone) : null;
        break;
      default:
        out[def.api_name] = value ?? null;
    }
  }
  if (module === 'Notes')
    out['$se_module'] = (rec.fields['Parent_Id'] as { module?: string } | undefined)?.module ?? null;
  if (module === 'Leads') Object.assign(out, conversion(core, org, rec));
  out['Created_Time'] = zohoDateTime(rec.created_ms, org.time_zone);
  out['Modified_Time'] = zohoDateTime(rec.modified_ms, org.time_zone);
  out['Created_By'] = userRef(core, rec.fields['Created_By'], true);
  out['Modified_By'] = userRef(core, rec.fields['Modified_By'], true);
  out['id'] = rec.id;
  if (!fields) return out;
  const wanted = new Set([...fields, 'id']);
  return Object.fromEntries(Object.entries(out).filter(([k]) => wanted.has(k)));
}
