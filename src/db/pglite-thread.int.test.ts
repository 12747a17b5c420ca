import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from './pglite.ts';
import { inForeground } from './priority.ts';

/**
 * PGlite on its own thread (`npm start`'s shape): the same database behind the same port, with
 * statements, transactions, errors, notifications and the data folder as on the caller's thread.
 */
describe('embedded PGlite on a thread of its own', () => {
  const dirs: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close().catch(() => {});
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const open = async (dataDir?: string) => {
    const db = await openPglite({ ...(dataDir ? { dataDir } : {}), thread: true });
    closers.push(() => db.close());
    return db;
  };
  // One database for the cases that need no folder of their own (each opening costs an initdb).
  let shared: Awaited<ReturnType<typeof openPglite>>;
  beforeAll(async () => {
    shared = await openPglite({ thread: true });
  });
  afterAll(() => shared.close());
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pglite-thread-'));
    dirs.push(d);
    return path.join(d, 'pglite');
  };

  it('answers statements with their types, and keeps data across reopen', async () => {
    const dir = tmp();
    const db = await open(dir);
    await db.query('CREATE TABLE t (id int PRIMARY KEY, at timestamptz, doc jsonb, n int8)');
    const ins = await db.query('INSERT INTO t VALUES ($1, $2, $3, $4)', [
      1,
      new Date(0),
      { a: [1, 'x'] },
      '42',
    ]);
    expect(ins.rowCount).toBe(1);
    const { rows } = await db.query<{ at: Date; doc: unknown }>('SELECT at, doc FROM t');
    expect(rows[0]!.at).toBeInstanceOf(Date);
    expect(rows[0]!.at.getTime()).toBe(0);
    expect(rows[0]!.doc).toEqual({ a: [1, 'x'] });
    // A parameterless query may hold several statements: the last one's rows.
    expect((await db.query('SELECT 1 AS a; SELECT 2 AS b')).rows).toEqual([{ b: 2 }]);
    await db.close();
    closers.pop();
    const again = await open(dir);
    expect((await again.query('SELECT id FROM t')).rows).toEqual([{ id: 1 }]);
  });

  it('runs statements sent into a transaction without waiting, in the order sent, and commits them together', async () => {
    const db = shared;
    await db.query('CREATE TABLE piped (n int PRIMARY KEY, seen int)');
    const out = await db.transaction(async (tx) => {
      // The first statement opens the transaction; the next three go before any answer came back.
      await tx.query('INSERT INTO piped VALUES (1, 0)');
      const [, , read] = await Promise.all([
        tx.query('INSERT INTO piped VALUES (2, (SELECT count(*) FROM piped))'),
        tx.query('INSERT INTO piped VALUES (3, (SELECT count(*) FROM piped))'),
        tx.query<{ n: number }>('SELECT count(*)::int AS n FROM piped'),
      ]);
      return read.rows[0]!.n;
    });
    expect(out).toBe(3);
    expect((await db.query('SELECT n, seen FROM piped ORDER BY n')).rows).toEqual([
      { n: 1, seen: 0 },
      { n: 2, seen: 1 },
      { n: 3, seen: 2 },
    ]);
    // A transaction that sends no statement commits nothing and leaves the database free.
    expect(await db.transaction(async () => 'none')).toBe('none');
    // One that ends without waiting for its statement: the end comes after it, whenever it opens.
    let unawaited: Promise<unknown> | undefined;
    await db.transaction(async (tx) => {
      unawaited = tx.query('INSERT INTO piped VALUES (9, 0)');
    });
    await unawaited;
    expect((await db.query('SELECT count(*)::int AS n FROM piped WHERE n = 9')).rows).toEqual([{ n: 1 }]);
    await db.query('DELETE FROM piped WHERE n = 9');
    // One whose pipelined statement fails rolls back every statement of it.
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO piped VALUES (4, 0)');
        await Promise.all([
          tx.query('INSERT INTO piped VALUES (5, 0)'),
          tx.query('INSERT INTO piped VALUES (1, 0)'),
        ]);
      }),
    ).rejects.toThrow(/duplicate key/);
    expect((await db.query('SELECT count(*)::int AS n FROM piped')).rows).toEqual([{ n: 3 }]);
  });

  it('commits a transaction, rolls back one that throws, and keeps other statements out of an open one', async () => {
    const db = shared;
    await db.query('CREATE SCHEMA tx; SET search_path = tx');
    await db.query('CREATE TABLE t (v text)');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES ($1)', ['committed']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1)', ['rolled back']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // A statement sent while a transaction is open runs after it, never inside it.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const tx = db.transaction(async (t) => {
      await t.query('INSERT INTO t VALUES ($1)', ['in tx']);
      await held;
      await t.query('INSERT INTO t VALUES ($1)', ['in tx too']);
    });
    const outside = db.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
    release();
    await tx;
    expect((await outside).rows[0]!.n).toBe(3);
    expect((await db.query<{ v: string }>('SELECT v FROM t ORDER BY v')).rows.map((r) => r.v)).toEqual([
      'committed',
      'in tx',
      'in tx too',
    ]);
  });

  it('runs a waiting foreground statement (an event being accepted) before background ones queued earlier', async () => {
    const db = shared;
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const order: string[] = [];
    const tx = db.transaction(async (t) => {
      await t.query('SELECT 1');
      await held;
    });
    const background = db.query('SELECT 1').then(() => order.push('background'));
    const foreground = inForeground(() => db.query('SELECT 1')).then(() => order.push('foreground'));
    release();
    await Promise.all([tx, background, foreground]);
    expect(order).toEqual(['foreground', 'background']);
  });

  it('gives back Postgres errors with their fields, and goes on working after one', async () => {
    const db = shared;
    await db.query('CREATE SCHEMA errs; SET search_path = errs');
    await db.query('CREATE TABLE t (id int PRIMARY KEY)');
    await db.query('INSERT INTO t VALUES (1)');
    const err = (await db.query('INSERT INTO t VALUES (1)').catch((e: unknown) => e)) as Error & {
      code?: string;
      constraint?: string;
    };
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('23505');
    expect(err.constraint).toBe('t_pkey');
    const inTx = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1)');
      })
      .catch((e: unknown) => e);
    expect((inTx as { code?: string }).code).toBe('23505');
    expect((await db.query('SELECT count(*)::int AS n FROM t')).rows).toEqual([{ n: 1 }]);
  });

  it('delivers notifications to listeners once their transaction commits', async () => {
    const db = shared;
    const heard: string[] = [];
    const stop = await db.pglite.listen('jobs', (payload) => heard.push(payload));
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_notify($1, $2)', ['jobs', 'one']);
    });
    await db.query('SELECT pg_notify($1, $2)', ['jobs', 'two']);
    await expect.poll(() => heard).toEqual(['one', 'two']);
    await stop();
  });

  it('dumps its data for a new database to start from', async () => {
    const db = shared;
    await db.query('CREATE SCHEMA dump; SET search_path = dump');
    await db.query('CREATE TABLE t (v text)');
    await db.query("INSERT INTO t VALUES ('copied')");
    const dump = await db.pglite.dumpDataDir('none');
    const copy = await openPglite({ loadDataDir: dump as Blob, thread: true });
    closers.push(() => copy.close());
    expect((await copy.query('SELECT v FROM dump.t')).rows).toEqual([{ v: 'copied' }]);
  });
});
