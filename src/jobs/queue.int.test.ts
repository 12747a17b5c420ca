import os from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { databaseKinds, freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { testLogger } from '../../test/helpers/logs.ts';
import { type JobQueue, type QueueDatabase, startQueue } from './queue.ts';

describe.each(databaseKinds)('job queue on %s', (kind) => {
  let t: TestDatabase | undefined;
  let queue: JobQueue | undefined;
  afterEach(async () => {
    await queue?.stop();
    if (t?.schema) await t.db.query(`DROP SCHEMA IF EXISTS ${t.schema}_jobs CASCADE`);
    await t?.close();
    queue = undefined;
    t = undefined;
  });

  async function setUp() {
    t = await freshDatabase(kind);
    queue = await startQueue({ db: t.db as QueueDatabase, logger: testLogger('warn') });
    await queue.createQueue('test');
    const seen: string[] = [];
    let notify: (() => void) | undefined;
    await queue.work<{ n: string }>('test', async (job) => {
      seen.push(job.data.n);
      notify?.();
    });
    const next = () => new Promise<void>((resolve) => (notify = resolve));
    return { seen, next };
  }

  it('works a job sent in a transaction that commits, and never one whose transaction rolled back', async () => {
    const { seen, next } = await setUp();
    await t!.db
      .transaction(async (tx) => {
        await queue!.send(tx, 'test', { n: 'rolled-back' });
        throw new Error('abort');
      })
      .catch(() => {});
    const worked = next();
    await t!.db.transaction((tx) => queue!.send(tx, 'test', { n: 'committed' }));
    // Woken by NOTIFY: the polling backstop with a listener up is 30 s, beyond this test's timeout.
    await worked;
    expect(seen).toEqual(['committed']);
  }, 20_000);

  it('a queue created again with other settings takes them: a release can change its retries', async () => {
    t = await freshDatabase(kind);
    queue = await startQueue({ db: t.db as QueueDatabase, logger: testLogger('warn') });
    await queue.createQueue('retried', { retryLimit: 0 });
    // The next start of a release that retries this queue's jobs once.
    await queue.createQueue('retried', { retryLimit: 1, retryDelaySeconds: 1 });
    const attempts: number[] = [];
    let done: (() => void) | undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await queue.work<{ n: string }>('retried', async () => {
      attempts.push(attempts.length + 1);
      if (attempts.length === 1) throw new Error('first attempt fails');
      done?.();
    });
    await t.db.transaction((tx) => queue!.send(tx, 'retried', { n: 'x' }));
    await finished;
    expect(attempts).toEqual([1, 2]);
  }, 20_000);
  it('R4: processes that come and go on new hosts (containers) leave at most 20 stopped rows in pg-boss’s instance registry', async () => {
    t = await freshDatabase(kind);
    const registry = t.schema ? `${t.schema}_jobs.instance` : 'pgboss.instance';
    // pg-boss prunes the rows of stopped or silent instances sharing a name (unnamed: a host)
    // down to the newest 20 as each starts; a container comes back under a new host name.
    const hostname = vi.spyOn(os, 'hostname');
    try {
      for (let i = 0; i < 24; i++) {
        hostname.mockReturnValue(`pod-${i}`);
        await (await startQueue({ db: t.db as QueueDatabase, logger: testLogger('warn') })).stop();
      }
    } finally {
      hostname.mockRestore();
    }
    const { rows } = await t.db.query<{ n: number; names: string[] }>(
      `SELECT count(*)::int AS n, array_agg(DISTINCT name) AS names FROM ${registry}`,
    );
    expect(rows[0]!.n).toBeLessThanOrEqual(21);
    expect(rows[0]!.names).toEqual(['peposmart-zoho']);
  }, 120_000);
});
