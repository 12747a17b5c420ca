import type { Database } from '../db/port.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { Logger } from '../log.ts';

/**
 * Events (with their payloads: attendees, transcripts), their activity, analyses and
 * suggestions are personal data kept only as long as they are useful. A finished event (done,
 * skipped, failed) older than the retention is deleted with all that hangs on it. Sync
 * references stay: they hold no meeting content, and they are what keeps an old booking's
 * later events (or the same event sent again) from creating anything twice in Zoho.
 */
export const RETENTION_QUEUE = 'event-retention';
/** Daily at 03:17 UTC: one run across all processes. */
export const RETENTION_CRON = '17 3 * * *';
const BATCH = 1000;

/** Deletes finished events last changed more than `days` days ago, in batches; how many. */
export async function purgeFinishedEvents(db: Pick<Database, 'query'>, days: number): Promise<number> {
  let total = 0;
  for (;;) {
    // Operator housekeeping across every workspace: the one unscoped delete, by design.
    const { rows } = await db.query<{ id: string }>(
      `DELETE FROM events WHERE (id, workspace_id) IN (
         SELECT id, workspace_id FROM events
          WHERE status IN ('done', 'skipped', 'failed') AND updated_at < now() - $1 * interval '1 day'
          LIMIT ${BATCH})
       RETURNING id`,
      [days],
    );
    total += rows.length;
    if (rows.length < BATCH) return total;
  }
}

/** Schedules the daily purge (or, with 0 days, removes the schedule) and works its jobs. */
export async function startRetention(deps: {
  db: Database;
  queue: JobQueue;
  logger: Logger;
  days: number;
}): Promise<void> {
  await deps.queue.createQueue(RETENTION_QUEUE);
  if (deps.days === 0) {
    await deps.queue.unschedule(RETENTION_QUEUE);
    return;
  }
  await deps.queue.schedule(RETENTION_QUEUE, RETENTION_CRON);
  await deps.queue.work(
    RETENTION_QUEUE,
    async () => {
      const deleted = await purgeFinishedEvents(deps.db, deps.days);
      deps.logger.info({ deleted, days: deps.days }, 'finished events past their retention deleted');
    },
    { concurrency: 1 },
  );
}
