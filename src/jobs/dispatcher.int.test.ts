import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseKind, databaseKinds, freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { testLogger } from '../../test/helpers/logs.ts';
import { createStatementCounter } from '../db/statements.ts';
import { type JobQueue, type QueueDatabase, startQueue } from './queue.ts';

/**
 * The fetch loop (dispatcher.ts): a burst is fetched and completed in a few statements, not
 * several per job; a job sent wakes the loop without waiting for a poll; one process leaves part
 * of a group's room to others.
 */
/** A fresh database for each test, and the queues started on it: stopped and dropped after it. */
function useDatabase(kind: DatabaseKind, queues: JobQueue[]) {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.stop();
    if (t?.schema) await t.db.query(`DROP SCHEMA IF EXISTS ${t.schema}_jobs CASCADE`);
    await t?.close();
    t = undefined;
  });
  return {
    async fresh() {
      t = await freshDatabase(kind);
      return t;
    },
  };
}

describe.each(databaseKinds)('job dispatch on %s', (kind) => {
  const queues: JobQueue[] = [];
  const db = useDatabase(kind, queues);

  it('fetches and completes a burst in fewer queue statements than jobs, woken by the send, not a poll', async () => {
    const t = await db.fresh();
    const statements = createStatementCounter();
    // No poll within the test's time: only the send's wake-up can start the work.
    const queue = await startQueue({
      db: t.db as QueueDatabase,
      logger: testLogger('warn'),
      statements,
      tuning: { pollSeconds: 600 },
    });
    queues.push(queue);
    await queue.createQueue('burst');
    const seen = new Set<number>();
    await queue.work<{ n: number }>(
      'burst',
      async (job) => {
        seen.add(job.data.n);
      },
      { concurrency: 50 },
    );
    const before = statements.totals().queue;
    const jobs = Array.from({ length: 40 }, (_, n) => ({ data: { n } }));
    await t.db.transaction((tx) => queue.sendMany(tx, 'burst', jobs));
    await expect.poll(() => seen.size, { timeout: 30_000 }).toBe(40);
    // Completed too: nothing of the queue left to do.
    await expect
      .poll(
        async () =>
          (
            await t.db.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM ${t.schema ? `${t.schema}_jobs` : 'pgboss'}.job WHERE name = 'burst' AND state <> 'completed'`,
            )
          ).rows[0]!.n,
        { timeout: 30_000 },
      )
      .toBe(0);
    expect(statements.totals().queue - before).toBeLessThan(jobs.length);
  }, 60_000);
});

// Two processes share one database only on PostgreSQL.
describe.each(databaseKinds.filter((k) => k === 'postgres'))(
  'job dispatch across processes on %s',
  (kind) => {
    const queues: JobQueue[] = [];
    const db = useDatabase(kind, queues);

    it('one process takes no more of a group than its own share, leaving the rest to another', async () => {
      const t = await db.fresh();
      const started: Array<{ worker: number; n: number }> = [];
      let release!: () => void;
      const released = new Promise<void>((r) => {
        release = r;
      });
      for (const worker of [0, 1]) {
        const queue = await startQueue({ db: t.db as QueueDatabase, logger: testLogger('warn') });
        queues.push(queue);
        await queue.createQueue('grouped');
        await queue.work<{ n: number }>(
          'grouped',
          async (job) => {
            started.push({ worker, n: job.data.n });
            await released;
          },
          { concurrency: 10, groupConcurrency: { default: 4 }, localGroupConcurrency: { default: 2 } },
        );
      }
      const jobs = Array.from({ length: 8 }, (_, n) => ({
        data: { n },
        options: { group: { id: 'org-1' } },
      }));
      await t.db.transaction((tx) => queues[0]!.sendMany(tx, 'grouped', jobs));
      // Four at once for the group, two in each process.
      await expect.poll(() => started.length, { timeout: 30_000 }).toBe(4);
      expect(started.filter((s) => s.worker === 0)).toHaveLength(2);
      expect(started.filter((s) => s.worker === 1)).toHaveLength(2);
      release();
      await expect.poll(() => started.length, { timeout: 30_000 }).toBe(8);
    }, 60_000);
  },
);
