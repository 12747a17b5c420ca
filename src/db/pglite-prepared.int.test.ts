import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from './pglite.ts';

/**
 * Statements with parameters on PGlite run as named prepared statements (pglite-prepared.ts), on
 * the database's own thread (`npm start`) and on the caller's (tests, one-off commands) alike.
 */
describe.each([
  ['on a thread of its own', true],
  ["on the caller's thread", false],
])('embedded PGlite %s: prepared statements', (_shape, thread) => {
  let db: Awaited<ReturnType<typeof openPglite>>;
  beforeAll(async () => {
    db = await openPglite({ thread });
  });
  afterAll(() => db.close());
  // Each case has tables of its own: a statement's text names its table, and one text is one
  // prepared statement for the database's life.

  it('prepares a statement once and runs it by name after, in and out of transactions', async () => {
    const text = 'SELECT $1::int + 1 AS n';
    expect((await db.query<{ n: number }>(text, [1])).rows).toEqual([{ n: 2 }]);
    expect((await db.query<{ n: number }>(text, [41])).rows).toEqual([{ n: 42 }]);
    await db.transaction(async (tx) =>
      expect((await tx.query<{ n: number }>(text, [2])).rows).toEqual([{ n: 3 }]),
    );
    const { rows } = await db.query<{ name: string }>(
      'SELECT name FROM pg_prepared_statements WHERE statement = $1',
      [text],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toMatch(/^peposmart_/);
  });

  it('passes values and reads rows as PGlite does: dates, JSON, int8, booleans, arrays, nulls, counts', async () => {
    await db.query(
      'CREATE TABLE tv (id int PRIMARY KEY, at timestamptz, doc jsonb, n int8, ok boolean, tags text[], note text)',
    );
    const insert = 'INSERT INTO tv VALUES ($1, $2, $3, $4, $5, $6, $7)';
    for (const id of [1, 2])
      await db.query(insert, [
        id,
        new Date(Date.UTC(2026, 11, 7, 9, 30)),
        { a: [id, 'x'] },
        '9007199254740993',
        id === 1,
        ['a', 'b c'],
        null,
      ]);
    const select = 'SELECT * FROM tv WHERE id = $1';
    const { rows } = await db.query<Record<string, unknown>>(select, [2]);
    expect(rows).toEqual([
      {
        id: 2,
        at: new Date(Date.UTC(2026, 11, 7, 9, 30)),
        doc: { a: [2, 'x'] },
        n: 9007199254740993n,
        ok: false,
        tags: ['a', 'b c'],
        note: null,
      },
    ]);
    const updated = await db.query('UPDATE tv SET note = $1 WHERE id <= $2', ['seen', 2]);
    expect(updated.rowCount).toBe(2);
    expect((await db.query(select, [3])).rows).toEqual([]);
  });

  it('gives back errors with their fields, and a failed statement or transaction leaves the rest working', async () => {
    await db.query('CREATE TABLE te (id int PRIMARY KEY)');
    const insert = 'INSERT INTO te VALUES ($1)';
    await db.query(insert, [1]);
    const dup = (await db.query(insert, [1]).catch((e: unknown) => e)) as Error & {
      code?: string;
      constraint?: string;
    };
    expect(dup.code).toBe('23505');
    expect(dup.constraint).toBe('te_pkey');
    // A statement first prepared inside a transaction that rolls back stays usable.
    const count = 'SELECT count(*)::int AS n FROM te WHERE id >= $1';
    const inTx = await db
      .transaction(async (tx) => {
        await tx.query(count, [0]);
        await tx.query(insert, [2]);
        await tx.query(insert, [1]);
      })
      .catch((e: unknown) => e);
    expect((inTx as { code?: string }).code).toBe('23505');
    expect((await db.query(count, [0])).rows).toEqual([{ n: 1 }]);
    // A text that does not parse fails each time it is run, and leaves nothing behind.
    const broken = 'SELEC $1::int';
    for (let i = 0; i < 2; i++) await expect(db.query(broken, [1])).rejects.toMatchObject({ code: '42601' });
    expect((await db.query(count, [1])).rows).toEqual([{ n: 1 }]);
  });

  it('a statement a migration changed the table under is prepared afresh: at once alone, at the next try in a transaction', async () => {
    await db.query('CREATE TABLE tm (id int, k int); INSERT INTO tm VALUES (1, 7)');
    const text = 'SELECT * FROM tm WHERE id = $1';
    expect((await db.query(text, [1])).rows).toEqual([{ id: 1, k: 7 }]);
    await db.query('ALTER TABLE tm ADD COLUMN name text');
    expect((await db.query(text, [1])).rows).toEqual([{ id: 1, k: 7, name: null }]);
    await db.query('ALTER TABLE tm ADD COLUMN more text');
    const inTx = await db.transaction((tx) => tx.query(text, [1])).catch((e: unknown) => e);
    expect(String(inTx)).toMatch(/cached plan must not change result type/);
    expect((await db.transaction((tx) => tx.query(text, [1]))).rows).toEqual([
      { id: 1, k: 7, name: null, more: null },
    ]);
    // A column whose type changed: the parameter's type is learnt again.
    const byKey = 'SELECT id FROM tm WHERE k = $1';
    expect((await db.query(byKey, [7])).rows).toEqual([{ id: 1 }]);
    await db.query('ALTER TABLE tm ALTER COLUMN k TYPE text');
    expect((await db.query(byKey, ['7'])).rows).toEqual([{ id: 1 }]);
  });

  it('refuses a statement sent into a transaction after its end, with or without parameters', async () => {
    let kept: Parameters<Parameters<typeof db.transaction>[0]>[0] | undefined;
    await db.transaction(async (tx) => {
      kept = tx;
      await tx.query('SELECT $1::int AS n', [1]);
    });
    await expect(kept!.query('SELECT $1::int AS n', [2])).rejects.toThrow(/Transaction is closed/);
    await expect(kept!.query('SELECT 3 AS n')).rejects.toThrow(/Transaction is closed/);
    // Nothing was left holding the database.
    expect((await db.query<{ n: number }>('SELECT $1::int AS n', [4])).rows).toEqual([{ n: 4 }]);
  });

  it('a statement sent outside an open transaction waits for it to end and is not part of it', async () => {
    await db.query('CREATE TABLE tt (id int PRIMARY KEY)');
    const insert = 'INSERT INTO tt VALUES ($1)';
    let alone: Promise<unknown> | undefined;
    await db
      .transaction(async (tx) => {
        await tx.query(insert, [1]);
        alone = db.query(insert, [2]);
        // The transaction's own statements go on while the other waits.
        await tx.query(insert, [3]);
        throw new Error('roll back');
      })
      .catch(() => {});
    await alone;
    expect((await db.query('SELECT id FROM tt WHERE id > $1 ORDER BY id', [0])).rows).toEqual([{ id: 2 }]);
  });
});
