import type { Database, Queryable } from '../db/port.ts';
import { inForeground } from '../db/priority.ts';
import { inStatementScope } from '../db/statements.ts';
import type { JobQueue, SendOptions } from '../jobs/queue.ts';
import type { Logger } from '../log.ts';
import { bookingIdOf, type PlatformEvent } from './event-schema.ts';
import { SYNC_QUEUE, type SyncJob } from './sync-queue.ts';

/**
 * Recording an event: once per event id in its workspace (the platform's ids are unique per
 * workspace: another workspace's event with the same id is its own), in one transaction with its job. A host with no
 * live Zoho connection (or with that sync switched off) is recorded as skipped with the
 * reason, never queued for later (DESIGN §2.3). Reconnect needed still queues: the job waits.
 *
 * Events arriving together are recorded together (issue 13, group commit): while one batch's
 * transaction runs, the events that arrive queue up and go in the next, so a burst costs a few
 * statements per batch rather than eight per event, and an event arriving at an idle service is
 * recorded at once, alone. Each batch is one short transaction — routing, insert and jobs are a
 * handful of set-based statements — so accepting an event never waits behind more than the batch
 * before it. A batch that fails is recorded again event by event, so one event the database
 * refuses fails alone.
 */

export interface IntakeDeps {
  db: Database;
  queue: Pick<JobQueue, 'send'> & Partial<Pick<JobQueue, 'sendMany'>>;
  logger: Logger;
}

export type IntakeResult = { status: 'accepted' | 'duplicate' };

const reasons = {
  noUser: 'The host has not connected Zoho CRM in PepoSmart.',
  notConnected: 'The host has not connected Zoho CRM.',
  switchedOff: 'This sync is switched off in the host’s Zoho CRM settings.',
};

/** The most events, and payload bytes, in one batch. */
export const BATCH_LIMITS = { events: 200, bytes: 4 * 1024 * 1024 };

interface Pending {
  event: PlatformEvent;
  json: string;
  resolve(r: IntakeResult): void;
  reject(err: unknown): void;
}

/** Records events with group commit (see above); one per process, shared by its requests. */
export function createIntake(deps: IntakeDeps) {
  let pending: Pending[] = [];
  let draining = false;

  /**
   * The next batch, in arrival order. Left for the next one: an event whose id is already in the
   * batch (it is then a duplicate, as it would be one after the other), and meeting notes for a
   * booking whose event is in the batch (their host is read from that booking's recorded events).
   */
  function nextBatch(): Pending[] {
    const batch: Pending[] = [];
    const later: Pending[] = [];
    const ids = new Set<string>();
    const bookings = new Set<string>();
    let bytes = 0;
    for (const p of pending) {
      const key = `${p.event.workspace_id}\0${p.event.id}`;
      const booking = `${p.event.workspace_id}\0${bookingIdOf(p.event)}`;
      const full =
        batch.length >= BATCH_LIMITS.events ||
        (batch.length > 0 && bytes + p.json.length > BATCH_LIMITS.bytes);
      if (full || ids.has(key) || (p.event.type === 'meeting.notes_processed' && bookings.has(booking))) {
        later.push(p);
        continue;
      }
      batch.push(p);
      ids.add(key);
      if (p.event.type !== 'meeting.notes_processed') bookings.add(booking);
      bytes += p.json.length;
    }
    pending = later;
    return batch;
  }

  async function drain() {
    draining = true;
    try {
      while (pending.length) {
        const batch = nextBatch();
        try {
          const results = await recordBatch(deps, batch);
          for (const [i, p] of batch.entries()) p.resolve(results[i]!);
        } catch (err) {
          if (batch.length === 1) batch[0]!.reject(err);
          else for (const p of batch) await recordBatch(deps, [p]).then(([r]) => p.resolve(r!), p.reject);
        }
      }
    } finally {
      draining = false;
    }
  }

  return {
    record(event: PlatformEvent): Promise<IntakeResult> {
      return new Promise((resolve, reject) => {
        pending.push({ event, json: JSON.stringify(event), resolve, reject });
        if (!draining) void drain();
      });
    },
  };
}

/** Records one event on its own (no batching). */
export async function recordEvent(deps: IntakeDeps, e: PlatformEvent): Promise<IntakeResult> {
  const [result] = await recordBatch(deps, [{ event: e, json: JSON.stringify(e) }]);
  return result!;
}

/**
 * One transaction for the batch: the events recorded (insertRouted: one statement), then the jobs
 * of those not skipped.
 */
function recordBatch(
  deps: IntakeDeps,
  batch: ReadonlyArray<Pick<Pending, 'event' | 'json'>>,
): Promise<IntakeResult[]> {
  const events = batch.map((p) => p.event);
  return inStatementScope('intake', () =>
    inForeground(() =>
      deps.db.transaction(async (tx) => {
        const rows = await insertRouted(tx, batch);
        const jobs = rows
          .filter((r) => r.inserted && !r.skip)
          .map((r) => {
            const e = events[r.ord - 1]!;
            const options: SendOptions = r.org_key
              ? { group: { id: r.org_key, ...(r.edition ? { tier: r.edition } : {}) } }
              : {};
            return { data: { workspaceId: e.workspace_id, eventId: e.id } satisfies SyncJob, options };
          });
        if (deps.queue.sendMany) await deps.queue.sendMany(tx, SYNC_QUEUE, jobs);
        else for (const j of jobs) await deps.queue.send(tx, SYNC_QUEUE, j.data, j.options);
        return rows.map((r) => {
          const e = events[r.ord - 1]!;
          if (r.inserted)
            deps.logger.info({ eventId: e.id, type: e.type, skipped: Boolean(r.skip) }, 'event recorded');
          return { status: r.inserted ? ('accepted' as const) : ('duplicate' as const) };
        });
      }),
    ),
  );
}

interface RoutedRow {
  ord: number;
  inserted: boolean;
  skip: string | null;
  org_key: string | null;
  edition: string | null;
}

/**
 * The batch as one JSON array, each event's payload spliced in as the text already made: one
 * parameter instead of arrays of texts, which the driver escaped character by character (~5 %
 * of an event's cost on the service's thread during a burst, issue 13).
 */
function batchJson(batch: ReadonlyArray<Pick<Pending, 'event' | 'json'>>): string {
  const items = batch.map(({ event: e, json }) => {
    const host = 'booking' in e.data ? e.data.booking.host.user_id : null;
    const head = JSON.stringify({
      id: e.id,
      workspace_id: e.workspace_id,
      type: e.type,
      booking_id: bookingIdOf(e),
      host,
    });
    return `${head.slice(0, -1)},"payload":${json}}`;
  });
  return `[${items.join(',')}]`;
}

/**
 * Records the batch's workspaces, routes each event to its host's connection and inserts it, and
 * writes the skipped ones' Activity lines, in one statement (each statement of the batch's
 * transaction waits its turn on a busy event loop: issue 13). The platform is the source of truth
 * for workspaces: one seen first in an event is kept. The host of a booking is the user it names;
 * of meeting notes, whoever the booking's own events named. Events get their arrival order as a
 * microsecond apart within the batch (`received_at`), which later reads order by.
 */
async function insertRouted(
  tx: Queryable,
  batch: ReadonlyArray<Pick<Pending, 'event' | 'json'>>,
): Promise<RoutedRow[]> {
  const { rows } = await tx.query<RoutedRow>(
    `WITH input AS (
       SELECT x->>'id' AS id, x->>'workspace_id' AS workspace_id, x->>'type' AS type,
              x->>'booking_id' AS booking_id, x->>'host' AS host, x->'payload' AS payload, ord
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS i(x, ord)),
     spaces AS (
       INSERT INTO workspaces (id, name) SELECT DISTINCT workspace_id, workspace_id FROM input
       ON CONFLICT (id) DO NOTHING),
     routed AS (
       SELECT i.*, u.user_id, c.id AS conn_id, c.status AS conn_status,
              CASE WHEN i.type = 'meeting.notes_processed' THEN c.sync_notes ELSE c.sync_bookings END AS sync_on,
              COALESCE(c.zoho_org_id, c.id) AS org_key, c.zoho_edition AS edition
         FROM input i
         CROSS JOIN LATERAL (
           SELECT CASE WHEN i.host IS NOT NULL
             THEN (SELECT x.id FROM users x WHERE x.workspace_id = i.workspace_id AND x.id = i.host)
             ELSE (SELECT x.user_id FROM events x
                    WHERE x.workspace_id = i.workspace_id AND x.booking_id = i.booking_id AND x.user_id IS NOT NULL
                    ORDER BY x.received_at LIMIT 1)
           END AS user_id) u
         LEFT JOIN connections c ON c.workspace_id = i.workspace_id AND c.user_id = u.user_id),
     decided AS (
       SELECT r.*,
              CASE WHEN r.user_id IS NULL THEN $2::text
                   WHEN r.conn_id IS NULL OR r.conn_status = 'not_connected' THEN $3::text
                   WHEN r.sync_on IS NOT TRUE THEN $4::text END AS skip,
              CASE WHEN r.conn_status IS NULL OR r.conn_status = 'not_connected' THEN NULL ELSE r.conn_id END
                AS connection_id
         FROM routed r),
     inserted AS (
       INSERT INTO events (id, workspace_id, type, booking_id, user_id, connection_id, status, detail, payload, received_at)
       SELECT id, workspace_id, type, booking_id, user_id, connection_id,
              CASE WHEN skip IS NULL THEN 'queued' ELSE 'skipped' END, skip, payload,
              now() + (ord - 1) * interval '1 microsecond'
         FROM decided ORDER BY ord
       ON CONFLICT (id, workspace_id) DO NOTHING
       RETURNING id, workspace_id),
     logged AS (
       INSERT INTO activity (workspace_id, event_id, booking_id, action, message)
       SELECT d.workspace_id, d.id, d.booking_id, 'skipped', d.skip
         FROM decided d JOIN inserted ins ON ins.id = d.id AND ins.workspace_id = d.workspace_id
        WHERE d.skip IS NOT NULL)
     SELECT d.ord::int AS ord, (ins.id IS NOT NULL) AS inserted, d.skip,
            CASE WHEN d.skip IS NULL THEN d.org_key END AS org_key, d.edition
       FROM decided d LEFT JOIN inserted ins ON ins.id = d.id AND ins.workspace_id = d.workspace_id
      ORDER BY d.ord`,
    [batchJson(batch), reasons.noUser, reasons.notConnected, reasons.switchedOff],
  );
  return rows.map((r) => ({ ...r, ord: Number(r.ord) }));
}
