import type { Database, Queryable } from '../db/port.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { enqueueSync } from './sync-queue.ts';

/** What the Activity page reads and its Retry writes; workspace (and user) always explicit. */
export interface EventView {
  id: string;
  type: string;
  bookingId: string;
  /** The meeting's title: the event's own booking's; for meeting notes, its booking's latest event's (null when none is kept). */
  title: string | null;
  /** Who the meeting is with, from the same booking as `title`. */
  attendees: Array<{ name: string | null; email: string }>;
  /** When the meeting starts (from the same booking as `title`). */
  startsAt: Date | null;
  status: string;
  detail: string | null;
  errorCode: string | null;
  receivedAt: Date;
  hostId: string | null;
  hostName: string | null;
  zoho: { dataCentre: string | null; orgId: string | null };
  entries: ActivityLine[];
}

export interface ActivityLine {
  action: string;
  module: string | null;
  zohoId: string | null;
  message: string;
  /** A `suggested` line's suggestion as it is now: its text is rendered from this, not the line's message. */
  suggestion?: SuggestionState | undefined;
}

/** A deal-stage suggestion's state at read time (src/deals/suggestions.ts writes it). */
export interface SuggestionState {
  id: string;
  status: 'open' | 'deciding' | 'approved' | 'rejected' | 'conflict' | 'failed';
  dealName: string;
  fromStage: string;
  suggestedStage: string;
  outcome: string | null;
  ownerId: string;
  ownerName: string | null;
}

/** Whose events: a member's own, or (`userId` null) an admin's whole workspace. */
export interface EventScope {
  workspaceId: string;
  userId: string | null;
}

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

const activityValues = (a: ActivityEntry) => [
  a.workspaceId,
  a.eventId,
  a.bookingId,
  a.action,
  a.record?.module ?? null,
  a.record?.id ?? null,
  a.message,
];

/** One line of what happened in Zoho for an event. */
export async function addActivity(q: Queryable, a: ActivityEntry): Promise<void> {
  await q.query(
    `INSERT INTO activity (workspace_id, event_id, booking_id, action, module, zoho_id, message)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    activityValues(a),
  );
}

/**
 * The line, unless the event already has this very line: what an attempt says before its first
 * write (an attendee left out, a value skipped) is said once however often the job is retried.
 */
export async function addActivityOnce(q: Queryable, a: ActivityEntry): Promise<void> {
  await q.query(
    `INSERT INTO activity (workspace_id, event_id, booking_id, action, module, zoho_id, message)
     SELECT $1, $2, $3, $4, $5, $6, $7
      WHERE NOT EXISTS (SELECT 1 FROM activity
                         WHERE workspace_id = $1 AND event_id = $2 AND action = $4 AND message = $7)`,
    activityValues(a),
  );
}

/** Events shown at most: the most recent of the scope (and status). */
export const EVENTS_SHOWN = 50;

/**
 * The scope's most recent events, of one status when `status` is given, with what was done in
 * Zoho for each. Only the fields the page shows are read from payloads (a transcript can be
 * large); meeting notes borrow the title and attendees of their booking's latest event.
 */
export async function recentEvents(
  q: Queryable,
  scope: EventScope,
  status: string | null = null,
): Promise<EventView[]> {
  const { rows } = await q.query(
    `SELECT e.id, e.type, e.booking_id, e.status, e.detail, e.error_code, e.received_at, e.user_id,
            COALESCE(e.payload #>> '{data,booking,title}', bk.title) AS title,
            COALESCE(e.payload #> '{data,booking,attendees}', bk.attendees) AS attendees,
            COALESCE(e.payload #>> '{data,booking,start_time}', bk.start_time) AS starts_at,
            u.name AS host_name, c.data_center, c.zoho_org_id
       FROM events e LEFT JOIN users u ON u.id = e.user_id
       LEFT JOIN connections c ON c.id = e.connection_id
       LEFT JOIN LATERAL (
         SELECT b.payload #>> '{data,booking,title}' AS title, b.payload #> '{data,booking,attendees}' AS attendees,
                b.payload #>> '{data,booking,start_time}' AS start_time
           FROM events b
          WHERE e.type = 'meeting.notes_processed' AND b.workspace_id = e.workspace_id
            AND b.booking_id = e.booking_id AND b.type <> 'meeting.notes_processed'
          ORDER BY b.received_at DESC LIMIT 1) bk ON true
      WHERE e.workspace_id = $1 AND ($2::text IS NULL OR e.user_id = $2) AND ($3::text IS NULL OR e.status = $3)
      ORDER BY e.received_at DESC LIMIT ${EVENTS_SHOWN}`,
    [scope.workspaceId, scope.userId, status],
  );
  const lines = await activityLines(
    q,
    scope.workspaceId,
    rows.map((r) => String(r['id'])),
  );
  return rows.map((r) => ({
    id: String(r['id']),
    type: String(r['type']),
    bookingId: String(r['booking_id']),
    title: (r['title'] as string | null) ?? null,
    attendees: attendeesOf(r['attendees']),
    startsAt: r['starts_at'] ? new Date(String(r['starts_at'])) : null,
    status: String(r['status']),
    detail: (r['detail'] as string | null) ?? null,
    errorCode: (r['error_code'] as string | null) ?? null,
    receivedAt: new Date(r['received_at'] as string),
    hostId: (r['user_id'] as string | null) ?? null,
    hostName: (r['host_name'] as string | null) ?? null,
    zoho: {
      dataCentre: (r['data_center'] as string | null) ?? null,
      orgId: (r['zoho_org_id'] as string | null) ?? null,
    },
    entries: lines.get(String(r['id'])) ?? [],
  }));
}

/** How many events of each status the scope has (all of them, not only those shown). */
export async function eventCounts(q: Queryable, scope: EventScope): Promise<Record<string, number>> {
  const { rows } = await q.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM events
      WHERE workspace_id = $1 AND ($2::text IS NULL OR user_id = $2) GROUP BY status`,
    [scope.workspaceId, scope.userId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** The events' activity lines in order; a suggestion line with its suggestion as it is now. */
async function activityLines(
  q: Queryable,
  workspaceId: string,
  eventIds: string[],
): Promise<Map<string, ActivityLine[]>> {
  const byEvent = new Map<string, ActivityLine[]>();
  if (!eventIds.length) return byEvent;
  const { rows } = await q.query(
    `SELECT a.event_id, a.action, a.module, a.zoho_id, a.message, s.id AS suggestion_id, s.status AS suggestion_status,
            s.deal_name, s.from_stage, s.suggested_stage, s.outcome, s.user_id AS owner_id, s.owner_name
       FROM activity a
       LEFT JOIN LATERAL (
         SELECT x.id, x.status, x.deal_name, x.from_stage, x.suggested_stage, x.outcome, x.user_id, o.name AS owner_name
           FROM suggestions x LEFT JOIN users o ON o.id = x.user_id
          WHERE a.action = 'suggested' AND x.workspace_id = a.workspace_id AND x.event_id = a.event_id
            AND x.deal_id = a.zoho_id
          ORDER BY x.created_at LIMIT 1) s ON true
      WHERE a.workspace_id = $1 AND a.event_id = ANY($2) ORDER BY a.id`,
    [workspaceId, eventIds],
  );
  for (const a of rows) {
    const line: ActivityLine = {
      action: String(a['action']),
      module: (a['module'] as string | null) ?? null,
      zohoId: (a['zoho_id'] as string | null) ?? null,
      message: String(a['message']),
      suggestion: a['suggestion_id']
        ? {
            id: String(a['suggestion_id']),
            status: a['suggestion_status'] as SuggestionState['status'],
            dealName: String(a['deal_name']),
            fromStage: String(a['from_stage']),
            suggestedStage: String(a['suggested_stage']),
            outcome: (a['outcome'] as string | null) ?? null,
            ownerId: String(a['owner_id']),
            ownerName: (a['owner_name'] as string | null) ?? null,
          }
        : undefined,
    };
    const id = String(a['event_id']);
    const lines = byEvent.get(id) ?? [];
    lines.push(line);
    byEvent.set(id, lines);
  }
  return byEvent;
}

/** Attendees as kept in a booking's payload (parsed at intake); anything else is left out. */
function attendeesOf(value: unknown): EventView['attendees'] {
  const list = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(list)) return [];
  return list.flatMap((a: { email?: unknown; name?: unknown; first_name?: unknown; last_name?: unknown }) => {
    if (typeof a?.email !== 'string') return [];
    const parts = [a.first_name, a.last_name].filter((x): x is string => typeof x === 'string' && x !== '');
    const name = typeof a.name === 'string' && a.name ? a.name : parts.join(' ') || null;
    return [{ name, email: a.email }];
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
