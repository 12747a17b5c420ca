import type { SandboxCore } from '../core.ts';
import { zohoDateTime } from '../core.ts';
import { type RecordError, recordError } from '../errors.ts';
import { recordId } from '../ids.ts';
import type { ModuleName } from '../modules.ts';
import { fullName } from '../orgs.ts';
import type { Condition, SbOrg, SbUser, StoredRecord } from '../state.ts';
import { checkDealStage } from './deals.ts';
import { checkEventTimes } from './events.ts';
import { checkField, fieldDefs, isEmpty, moduleId } from './fields.ts';
import { liveTable, reindex } from './store.ts';

/**
 * Inserts and updates, answered per record as Zoho does: each entry of `data` gets its own
 * SUCCESS or error, in order, and one record's failure does not stop the others.
 */
export interface SuccessEntry {
  code: 'SUCCESS';
  details: Record<string, unknown>;
  message: string;
  status: 'success';
}
export type WriteResult = SuccessEntry | RecordError;

interface WriteContext {
  core: SandboxCore;
  org: SbOrg;
  user: SbUser;
  module: ModuleName;
  /** Zoho's `trigger`: undefined fires everything; `[]` fires nothing. */
  trigger: string[] | undefined;
  /**
   * A person's change in Zoho's UI (the admin API) stands for data already there: search
   * sees it at once. API writes wait for the org's search lag.
   */
  searchableAtOnce?: boolean;
}

const table = (ctx: WriteContext): Record<string, StoredRecord> =>
  liveTable(ctx.core, ctx.org.id, ctx.module);
const searchLag = (ctx: WriteContext) => (ctx.searchableAtOnce ? 0 : ctx.org.search_lag_ms);

function conditionHolds(c: Condition, value: unknown): boolean {
  const v = isEmpty(value) ? '' : String(value).toLowerCase();
  const want = (c.value ?? '').toLowerCase();
  switch (c.operator) {
    case 'equals':
      return v === want;
    case 'not_equals':
      return v !== want;
    case 'contains':
      return v.includes(want);
    case 'not_contains':
      return !v.includes(want);
    case 'starts_with':
      return v.startsWith(want);
    case 'is_empty':
      return v === '';
    case 'is_not_empty':
      return v !== '';
  }
}

/** Validates `input` (merged over `existing` for updates) into the fields to store. */
function validate(
  ctx: WriteContext,
  input: Record<string, unknown>,
  index: number,
  existing?: StoredRecord,
): { fields: Record<string, unknown> } | { error: RecordError } {
  const fields: Record<string, unknown> = { ...(existing?.fields ?? {}) };
  const mandatory = new Set([
    ...fieldDefs(ctx.module, ctx.org)
      .filter((d) => d.mandatory)
      .map((d) => d.api_name),
    ...(ctx.org.mandatory_fields[ctx.module] ?? []),
  ]);
  for (const name of mandatory) {
    const missing = existing ? name in input && isEmpty(input[name]) : isEmpty(input[name]);
    if (missing) {
      return {
        error: recordError('MANDATORY_NOT_FOUND', 'required field not found', {
          api_name: name,
          json_path: `$.data[${index}].${name}`,
        }),
      };
    }
  }
  // A key naming no field of the module (a deleted custom field, a typo) is dropped silently.
  for (const def of fieldDefs(ctx.module, ctx.org)) {
    if (!(def.api_name in input)) continue;
    const value = input[def.api_name];
    if (value === null && !mandatory.has(def.api_name)) {
      delete fields[def.api_name];
      continue;
    }
    const checked = checkField(ctx.core, ctx.org, def, value, input, index);
    if (!checked.ok) return { error: checked.error };
    fields[def.api_name] = checked.value;
  }
  fields['Owner'] ??= ctx.user.id;
  if (ctx.module === 'Deals') {
    const stageError = checkDealStage(ctx.org, fields, input, index, existing);
    if (stageError) return { error: stageError };
  }
  if (ctx.module === 'Events') {
    const timesError = checkEventTimes(fields, index);
    if (timesError) return { error: timesError };
  }
  for (const rule of ctx.org.validation_rules.filter((r) => r.module === ctx.module)) {
    if (conditionHolds(rule.condition, fields[rule.condition.field])) {
      return {
        error: recordError('INVALID_DATA', rule.message, {
          api_name: rule.condition.field,
          json_path: `$.data[${index}].${rule.condition.field}`,
          validation_rule_id: rule.id,
        }),
      };
    }
  }
  return { fields };
}

function findDuplicate(
  ctx: WriteContext,
  fields: Record<string, unknown>,
  selfId: string | undefined,
  index: number,
): RecordError | undefined {
  for (const name of ctx.org.unique_fields[ctx.module] ?? []) {
    const value = fields[name];
    if (isEmpty(value)) continue;
    const dups = Object.values(table(ctx)).filter(
      (r) => r.id !== selfId && String(r.fields[name] ?? '').toLowerCase() === String(value).toLowerCase(),
    );
    const [dup] = dups;
    if (dup) {
      const owner = ctx.core.state.users[String(dup.fields['Owner'])];
      return recordError('DUPLICATE_DATA', 'duplicate data', {
        api_name: name,
        json_path: `$.data[${index}].${name}`,
        duplicate_record: {
          id: dup.id,
          module: { api_name: ctx.module, id: moduleId(ctx.org, ctx.module) },
          Owner: owner ? { name: fullName(owner), id: owner.id, zuid: owner.id } : null,
        },
        // Zoho names one holder of the value; more_records says whether others hold it too.
        more_records: dups.length > 1,
      });
    }
  }
  return undefined;
}

function fireWorkflows(ctx: WriteContext, recordIdValue: string, event: 'create' | 'edit'): void {
  if (ctx.trigger && !ctx.trigger.includes('workflow')) return;
  const runs = (ctx.core.state.workflow_runs[ctx.org.id] ??= []);
  for (const rule of ctx.org.workflow_rules) {
    if (rule.module !== ctx.module || (rule.on !== event && rule.on !== 'create_or_edit')) continue;
    runs.push({
      at: new Date(ctx.core.now()).toISOString(),
      rule_id: rule.id,
      rule_name: rule.name,
      module: ctx.module,
      record_id: recordIdValue,
      event,
    });
  }
}

function success(ctx: WriteContext, rec: StoredRecord, message: string): SuccessEntry {
  const by = { name: fullName(ctx.user), id: ctx.user.id };
  return {
    code: 'SUCCESS',
    details: {
      Modified_Time: zohoDateTime(rec.modified_ms, ctx.org.time_zone),
      Modified_By: by,
      Created_Time: zohoDateTime(rec.created_ms, ctx.org.time_zone),
      id: rec.id,
      Created_By: {
        name: fullName(ctx.core.state.users[String(rec.fields['Created_By'])] ?? ctx.user),
        id: String(rec.fields['Created_By']),
      },
    },
    message,
    status: 'success',
  };
}

export function insertRecords(ctx: WriteContext, data: unknown[]): WriteResult[] {
  return data.map((item, index) => {
    if (!item || typeof item !== 'object' || Array.isArray(item))
      return recordError('INVALID_DATA', 'invalid data', { json_path: `$.data[${index}]` });
    const checked = validate(ctx, item as Record<string, unknown>, index);
    if ('error' in checked) return checked.error;
    const duplicate = findDuplicate(ctx, checked.fields, undefined, index);
    if (duplicate) return duplicate;
    const now = ctx.core.now();
    const rec: StoredRecord = {
      id: recordId(ctx.org.id_prefix, ctx.core.nextSeq()),
      fields: { ...checked.fields, Created_By: ctx.user.id, Modified_By: ctx.user.id },
      created_ms: now,
      modified_ms: now,
      searchable_ms: now + searchLag(ctx),
    };
    table(ctx)[rec.id] = rec;
    fireWorkflows(ctx, rec.id, 'create');
    ctx.core.changed(ctx.org.id, { module: ctx.module, id: rec.id });
    return success(ctx, rec, 'record added');
  });
}

export function updateRecords(ctx: WriteContext, data: unknown[]): WriteResult[] {
  return data.map((item, index) => {
    const input = item as Record<string, unknown> | null;
    const rec = input && typeof input['id'] === 'string' ? table(ctx)[input['id']] : undefined;
    if (!input || !rec)
      return recordError('INVALID_DATA', 'the id given seems to be invalid', {
        api_name: 'id',
        json_path: `$.data[${index}].id`,
      });
    const checked = validate(ctx, input, index, rec);
    if ('error' in checked) return checked.error;
    const duplicate = findDuplicate(ctx, checked.fields, rec.id, index);
    if (duplicate) return duplicate;
    const now = ctx.core.now();
    const previous = rec.fields;
    rec.fields = { ...checked.fields, Modified_By: ctx.user.id };
    rec.modified_ms = now;
    reindex(rec, previous, now, searchLag(ctx));
    fireWorkflows(ctx, rec.id, 'edit');
    ctx.core.changed(ctx.org.id, { module: ctx.module, id: rec.id });
    return success(ctx, rec, 'record updated');
  });
}

/** 201 (inserts) or 200 (updates) when all succeed, 400 when all fail, 207 when mixed. */
export function writeStatus(results: WriteResult[], allOk: number): number {
  const ok = results.filter((r) => r.status === 'success').length;
  if (ok === results.length) return allOk;
  return ok === 0 ? 400 : 207;
}
