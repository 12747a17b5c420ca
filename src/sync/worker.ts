import type { JobQueue } from '../jobs/queue.ts';
import type { createBookingSync } from './booking-sync.ts';
import { SYNC_QUEUE } from './queue-name.ts';

/** Works the sync queue: one job per event; a thrown error is retried by the queue with backoff. */
export async function startSyncWorker(deps: {
  queue: JobQueue;
  bookingSync: ReturnType<typeof createBookingSync>;
  concurrency?: number;
}): Promise<void> {
  await deps.queue.createQueue(SYNC_QUEUE);
  await deps.queue.work<{ eventId: string }>(SYNC_QUEUE, (job) => deps.bookingSync.handle(job.data.eventId), {
    concurrency: deps.concurrency ?? 4,
  });
}
