import type { Database, Queryable } from '../db/port.ts';
import { inStatementScope } from '../db/statements.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { Logger } from '../log.ts';
import { addActivity } from './activity-repo.ts';
import type { PlatformEvent } from './event-schema.ts';
import { enqueueSync } from './sync-queue.ts';

/**
 * Recording an event: once per event id in its workspace (the platform's ids are unique per
 * workspace: another workspace's event with the same id is its own), in one transaction with its job. A host with no
 * live Zoho connection (or with that sync switched off) is recorded as skipped with the
 * reason, never queued for later (DESIGN §2.3). Reconnect needed still queues: the job waits.
 */

export interface IntakeDeps {
  db: Database;
  queue: Pick<JobQueue, 'send'>;
  logger: Logger;
}

export type IntakeResult = { status: 'accepted' | 'duplicate' };

interface Route {
  userId: string | null;
  connectionId: string | null;
  skip: string | null;
}

const bookingId = (e: PlatformEvent) => ('booking' in e.data ? e.data.booking.id : e.data.booking_id);

async function hostUserId(q: Queryable, e: PlatformEvent): Promise<string | null> {
  if ('booking' in e.data) {
    const { rows } = await q.query<{ id: string }>(
      'SELECT id FROM users WHERE workspace_id = $1 AND id = $2',
      [e.workspace_id, e.data.booking.host.user_id],
    );
    return rows[0]?.id ?? null;
  }
  // Notes name only the booking: its host is whoever the booking's own events named.
  const { rows } = await q.query<{ user_id: string }>(
    `SELECT user_id FROM events WHERE workspace_id = $1 AND booking_id = $2 AND user_id IS NOT NULL
      ORDER BY received_at LIMIT 1`,
    [e.workspace_id, bookingId(e)],
  );
  return rows[0]?.user_id ?? null;
}

async function route(q: Queryable, e: PlatformEvent): Promise<Route> {
  const userId = await hostUserId(q, e);
  if (!userId)
    return { userId: null, connectionId: null, skip: 'The host has not connected Zoho CRM in PepoSmart.' };
  const { rows } = await q.query<{ id: string; status: string; sync_bookings: boolean; sync_notes: boolean }>(
    'SELECT id, status, sync_bookings, sync_notes FROM connections WHERE workspace_id = $1 AND user_id = $2',
    [e.workspace_id, userId],
  );
  const c = rows[0];
  if (!c || c.status === 'not_connected')
    return { userId, connectionId: null, skip: 'The host has not connected Zoho CRM.' };
  const on = e.type === 'meeting.notes_processed' ? c.sync_notes : c.sync_bookings;
  if (!on)
    return { userId, connectionId: c.id, skip: 'This sync is switched off in the host’s Zoho CRM settings.' };
  return { userId, connectionId: c.id, skip: null };
}

export function recordEvent(deps: IntakeDeps, e: PlatformEvent): Promise<IntakeResult> {
  return inStatementScope('intake', () => record(deps, e));
}

async function record(deps: IntakeDeps, e: PlatformEvent): Promise<IntakeResult> {
  return deps.db.transaction(async (tx) => {
    // The platform is the source of truth for workspaces: one seen first in an event is kept.
    await tx.query('INSERT INTO workspaces (id, name) VALUES ($1, $1) ON CONFLICT (id) DO NOTHING', [
      e.workspace_id,
    ]);
    const r = await route(tx, e);
    const inserted = await tx.query(
      `INSERT INTO events (id, workspace_id, type, booking_id, user_id, connection_id, status, detail, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id, workspace_id) DO NOTHING`,
      [
        e.id,
        e.workspace_id,
        e.type,
        bookingId(e),
        r.userId,
        r.connectionId,
        r.skip ? 'skipped' : 'queued',
        r.skip,
        e,
      ],
    );
    if (inserted.rowCount === 0) return { status: 'duplicate' as const };
    if (r.skip) {
      await addActivity(tx, {
        workspaceId: e.workspace_id,
        eventId: e.id,
        bookingId: bookingId(e),
        action: 'skipped',
        message: r.skip,
      });
    } else {
      await enqueueSync(tx, deps.queue, e.workspace_id, e.id);
    }
    deps.logger.info({ eventId: e.id, type: e.type, skipped: Boolean(r.skip) }, 'event recorded');
    return { status: 'accepted' as const };
  });
}
