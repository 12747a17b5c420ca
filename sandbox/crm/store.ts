import type { SandboxCore } from '../core.ts';
import type { ModuleName } from '../modules.ts';
import type { RemovedRecord, StoredRecord } from '../state.ts';

/**
 * The org's records: live ones in `state.records` (all that get, list, search, lookups and
 * the admin listing ever see), and those gone from their module — converted Leads, records
 * merged away or deleted — in `state.removed_records`, reachable only as Zoho reaches them
 * (`converted=true` for converted Leads).
 */

/**
 * Zoho's search index lags writes; no source says by how long (ZOHO-API.md §8; forum
 * reports speak of seconds). Three seconds is long enough that a client searching right
 * after its own insert misses the record, short enough for tests that wait for it.
 */
export const DEFAULT_SEARCH_LAG_MS = 3_000;

export function liveTable(
  core: SandboxCore,
  orgId: string,
  module: ModuleName,
): Record<string, StoredRecord> {
  const byModule = (core.state.records[orgId] ??= {});
  return (byModule[module] ??= {});
}

export function liveRecords(core: SandboxCore, orgId: string, module: ModuleName): StoredRecord[] {
  return Object.values(core.state.records[orgId]?.[module] ?? {});
}

export function removedTable(
  core: SandboxCore,
  orgId: string,
  module: ModuleName,
): Record<string, RemovedRecord> {
  const all = (core.state.removed_records ??= {});
  const byModule = (all[orgId] ??= {});
  return (byModule[module] ??= {});
}

export function findRemoved(
  core: SandboxCore,
  orgId: string,
  module: ModuleName,
  id: string,
): RemovedRecord | undefined {
  return core.state.removed_records?.[orgId]?.[module]?.[id];
}

/** Moves a live record out of its module; answers what was moved, if it was there. */
export function removeRecord(
  core: SandboxCore,
  orgId: string,
  module: ModuleName,
  id: string,
  removed: RemovedRecord['removed'],
): RemovedRecord | undefined {
  const table = liveTable(core, orgId, module);
  const rec = table[id];
  if (!rec) return undefined;
  delete table[id];
  const gone: RemovedRecord = { ...rec, removed };
  removedTable(core, orgId, module)[id] = gone;
  core.changed(orgId);
  return gone;
}

/**
 * The fields search sees now: the current ones once indexed; before that, a changed
 * record's previous index entry, and nothing for a new one.
 */
export function indexedFields(rec: StoredRecord, now: number): Record<string, unknown> | undefined {
  if (rec.searchable_ms <= now) return rec.fields;
  return rec.stale_index;
}

/** Marks a record changed for search: the old entry stays findable until the lag passes. */
export function reindex(
  rec: StoredRecord,
  previous: Record<string, unknown> | undefined,
  now: number,
  lagMs: number,
) {
  if (lagMs <= 0) {
    delete rec.stale_index;
    rec.searchable_ms = now;
    return;
  }
  // A record still waiting for its first indexing has no entry to keep.
  const entry = previous && rec.searchable_ms <= now ? previous : rec.stale_index;
  if (entry) rec.stale_index = entry;
  rec.searchable_ms = now + lagMs;
}
