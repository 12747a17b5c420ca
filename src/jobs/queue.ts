import type { PGlite } from '@electric-sql/pglite';
import { fromPglite, PgBoss } from 'pg-boss';
import type { Database, Queryable } from '../db/port.ts';
import type { Logger } from '../log.ts';

/**
 * The job queue: pg-boss on the app's own database — embedded PGlite (one process) or
 * PostgreSQL (any number). Jobs are sent inside the caller's transaction, so a job exists
 * exactly when the state change it belongs to committed. Queues use LISTEN/NOTIFY, so a
 * worker wakes when a job is sent instead of at its next poll (STACK-NOTES §3).
 */
export type QueueDatabase =
  | (Database & { readonly kind: 'pglite'; pglite: PGlite })
  | (Database & { readonly kind: 'postgres'; url: string; schema: string | undefined });

export interface Job<T> {
  id: string;
  data: T;
  retryCount: number;
}

export interface JobQueue {
  createQueue(name: string): Promise<void>;
  /** Sends inside `tx`: the job is visible to workers only once that transaction commits. */
  send(
    tx: Queryable,
    name: string,
    data: object,
    options?: { singletonKey?: string },
  ): Promise<string | null>;
  work<T>(
    name: string,
    handler: (job: Job<T>) => Promise<void>,
    options?: { concurrency?: number },
  ): Promise<void>;
  stop(): Promise<void>;
}

export async function startQueue(deps: { db: QueueDatabase; logger: Logger }): Promise<JobQueue> {
  const { db } = deps;
  const boss =
    db.kind === 'pglite'
      ? new PgBoss({ db: fromPglite(db.pglite), backend: 'pglite', useListenNotify: true })
      : new PgBoss({
          connectionString: db.url,
          // A schema of its own beside the app's (tests give each database schema its own).
          schema: db.schema ? `${db.schema}_jobs` : 'pgboss',
          useListenNotify: true,
          max: 4,
        });
  boss.on('error', (err: Error) => deps.logger.error({ err: { message: err.message } }, 'job queue error'));
  await boss.start();
  return {
    async createQueue(name) {
      await boss.createQueue(name, { notify: true, retryLimit: 8, retryDelay: 5, retryBackoff: true });
    },
    send(tx, name, data, options = {}) {
      return boss.send(name, data, {
        ...options,
        db: { executeSql: async (text: string, values?: unknown[]) => tx.query(text, values ?? []) },
      });
    },
    async work<T>(
      name: string,
      handler: (job: Job<T>) => Promise<void>,
      options: { concurrency?: number } = {},
    ) {
      await boss.work<T>(
        name,
        { batchSize: 1, localConcurrency: options.concurrency ?? 4, pollingIntervalSeconds: 1 },
        async ([job]) => {
          if (job) await handler({ id: job.id, data: job.data, retryCount: job.retryCount });
        },
      );
    },
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}
