import { fieldsForSync } from '../connections/zoho-fields.ts';
import type { Queryable } from '../db/port.ts';
import type { RecordResult } from '../zoho/api.ts';
import type { ZohoFields } from '../zoho/fields.ts';
import type { AuthSource } from '../zoho/transport.ts';
import type { EventRow } from './effects.ts';
import { bookingIdOf, type PlatformEvent } from './event-schema.ts';
import {
  type FieldTarget,
  type FieldValues,
  parseRows,
  recordWord,
  type ValueContext,
  valueContextOf,
  valuesFor,
} from './field-values.ts';

/**
 * The effectful half of field values on create, shared by new Contacts and Leads (people.ts) and
 * Meetings (meetings.ts): the rows' values for the record about to be created, checked against
 * the org's cached field list, and the create that leaves out a value Zoho refuses.
 */
export interface RowValues extends FieldValues {
  target: FieldTarget;
  /** Each written field's label on its row, to name it in a warning. */
  labels: Map<string, string>;
}

/**
 * What the booking offers the rows. Meeting notes carry no booking: a person first added then
 * (their booking synced before the setting was on) takes the values of the booking's own event.
 */
async function contextOf(db: Queryable, e: EventRow): Promise<ValueContext> {
  if ('booking' in e.payload.data) return valueContextOf(e.payload);
  const { rows } = await db.query<{ payload: PlatformEvent }>(
    `SELECT payload FROM events
      WHERE workspace_id = $1 AND booking_id = $2 AND type IN ('booking.created', 'booking.rescheduled')
      ORDER BY type = 'booking.created' DESC, received_at DESC LIMIT 1`,
    [e.workspace_id, bookingIdOf(e.payload)],
  );
  return rows[0] ? valueContextOf(rows[0].payload) : {};
}

/** The values of the connection's rows (`stored`: Settings.fieldRows) for a new `target` record. */
export async function rowValuesFor(
  deps: { db: Queryable; records: ZohoFields },
  e: EventRow,
  auth: AuthSource,
  stored: unknown,
  target: FieldTarget,
): Promise<RowValues> {
  const rows = parseRows(stored).filter((r) => r.module === target);
  const labels = new Map(rows.map((r) => [r.field, r.label || r.field]));
  if (!rows.length || !e.connection_id) return { values: {}, warnings: [], missing: [], target, labels };
  const fields = await fieldsForSync(deps, auth, e.workspace_id, e.connection_id, target);
  return { ...valuesFor(rows, target, await contextOf(deps.db, e), fields), target, labels };
}

/** The row field a refused create names (INVALID_DATA on a field a row set), if any. */
function refusedRowField(result: RecordResult, values: Record<string, unknown>): string | undefined {
  if (result.ok || result.code !== 'INVALID_DATA') return undefined;
  const field = result.details['api_name'];
  return typeof field === 'string' && Object.hasOwn(values, field) ? field : undefined;
}

/**
 * Creates `record` (holding `rv.values`) with `insert`; when Zoho refuses it naming a field a row
 * set (INVALID_DATA with `details.api_name`, ZOHO-API.md §4), that field is left out and the
 * record sent again — a refused create made nothing, so sending again is safe. At most once per
 * row field. Returns the last result and every warning (the rows' own and the refusals).
 */
export async function createWithRowValues(
  insert: (record: Record<string, unknown>) => Promise<RecordResult>,
  record: Record<string, unknown>,
  rv: RowValues,
): Promise<{ result: RecordResult; warnings: string[] }> {
  const sent = { ...record };
  const values = { ...rv.values };
  const warnings = [...rv.warnings];
  let result = await insert(sent);
  for (let bad = refusedRowField(result, values); bad; bad = refusedRowField(result, values)) {
    delete sent[bad];
    delete values[bad];
    const why = result.ok ? '' : result.message;
    warnings.push(
      `Field “${rv.labels.get(bad) ?? bad}” of ${recordWord[rv.target]} left empty: Zoho CRM refused its value (${why}).`,
    );
    result = await insert(sent);
  }
  return { result, warnings };
}
