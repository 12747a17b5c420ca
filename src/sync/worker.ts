import type { Database } from '../db/port.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { Logger } from '../log.ts';
import { addActivity } from './activity-repo.ts';
import { defaultClaimTiming, sweepClaims } from './claims.ts';
import type { EventSync } from './event-sync.ts';
import { createFailureLog, type FailureLog } from './failure-log.ts';
import {
  orgLimits,
  orgLimitsHere,
  SYNC_DEAD_QUEUE,
  SYNC_QUEUE,
  SYNC_RETRY_LIMIT,
  type SyncJob,
} from './sync-queue.ts';

/**
 * Works the sync queue: one job per event; a thrown error is retried by the queue with
 * backoff. A job whose retries are spent (Zoho unavailable for long, or its worker killed
 * again and again) lands on the dead-letter queue, whose worker ends the event as failed
 * with the last cause, so no booking stays "in progress" for ever.
 *
 * Claims a killed worker left (R4) are swept by the attempt that ends the event, by the
 * dead-letter worker, and by every sync worker as it starts (sweepClaims says when it is safe).
 */
export interface SyncRetry {
  /** Retries after the first attempt (default SYNC_RETRY_LIMIT). */
  limit?: number;
  /** Seconds before the first retry, then doubling (default 5). */
  delaySeconds?: number;
}

/** Creates the sync queues (idempotent): every process that sends or works sync jobs calls it. */
export async function createSyncQueues(queue: JobQueue, retry: SyncRetry = {}): Promise<void> {
  await queue.createQueue(SYNC_DEAD_QUEUE);
  await queue.createQueue(SYNC_QUEUE, {
    retryLimit: retry.limit ?? SYNC_RETRY_LIMIT,
    deadLetter: SYNC_DEAD_QUEUE,
    ...(retry.delaySeconds ? { retryDelaySeconds: retry.delaySeconds } : {}),
  });
}

/**
 * Jobs at once in a worker process by default (SYNC_CONCURRENCY). A job spends most of its time
 * waiting for Zoho (each call 100–300 ms), so a process carries many: at 8, a worker serving
 * twenty orgs was the bottleneck long before their limits were; at 64 one worker carried about
 * 80 bookings/s there (issue 13, bench phase C). Each org's own limit holds its jobs back.
 */
export const DEFAULT_SYNC_CONCURRENCY = 64;

export async function startSyncWorker(deps: {
  db: Database;
  queue: JobQueue;
  logger: Logger;
  /** A handle that does not say it swept its event's claims (EventSync's does) is swept after. */
  eventSync: { handle(...args: Parameters<EventSync['handle']>): Promise<unknown> };
  /** Jobs at once in this process. */
  concurrency?: number;
  /** Zoho calls at once per org, below the edition's limit. */
  orgConcurrency?: number | undefined;
  retry?: SyncRetry;
  /** Told when a job starts and ends (metrics: jobs in flight). */
  observer?: { jobsInFlight(delta: 1 | -1): void };
}): Promise<void> {
  const attempts = (deps.retry?.limit ?? SYNC_RETRY_LIMIT) + 1;
  const failures = createFailureLog({ logger: deps.logger });
  await createSyncQueues(deps.queue, deps.retry);
  const staleMs = defaultClaimTiming.staleMs;
  await sweepClaims(deps.db, { staleMs });
  await deps.queue.work<SyncJob>(
    SYNC_QUEUE,
    async (job) => {
      deps.observer?.jobsInFlight(1);
      try {
        const outcome = await deps.eventSync.handle(
          job.data.eventId,
          { number: job.retryCount + 1, of: attempts },
          job.data.workspaceId,
        );
        // The settle that ended the event swept its claims in the same statement; an attempt that
        // ended otherwise (the event already settled, or paused for a reconnect) sweeps here.
        if (!(outcome as { swept?: boolean } | undefined)?.swept)
          await sweepClaims(deps.db, { staleMs, holder: job.data.eventId });
      } finally {
        deps.observer?.jobsInFlight(-1);
      }
    },
    {
      concurrency: deps.concurrency ?? DEFAULT_SYNC_CONCURRENCY,
      groupConcurrency: orgLimits(deps.orgConcurrency),
      localGroupConcurrency: orgLimitsHere(deps.orgConcurrency),
    },
  );
  await deps.queue.work<SyncJob>(
    SYNC_DEAD_QUEUE,
    async (job) => {
      await giveUp({ ...deps, failures }, job.data, attempts);
      await sweepClaims(deps.db, { staleMs, holder: job.data.eventId });
    },
    {
      concurrency: 1,
    },
  );
}

async function giveUp(
  deps: { db: Database; failures: FailureLog },
  { eventId, workspaceId }: SyncJob,
  attempts: number,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const { rows } = await tx.query<{
      workspace_id: string;
      connection_id: string | null;
      booking_id: string;
      detail: string | null;
    }>(
      `UPDATE events SET status = 'failed', error_code = 'retries_exhausted',
              detail = 'Gave up after ' || $2::int || ' attempts' || COALESCE(': ' || detail, ''),
              updated_at = now()
        WHERE (id, workspace_id) = (SELECT id, workspace_id FROM events
                                     WHERE id = $1 AND ($3::text IS NULL OR workspace_id = $3)
                                     ORDER BY received_at LIMIT 1)
          AND status = 'queued' RETURNING workspace_id, connection_id, booking_id, detail`,
      [eventId, attempts, workspaceId ?? null],
    );
    const e = rows[0];
    if (!e) return;
    await addActivity(tx, {
      workspaceId: e.workspace_id,
      eventId,
      bookingId: e.booking_id,
      action: 'failed',
      message: `${e.detail}.`,
    });
    deps.failures.gaveUp(
      { eventId, connectionId: e.connection_id },
      { errorCode: 'retries_exhausted' },
      'retries_exhausted',
    );
  });
}
