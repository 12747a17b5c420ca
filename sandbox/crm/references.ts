import type { SandboxCore } from '../core.ts';
import { type ModuleName, moduleNames } from '../modules.ts';
import type { StoredRecord } from '../state.ts';
import { fieldDefs } from './fields.ts';
import { liveRecords } from './store.ts';

/**
 * Where live records point at a record: lookups (`Contact_Name`, `Who_Id`, `Account_Name`)
 * hold its id; Tasks' `What_Id` and Notes' `Parent_Id` hold `{ module, id }`.
 */
export interface RecordRef {
  module: ModuleName;
  id: string;
}

export interface Reference {
  module: ModuleName;
  rec: StoredRecord;
  field: string;
  /** `id`: the field holds the id; `ref`: it holds `{ module, id }`. */
  shape: 'id' | 'ref';
}

function pointsAt(
  module: ModuleName,
  field: string,
  value: unknown,
  target: RecordRef,
): Reference['shape'] | null {
  const def = fieldDefs(module).find((d) => d.api_name === field);
  if (!def) return null;
  if (def.type.kind === 'lookup')
    return def.type.module === target.module && value === target.id ? 'id' : null;
  if (def.type.kind !== 'multi_lookup' && def.type.kind !== 'parent') return null;
  const ref = value as Partial<RecordRef> | undefined;
  return ref?.module === target.module && ref.id === target.id ? 'ref' : null;
}

export function referencesTo(core: SandboxCore, orgId: string, target: RecordRef): Reference[] {
  const found: Reference[] = [];
  for (const module of moduleNames) {
    for (const rec of liveRecords(core, orgId, module)) {
      for (const [field, value] of Object.entries(rec.fields)) {
        const shape = pointsAt(module, field, value, target);
        if (shape) found.push({ module, rec, field, shape });
      }
    }
  }
  return found;
}

/** Points a reference at another record of the same module (a merge's master). */
export function repoint(reference: Reference, to: RecordRef): void {
  reference.rec.fields[reference.field] = reference.shape === 'id' ? to.id : { module: to.module, id: to.id };
}
