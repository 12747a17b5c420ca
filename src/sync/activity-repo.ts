import type { Database, Queryable } from '../db/port.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { enqueueSync } from './sync-queue.ts';

/** What the Activity page reads and its Retry writes; workspace (and user) always explicit. */
export interface EventView {
  id: string;
  type: string;
  bookingId: string;
  title: string;
  status: string;
  detail: string | null;
  errorCode: string | null;
  receivedAt: Date;
  hostName: string | null;
  zoho: { dataCentre: string | null; orgId: string | null };
  entries: Array<{ action: string; module: string | null; zohoId: string | null; message: string }>;
}

type Row = Record<string, unknown>;

export interface ActivityEntry {
  workspaceId: string;
  eventId: string;
  bookingId: string;
  action:
    | 'found'
    | 'created'
    | 'logged'
    | 'skipped'
    | 'failed'
    | 'retrying'
    | 'waiting'
    | 'analysed'
    | 'suggested';
  message: string;
  record?: { module: string; id: string } | undefined;
}

/** One line of what happened in Zoho for an event. */
export async function addActivity(q: Queryable, a: ActivityEntry): Promise<void> {
  await q.query(
    `INSERT INTO activity (workspace_id, event_id, booking_id, action, module, zoho_id, message)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      a.workspaceId,
      a.eventId,
      a.bookingId,
      a.action,
      a.record?.module ?? null,
      a.record?.id ?? null,
      a.message,
    ],
  );
}

/** Members see their own events; admins (`userId` null) the whole workspace's. */
export async function recentEvents(
  q: Queryable,
  workspaceId: string,
  userId: string | null,
): Promise<EventView[]> {
  const { rows } = await q.query(
    `SELECT e.id, e.type, e.booking_id, e.status, e.detail, e.error_code, e.received_at, e.payload,
            u.name AS host_name, c.data_center, c.zoho_org_id
       FROM events e LEFT JOIN users u ON u.id = e.user_id
       LEFT JOIN connections c ON c.id = e.connection_id
      WHERE e.workspace_id = $1 AND ($2::text IS NULL OR e.user_id = $2)
      ORDER BY e.received_at DESC LIMIT 50`,
    [workspaceId, userId],
  );
  const ids = rows.map((r) => String(r['id']));
  const { rows: acts } = ids.length
    ? await q.query(
        'SELECT event_id, action, module, zoho_id, message FROM activity WHERE workspace_id = $1 AND event_id = ANY($2) ORDER BY id',
        [workspaceId, ids],
      )
    : { rows: [] as Row[] };
  return rows.map((r) => {
    const payload = r['payload'] as { data?: { booking?: { title?: string } } };
    return {
      id: String(r['id']),
      type: String(r['type']),
      bookingId: String(r['booking_id']),
      title: payload.data?.booking?.title ?? 'Meeting notes',
      status: String(r['status']),
      detail: (r['detail'] as string | null) ?? null,
      errorCode: (r['error_code'] as string | null) ?? null,
      receivedAt: new Date(r['received_at'] as string),
      hostName: (r['host_name'] as string | null) ?? null,
      zoho: {
        dataCentre: (r['data_center'] as string | null) ?? null,
        orgId: (r['zoho_org_id'] as string | null) ?? null,
      },
      entries: acts
        .filter((a) => a['event_id'] === r['id'])
        .map((a) => ({
          action: String(a['action']),
          module: (a['module'] as string | null) ?? null,
          zohoId: (a['zoho_id'] as string | null) ?? null,
          message: String(a['message']),
        })),
    };
  });
}

/**
 * Queues a failed event again, in one transaction with its job. Only the event's host, or an
 * admin of its workspace, may; anything else is "not found".
 */
export async function retryEvent(
  db: Database,
  queue: Pick<JobQueue, 'send'>,
  actor: { workspaceId: string; userId: string; admin: boolean },
  eventId: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ booking_id: string }>(
      `UPDATE events SET status = 'queued', detail = NULL, error_code = NULL, updated_at = now()
        WHERE id = $1 AND workspace_id = $2 AND status = 'failed' AND ($3 OR user_id = $4)
        RETURNING booking_id`,
      [eventId, actor.workspaceId, actor.admin, actor.userId],
    );
    if (!rows[0]) return false;
    await addActivity(tx, {
      workspaceId: actor.workspaceId,
      eventId,
      bookingId: rows[0].booking_id,
      action: 'retrying',
      message: 'Retry requested.',
    });
    await enqueueSync(tx, queue, actor.workspaceId, eventId);
    return true;
  });
}

/** After a reconnect: the connection's waiting events are queued again, with their jobs. */
export async function resumeWaiting(
  db: Database,
  queue: Pick<JobQueue, 'send'>,
  workspaceId: string,
  userId: string,
): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `UPDATE events SET status = 'queued', detail = NULL, updated_at = now()
        WHERE workspace_id = $1 AND user_id = $2 AND status = 'waiting' RETURNING id`,
      [workspaceId, userId],
    );
    for (const r of rows) await enqueueSync(tx, queue, workspaceId, r.id);
    return rows.length;
  });
}

/** After a disconnect: waiting events will not be synced; say so rather than leave them pending. */
export async function skipWaiting(db: Queryable, workspaceId: string, userId: string): Promise<void> {
  await db.query(
    `UPDATE events SET status = 'skipped', detail = 'disconnected', updated_at = now()
      WHERE workspace_id = $1 AND user_id = $2 AND status = 'waiting'`,
    [workspaceId, userId],
  );
}
