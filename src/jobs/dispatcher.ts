import type { PgBoss } from 'pg-boss';
import type { Logger } from '../log.ts';

/**
 * Works one queue in this process with a single fetch loop (issue 13), rather than one pg-boss
 * worker per slot: a wake-up fetches as many jobs as there are free slots, in one statement, and
 * the jobs finished since the last fetch are completed together, in one statement, just before it
 * (so a group's finished jobs free its slots before the fetch counts them). Each job runs on its
 * own; a slow one holds only its slot.
 *
 * It wakes when a job is sent (NOTIFY, `wake()`), when one of its jobs ends, and every
 * `pollSeconds` (the backstop for retries coming due). A fetch that fills every free slot is
 * followed by another at once: there may be more.
 *
 * Jobs in hand are kept alive with one heartbeat statement for all of them; a job whose process
 * dies stops beating and is retried by pg-boss's supervision, as with pg-boss's own workers. A job
 * is completed or failed fenced to the attempt it was fetched as (pg-boss matches id and retry
 * count), so a stale attempt never settles a newer one.
 */
export interface DispatchedJob<T> {
  id: string;
  data: T;
  retryCount: number;
}

export interface DispatcherOptions<T> {
  boss: PgBoss;
  name: string;
  handler: (job: DispatchedJob<T>) => Promise<void>;
  logger: Logger;
  /** Jobs at once in this process. */
  concurrency: number;
  groupConcurrency?: GroupLimits | undefined;
  /**
   * Jobs at once per group in this process, at most (below `groupConcurrency`, which holds across
   * processes): leaves the rest of a group's room to other processes, so one worker that fetches
   * first does not take every slot of an org.
   */
  localGroupConcurrency?: GroupLimits | undefined;
  pollSeconds: number;
  heartbeatSeconds: number;
}

export interface Dispatcher {
  /** A job may be waiting: fetch at the next turn. */
  wake(): void;
  /** Stops fetching, waits up to `timeoutMs` for jobs in hand, fails the rest back for retry. */
  stop(timeoutMs: number): Promise<void>;
}

type GroupLimits = { default: number; tiers?: Record<string, number> };
type Fetched<T> = DispatchedJob<T> & { groupId?: string | null; groupTier?: string | null };

/** How long a fetch waits for more jobs to end while half the slots or more are in hand. */
const gatherMs = 10;

export function startDispatcher<T>(o: DispatcherOptions<T>): Dispatcher {
  const running = new Map<string, { job: Fetched<T>; done: Promise<void> }>();
  const finished: Fetched<T>[] = [];
  /** Jobs in hand per group, with the group's tier. */
  const held = new Map<string, { n: number; tier: string | null | undefined }>();
  const local = o.localGroupConcurrency;
  const capOf = (tier: string | null | undefined) =>
    local ? ((tier ? local.tiers?.[tier] : undefined) ?? local.default) : Number.POSITIVE_INFINITY;
  const smallestCap = local
    ? Math.min(local.default, ...Object.values(local.tiers ?? {}))
    : Number.POSITIVE_INFINITY;

  /**
   * How many to fetch, and which groups to leave out: those at their local cap; and no more at
   * once than any group may still take here (a batch may be all one group's).
   */
  function nextFetch(free: number): { batchSize: number; ignoreGroups: string[] } {
    let batchSize = Math.min(free, smallestCap);
    const ignoreGroups: string[] = [];
    for (const [group, h] of held) {
      const room = capOf(h.tier) - h.n;
      if (room <= 0) ignoreGroups.push(group);
      else batchSize = Math.min(batchSize, room);
    }
    return { batchSize, ignoreGroups };
  }
  let due = true;
  let stopping = false;
  let nudge: (() => void) | undefined;

  function wake() {
    due = true;
    nudge?.();
  }
  const nextWake = () =>
    new Promise<void>((resolve) => {
      nudge = () => {
        nudge = undefined;
        resolve();
      };
    });

  const poll = setInterval(wake, o.pollSeconds * 1000);
  poll.unref();
  // One statement keeps every job in hand alive; pg-boss fails a job whose heartbeat stops.
  const beat = setInterval(
    () => {
      const jobs = [...running.values()].map((r) => ({ id: r.job.id, retryCount: r.job.retryCount }));
      if (jobs.length)
        o.boss.touch(o.name, jobs).catch((err: Error) => {
          o.logger.warn({ err: { message: err.message }, queue: o.name }, 'job heartbeat failed');
        });
    },
    (o.heartbeatSeconds * 1000) / 2,
  );
  beat.unref();

  function launch(job: Fetched<T>) {
    const group = job.groupId ?? undefined;
    if (group !== undefined) {
      const h = held.get(group) ?? { n: 0, tier: job.groupTier };
      h.n++;
      held.set(group, h);
    }
    const done = (async () => {
      try {
        await o.handler({ id: job.id, data: job.data, retryCount: job.retryCount });
        finished.push(job);
      } catch (err) {
        const e = err as Error;
        await o.boss
          .fail(o.name, { id: job.id, retryCount: job.retryCount }, { name: e?.name, message: e?.message })
          .catch((failed: Error) =>
            // Left active: its heartbeat stops and pg-boss retries it.
            o.logger.error({ err: { message: failed.message }, queue: o.name }, 'could not fail a job'),
          );
      } finally {
        running.delete(job.id);
        if (group !== undefined) {
          const h = held.get(group)!;
          if (--h.n <= 0) held.delete(group);
        }
        wake();
      }
    })();
    running.set(job.id, { job, done });
  }

  async function completeFinished() {
    if (!finished.length) return;
    const batch = finished.splice(0);
    try {
      await o.boss.complete(
        o.name,
        batch.map((j) => ({ id: j.id, retryCount: j.retryCount })),
      );
    } catch (err) {
      // Left active: their heartbeat stops and pg-boss retries them; an event already done is
      // not synced again (its job finds it settled).
      o.logger.error({ err: { message: (err as Error).message }, queue: o.name }, 'could not complete jobs');
    }
  }

  const loop = (async () => {
    let failures = 0;
    while (!stopping) {
      // With half the slots or more in hand, one more job now or a moment later makes little
      // difference: the fetch waits `gatherMs` for more jobs to end, so one completion and one
      // fetch serve several (phase C: a fetch and a completion per job that ended).
      if (running.size >= o.concurrency / 2 && running.size < o.concurrency)
        await new Promise((r) => setTimeout(r, gatherMs));
      const waiting = nextWake();
      await completeFinished();
      const free = o.concurrency - running.size;
      if (due && free > 0) {
        due = false;
        const { batchSize, ignoreGroups } = nextFetch(free);
        try {
          const jobs = (await o.boss.fetch<T>(o.name, {
            batchSize,
            ...(o.groupConcurrency ? { groupConcurrency: o.groupConcurrency } : {}),
            ...(ignoreGroups.length ? { ignoreGroups } : {}),
          })) as Fetched<T>[];
          failures = 0;
          if (jobs.length === batchSize) due = true;
          for (const job of jobs) launch(job);
        } catch (err) {
          failures++;
          o.logger.error({ err: { message: (err as Error).message }, queue: o.name }, 'job fetch failed');
          // Tried again at the next wake-up; at most every poll while the database is failing.
          if (failures < 3) setTimeout(wake, 100 * failures).unref();
        }
      }
      if (!due || running.size >= o.concurrency) await waiting;
    }
  })();

  return {
    wake,
    async stop(timeoutMs) {
      stopping = true;
      clearInterval(poll);
      nudge?.();
      await loop;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([...running.values()].map((r) => r.done)),
        new Promise((r) => {
          timer = setTimeout(r, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      clearInterval(beat);
      await completeFinished();
      const left = [...running.values()].map((r) => ({ id: r.job.id, retryCount: r.job.retryCount }));
      if (left.length)
        await o.boss
          .fail(o.name, left, { message: 'the worker stopped before the job ended' })
          .catch((err: Error) =>
            o.logger.warn({ err: { message: err.message }, queue: o.name }, 'could not release jobs'),
          );
    },
  };
}
