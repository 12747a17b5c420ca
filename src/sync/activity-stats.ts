import type { Queryable } from '../db/port.ts';

/** The Zoho CRM card's figures: how the user's connection has been syncing. */
export interface SyncStats {
  /** Start of the window `synced` and `failed` count (STATS_DAYS before now). */
  since: Date;
  /** Events that ended synced, or failed, within the window. */
  synced: number;
  failed: number;
  /** Events not finished now, however old: queued or retrying, and waiting for a reconnect. */
  inProgress: number;
  waiting: number;
  /** When an event of this connection last finished synced; null when none ever did. */
  lastSyncedAt: Date | null;
}

export const STATS_DAYS = 7;

/**
 * One pass over the connection's events. An event counts in the window by when its outcome
 * came (`updated_at`: a retry that succeeds today counts today); what is still under way counts
 * whatever its age, as it is what the user may have to act on. `user_id` is in the filter
 * besides the connection so the look-up uses events_user_idx (a connection is one user's).
 */
export async function connectionSyncStats(
  q: Queryable,
  conn: { workspaceId: string; userId: string; id: string },
  now: Date,
): Promise<SyncStats> {
  const since = new Date(now.getTime() - STATS_DAYS * 24 * 60 * 60 * 1000);
  const { rows } = await q.query<Record<string, unknown>>(
    `SELECT count(*) FILTER (WHERE status = 'done' AND updated_at >= $4)::int AS synced,
            count(*) FILTER (WHERE status = 'failed' AND updated_at >= $4)::int AS failed,
            count(*) FILTER (WHERE status = 'queued')::int AS in_progress,
            count(*) FILTER (WHERE status = 'waiting')::int AS waiting,
            max(updated_at) FILTER (WHERE status = 'done') AS last_synced_at
       FROM events
      WHERE workspace_id = $1 AND user_id = $2 AND connection_id = $3`,
    [conn.workspaceId, conn.userId, conn.id, since],
  );
  const r = rows[0] ?? {};
  const last = r['last_synced_at'];
  return {
    since,
    synced: Number(r['synced'] ?? 0),
    failed: Number(r['failed'] ?? 0),
    inProgress: Number(r['in_progress'] ?? 0),
    waiting: Number(r['waiting'] ?? 0),
    lastSyncedAt: last === null || last === undefined ? null : new Date(last as string | Date),
  };
}
