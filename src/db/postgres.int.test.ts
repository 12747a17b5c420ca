import { afterEach, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../test/helpers/db.ts';
import { openPostgres } from './postgres.ts';
import { inForeground } from './priority.ts';

describe('PostgreSQL pool', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close().catch(() => {});
  });

  it('survives an idle connection the server ends (a restart, an administrator), and goes on', async () => {
    const told: string[] = [];
    const db = openPostgres({ url: testDatabaseUrl, max: 1, onIdleError: (err) => told.push(err.message) });
    closers.push(() => db.close());
    const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const admin = openPostgres({ url: testDatabaseUrl, max: 1 });
    closers.push(() => admin.close());
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await expect.poll(() => told.length, { timeout: 10_000 }).toBe(1);
    expect(told[0]).toMatch(/terminating connection/);
    expect((await db.query<{ ok: number }>('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });

  it('runs foreground work (accepting events) on connections of its own, never behind the pool', async () => {
    const db = openPostgres({ url: testDatabaseUrl, max: 1 });
    closers.push(() => db.close());
    // The pool's one connection is held by a transaction, with another statement queued for it.
    let release!: () => void;
    let released = false;
    const held = new Promise<void>((r) => {
      release = () => {
        released = true;
        r();
      };
    });
    const background = db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await held;
    });
    const queued = db.query<{ n: number }>('SELECT 2 AS n');
    const pid = async () => (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    // Foreground work goes on meanwhile: a transaction and a statement. (Were it queued behind the
    // held connection it would never end: the connection is let go after 10 s to fail the test.)
    const giveUp = setTimeout(release, 10_000);
    let result: { n: number; pid: number; releasedMeanwhile: boolean };
    try {
      result = await inForeground(async () => {
        const n = await db.transaction(
          async (tx) => (await tx.query<{ n: number }>('SELECT $1::int AS n', [7])).rows[0]!.n,
        );
        return { n, pid: await pid(), releasedMeanwhile: released };
      });
    } finally {
      clearTimeout(giveUp);
      release();
      await background;
    }
    expect(result).toMatchObject({ n: 7, releasedMeanwhile: false });
    expect((await queued).rows).toEqual([{ n: 2 }]);
    expect(await pid()).not.toBe(result.pid);
  });

  it('runs a statement with parameters prepared once per connection', async () => {
    const db = openPostgres({ url: testDatabaseUrl, max: 1 });
    closers.push(() => db.close());
    const text = 'SELECT $1::int + 1 AS n';
    expect((await db.query<{ n: number }>(text, [1])).rows).toEqual([{ n: 2 }]);
    expect((await db.query<{ n: number }>(text, [41])).rows).toEqual([{ n: 42 }]);
    await db.transaction(async (tx) =>
      expect((await tx.query<{ n: number }>(text, [2])).rows).toEqual([{ n: 3 }]),
    );
    const { rows } = await db.query<{ name: string; statement: string }>(
      'SELECT name, statement FROM pg_prepared_statements WHERE statement = $1',
      [text],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toMatch(/^peposmart_/);
    // Parameterless texts (several statements, as migrations have) still run as they are.
    expect((await db.query<{ n: number }>('SELECT 1 AS n; SELECT 2 AS n')).rows).toEqual([{ n: 2 }]);
  });

  it('a statement whose result changed under it (a migration meanwhile) is prepared afresh at the next try', async () => {
    const schema = `prep_${process.pid}_${Date.now()}`;
    const admin = openPostgres({ url: testDatabaseUrl, max: 1 });
    closers.push(async () => {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    });
    await admin.query(
      `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (id int); INSERT INTO ${schema}.t VALUES (1)`,
    );
    const db = openPostgres({ url: testDatabaseUrl, schema, max: 1 });
    closers.push(() => db.close());
    const text = 'SELECT * FROM t WHERE id = $1';
    expect((await db.query(text, [1])).rows).toEqual([{ id: 1 }]);
    await admin.query(`ALTER TABLE ${schema}.t ADD COLUMN name text`);
    await expect(db.query(text, [1])).rejects.toThrow(/cached plan must not change result type/);
    expect((await db.query(text, [1])).rows).toEqual([{ id: 1, name: null }]);
  });
});
