import crypto from 'node:crypto';
import { fromPglite, PgBoss } from 'pg-boss';
import type { PGliteLike } from '../db/pglite-thread.ts';
import type { Database, Queryable } from '../db/port.ts';
import { namedStatements } from '../db/postgres.ts';
import type { StatementCounter } from '../db/statements.ts';
import type { Logger } from '../log.ts';
import { type Dispatcher, startDispatcher } from './dispatcher.ts';

/**
 * The job queue: pg-boss on the app's own database — embedded PGlite (one process) or
 * PostgreSQL (any number). Jobs are sent inside the caller's transaction, so a job exists
 * exactly when the state change it belongs to committed.
 *
 * Latency: a send NOTIFYs in the sender's transaction, so an idle worker wakes when the job is
 * committed instead of at its next poll (STACK-NOTES §3). Each queue is worked in a process by
 * one fetch loop (dispatcher.ts): a wake-up fetches as many jobs as there are free slots in one
 * statement and completes the finished ones in one, so a backlog drains at the speed of the work
 * and costs about one queue statement per job, not several.
 *
 * Crashes: a job's worker sends a heartbeat; a job whose heartbeat stops (process killed)
 * is failed and retried by whichever process supervises next, within about
 * `heartbeatSeconds + superviseSeconds`.
 *
 * pg-boss keeps a registry of the processes using it (its `instance` table: one row per start,
 * its heartbeat, workers and pool, read by getInstances(); nothing on the job path reads it). It
 * prunes the rows itself: as an instance starts, the stopped or silent rows of its name beyond
 * the newest 20 (unnamed: of its host), and rows silent for 7 days at maintenance. Every process
 * of this service starts under one name, so processes that come back under new host names (a
 * container recreated) keep that bound too (R4).
 */
export const QUEUE_INSTANCE_NAME = 'peposmart-zoho';
export type QueueDatabase =
  | (Database & { readonly kind: 'pglite'; pglite: PGliteLike })
  | (Database & { readonly kind: 'postgres'; url: string; schema: string | undefined });

export interface Job<T> {
  id: string;
  data: T;
  retryCount: number;
}

export interface SendOptions {
  /** Jobs of one group (a Zoho org) run at most the group's tier limit at once, across all workers. */
  group?: { id: string; tier?: string };
}

export interface QueueOptions {
  retryLimit: number;
  /** Seconds before the first retry, doubling (with jitter) up to 5 minutes. Default 5. */
  retryDelaySeconds?: number;
  /** Where a job goes when its retries are spent, for a worker there to record the outcome. */
  deadLetter?: string;
}

export interface WorkOptions {
  /** Jobs at once in this process. */
  concurrency?: number;
  /** Jobs at once per group across every worker process: a default and per-tier limits. */
  groupConcurrency?: { default: number; tiers?: Record<string, number> };
  /** Jobs at once per group in this process (below groupConcurrency: room for other processes). */
  localGroupConcurrency?: { default: number; tiers?: Record<string, number> };
}

export interface JobQueue {
  createQueue(name: string, options?: QueueOptions): Promise<void>;
  /** Sends inside `tx`: the job is visible to workers only once that transaction commits. */
  send(tx: Queryable, name: string, data: object, options?: SendOptions): Promise<string | null>;
  /** Sends several jobs to `name` inside `tx` in one statement (and one wake-up). */
  sendMany(
    tx: Queryable,
    name: string,
    jobs: ReadonlyArray<{ data: object; options?: SendOptions }>,
  ): Promise<void>;
  work<T>(name: string, handler: (job: Job<T>) => Promise<void>, options?: WorkOptions): Promise<void>;
  /**
   * Sends a job to `name` on a cron (UTC), from whichever process's clock pass comes first:
   * one job per tick across all processes. Scheduling again replaces the cron.
   */
  schedule(name: string, cron: string): Promise<void>;
  unschedule(name: string): Promise<void>;
  /** Stops fetching, waits up to `timeoutMs` for jobs in hand, then releases the rest for retry. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface QueueTuning {
  /** Seconds between a worker's polls while NOTIFY is up (the backstop for retries coming due). */
  pollSeconds: number;
  /** A job whose worker sent no heartbeat for this long is failed and retried (pg-boss minimum 10). */
  heartbeatSeconds: number;
  /** How often a process checks for such jobs and expired ones. */
  superviseSeconds: number;
}

/**
 * A queue's one fetch loop polls every half second: the backstop for retries coming due (their
 * backoff ends with no NOTIFY) — about as many idle fetches as the eight workers polling every two
 * seconds it replaced, and a retry starts within half a second of its time.
 */
export const defaultTuning: QueueTuning = { pollSeconds: 0.5, heartbeatSeconds: 10, superviseSeconds: 5 };

export async function startQueue(deps: {
  db: QueueDatabase;
  logger: Logger;
  tuning?: Partial<QueueTuning>;
  /** Counts pg-boss's own statements as `queue` (its sends run in the caller's transaction). */
  statements?: StatementCounter;
}): Promise<JobQueue> {
  const { db } = deps;
  const tuning = { ...defaultTuning, ...deps.tuning };
  const common = {
    instanceName: QUEUE_INSTANCE_NAME,
    // Wake-ups are our own NOTIFY (below), heard by the dispatchers of every process.
    useListenNotify: false,
    superviseIntervalSeconds: tuning.superviseSeconds,
    monitorIntervalSeconds: tuning.superviseSeconds,
  };
  const boss =
    db.kind === 'pglite'
      ? new PgBoss({ db: fromPglite(db.pglite), backend: 'pglite', ...common })
      : new PgBoss({
          connectionString: db.url,
          // A schema of its own beside the app's (tests give each database schema its own).
          schema: db.schema ? `${db.schema}_jobs` : 'pgboss',
          max: 4,
          ...common,
        });
  const statements = deps.statements;
  // On PostgreSQL pg-boss's statements with parameters run as named prepared statements, as ours do
  // (db/postgres.ts): its fetch was parsed and planned on every call, 0.9 of its 2.3 ms (phase C).
  // pg-boss hands its text and values to pg's query(), which takes a named query in their place.
  const named = db.kind === 'postgres' ? namedStatements() : undefined;
  if (statements || named) {
    // pg-boss runs every statement of its own through this one object (its pool, or the PGlite
    // adapter), which its components share: counted here, not at our port.
    const bossDb = boss.getDb();
    const execute = bossDb.executeSql.bind(bossDb) as (
      ...a: unknown[]
    ) => ReturnType<typeof bossDb.executeSql>;
    bossDb.executeSql = (async (text: string, values?: unknown[], ...rest: unknown[]) => {
      statements?.add('queue');
      return named
        ? named.run(text, values, (query, v) => execute(query, v, ...rest))
        : execute(text, values, ...rest);
    }) as typeof bossDb.executeSql;
  }
  boss.on('error', (err: Error) => deps.logger.error({ err: { message: err.message } }, 'job queue error'));
  await boss.start();

  // The wake-up channel: one per pg-boss schema (tests give each database schema its own).
  const schema = db.kind === 'postgres' && db.schema ? `${db.schema}_jobs` : 'pgboss';
  const channel = `peposmart_jobs_${crypto.createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
  const dispatchers = new Map<string, Dispatcher>();
  const wakeAll = () => {
    for (const d of dispatchers.values()) d.wake();
  };
  const listening = await boss
    .getDb()
    .listen?.(channel, (name) => dispatchers.get(name)?.wake(), wakeAll)
    .catch((err: Error) => {
      deps.logger.warn({ err: { message: err.message } }, 'no job wake-ups (LISTEN failed): workers poll');
      return undefined;
    });
  const notify = (tx: Queryable, name: string) => tx.query('SELECT pg_notify($1, $2)', [channel, name]);
  const inTx = (tx: Queryable) => ({
    executeSql: async (text: string, values?: unknown[]) => tx.query(text, values ?? []),
  });

  return {
    async createQueue(name, options) {
      const settings = {
        notify: false,
        retryLimit: options?.retryLimit ?? 0,
        retryDelay: options?.retryDelaySeconds ?? 5,
        retryBackoff: true,
        retryDelayMax: 300,
        heartbeatSeconds: tuning.heartbeatSeconds,
      };
      await boss.createQueue(name, {
        ...settings,
        ...(options?.deadLetter ? { deadLetter: options.deadLetter } : {}),
      });
      // pg-boss leaves an existing queue as it was created: a release that changes these settings
      // (or a process started with other tuning) brings the queue to them. Jobs already sent keep
      // the retry settings they were sent with.
      await boss.updateQueue(name, { ...settings, deadLetter: options?.deadLetter ?? null });
    },
    async send(tx, name, data, options = {}) {
      const id = await boss.send(name, data, {
        ...(options.group ? { group: options.group } : {}),
        db: inTx(tx),
      });
      await notify(tx, name);
      return id;
    },
    async sendMany(tx, name, jobs) {
      if (!jobs.length) return;
      // The wake-up is queued behind the insert without waiting for its answer (NOTIFY is delivered
      // at commit, whatever its place in the transaction): one round trip fewer per batch.
      await Promise.all([
        boss.insert(
          name,
          jobs.map((j) => ({ data: j.data, ...(j.options?.group ? { group: j.options.group } : {}) })),
          { db: inTx(tx) },
        ),
        notify(tx, name),
      ]);
    },
    async work<T>(name: string, handler: (job: Job<T>) => Promise<void>, options: WorkOptions = {}) {
      dispatchers.set(
        name,
        startDispatcher<T>({
          boss,
          name,
          handler,
          logger: deps.logger,
          concurrency: options.concurrency ?? 4,
          groupConcurrency: options.groupConcurrency,
          localGroupConcurrency: options.localGroupConcurrency,
          pollSeconds: tuning.pollSeconds,
          heartbeatSeconds: tuning.heartbeatSeconds,
        }),
      );
    },
    schedule: (name, cron) => boss.schedule(name, cron, {}, { tz: 'UTC' }),
    unschedule: (name) => boss.unschedule(name),
    async stop(timeoutMs = 10_000) {
      await Promise.all([...dispatchers.values()].map((d) => d.stop(timeoutMs)));
      dispatchers.clear();
      await listening?.close().catch(() => {});
      await boss.stop({ graceful: true, timeout: timeoutMs });
    },
  };
}
