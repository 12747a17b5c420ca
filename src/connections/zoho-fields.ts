import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/port.ts';
import { type FieldRow, type FieldTarget, fieldTargets, parseRows } from '../sync/field-values.ts';
import { ZohoError } from '../zoho/errors.ts';
import type { ZohoField, ZohoFields } from '../zoho/fields.ts';
import type { AuthSource } from '../zoho/transport.ts';

/**
 * The org's field lists, read from Zoho's `/settings/fields` and kept on the connection
 * (`zoho_fields`, `zoho_fields_read_at`, migration 0014): the card offers their fields, a sync
 * checks values against them. Each read costs the customer an API credit per module, so a sync
 * reads the lists only when a field it needs is not in them, and then at most once an hour; the
 * card's Refresh reads them whenever asked.
 */
export type FieldLists = Partial<Record<FieldTarget, ZohoField[]>>;

export interface FieldCache {
  lists: FieldLists;
  readAt: Date | null;
}

/**
 * How old a sync lets the lists grow before it reads them again (3 calls, one per module; only
 * when it creates a record with rows, so 72 credits a day at the very most). Zoho is not known to
 * refuse a key naming no field (undocumented; the sandbox drops it silently): a field deleted in
 * Zoho is noticed, and its row warned about, within this time.
 */
export const SYNC_REFRESH_INTERVAL = '1 hour';

/**
 * The cached lists. They name the org they were read from (`_org`): after a reconnect to another
 * org they count as not read, as does a list of another shape.
 */
export async function readFieldCache(
  q: Queryable,
  workspaceId: string,
  connectionId: string,
): Promise<FieldCache> {
  const { rows } = await q.query<{
    zoho_fields: unknown;
    zoho_fields_read_at: Date | string | null;
    zoho_org_id: string | null;
  }>(
    'SELECT zoho_fields, zoho_fields_read_at, zoho_org_id FROM connections WHERE workspace_id = $1 AND id = $2',
    [workspaceId, connectionId],
  );
  const row = rows[0];
  const stored = (row?.zoho_fields ?? {}) as Record<string, unknown>;
  if (!row || stored['_org'] !== row.zoho_org_id) return { lists: {}, readAt: null };
  const lists: FieldLists = {};
  for (const t of fieldTargets) if (Array.isArray(stored[t])) lists[t] = stored[t] as ZohoField[];
  const at = row?.zoho_fields_read_at;
  return { lists, readAt: at ? new Date(at) : null };
}

/**
 * Reads each module's fields from Zoho and stores them. Meetings (Events) may be missing from
 * the org or its grant: that module is left out rather than failing the others.
 */
export async function refreshFieldCache(
  deps: { db: Queryable; records: ZohoFields },
  auth: AuthSource,
  workspaceId: string,
  connectionId: string,
): Promise<FieldLists> {
  const lists: FieldLists = {};
  for (const module of fieldTargets) {
    try {
      lists[module] = await deps.records.fields(auth, module);
    } catch (err) {
      if (module !== 'Events' || !(err instanceof ZohoError) || err.kind === 'transient') throw err;
    }
  }
  await deps.db.query(
    `UPDATE connections SET zoho_fields = $3::jsonb || jsonb_build_object('_org', zoho_org_id),
            zoho_fields_read_at = now(), updated_at = now()
      WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, connectionId, JSON.stringify(lists)],
  );
  return lists;
}

/**
 * Claims a sync's read of the lists: true for the one caller that may read them now (never read,
 * read from another org, or read over SYNC_REFRESH_INTERVAL ago).
 * Stamped before the read so that concurrent jobs make one call.
 */
async function claimSyncRefresh(q: Queryable, workspaceId: string, connectionId: string): Promise<boolean> {
  const { rows } = await q.query(
    `UPDATE connections SET zoho_fields_read_at = now()
      WHERE workspace_id = $1 AND id = $2
        AND (zoho_fields_read_at IS NULL OR zoho_fields_read_at < now() - $3::interval
             OR zoho_fields->>'_org' IS DISTINCT FROM zoho_org_id)
      RETURNING 1`,
    [workspaceId, connectionId, SYNC_REFRESH_INTERVAL],
  );
  return rows.length > 0;
}

/**
 * The module's fields for a sync that writes rows: the cache, read again from Zoho when over an
 * hour old. Undefined when never read and Zoho cannot be asked now; a failed read leaves the
 * cache as it was (the caller warns, never fails).
 */
export async function fieldsForSync(
  deps: { db: Queryable; records: ZohoFields },
  auth: AuthSource,
  workspaceId: string,
  connectionId: string,
  module: FieldTarget,
): Promise<ZohoField[] | undefined> {
  const cache = await readFieldCache(deps.db, workspaceId, connectionId);
  const list = cache.lists[module];
  if (!(await claimSyncRefresh(deps.db, workspaceId, connectionId))) return list;
  try {
    return (await refreshFieldCache(deps, auth, workspaceId, connectionId))[module];
  } catch (err) {
    // Zoho's own refusal of the read never fails the sync: its rows are then skipped with a warning.
    if (err instanceof ZohoError) return list;
    throw err;
  }
}

/** The connection's rows, as stored. */
export async function readFieldRows(
  q: Queryable,
  workspaceId: string,
  connectionId: string,
): Promise<FieldRow[]> {
  const { rows } = await q.query<{ field_rows: unknown }>(
    'SELECT field_rows FROM connections WHERE workspace_id = $1 AND id = $2',
    [workspaceId, connectionId],
  );
  return parseRows(rows[0]?.field_rows);
}

/** The most rows a connection keeps: a short list, as the card says. */
export const MAX_FIELD_ROWS = 30;

/**
 * Adds a row unless the connection already has one for that field or is full (one statement,
 * so two submissions at once cannot pass the checks together); the row's id, or why not.
 */
export async function addFieldRow(
  q: Queryable,
  workspaceId: string,
  connectionId: string,
  row: Omit<FieldRow, 'id'>,
): Promise<{ ok: true; id: string } | { ok: false; reason: 'duplicate' | 'full' }> {
  const id = randomUUID();
  const { rows } = await q.query<{ added: boolean; taken: boolean }>(
    `WITH cur AS (SELECT field_rows FROM connections WHERE workspace_id = $1 AND id = $2 FOR UPDATE),
          taken AS (SELECT EXISTS (SELECT 1 FROM cur, jsonb_array_elements(cur.field_rows) r
                                    WHERE r->>'module' = $4 AND r->>'field' = $5) AS taken),
          upd AS (UPDATE connections c SET field_rows = c.field_rows || jsonb_build_array($3::jsonb), updated_at = now()
                   FROM taken WHERE c.workspace_id = $1 AND c.id = $2 AND NOT taken.taken
                    AND jsonb_array_length(c.field_rows) < $6 RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM upd) AS added, (SELECT taken FROM taken) AS taken`,
    [workspaceId, connectionId, JSON.stringify({ id, ...row }), row.module, row.field, MAX_FIELD_ROWS],
  );
  if (rows[0]?.added) return { ok: true, id };
  return { ok: false, reason: rows[0]?.taken ? 'duplicate' : 'full' };
}

/** Removes the row with this id; false when there was none. */
export async function removeFieldRow(
  q: Queryable,
  workspaceId: string,
  connectionId: string,
  rowId: string,
): Promise<boolean> {
  const { rows } = await q.query(
    `UPDATE connections SET updated_at = now(), field_rows = COALESCE(
         (SELECT jsonb_agg(r ORDER BY n) FROM jsonb_array_elements(field_rows) WITH ORDINALITY AS e(r, n)
           WHERE r->>'id' <> $3), '[]'::jsonb)
      WHERE workspace_id = $1 AND id = $2
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(field_rows) r WHERE r->>'id' = $3)
      RETURNING 1`,
    [workspaceId, connectionId, rowId],
  );
  return rows.length > 0;
}
