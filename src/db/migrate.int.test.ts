import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { migrate, readMigrations } from './migrate.ts';

describe.each(databaseKinds)('migrations on %s', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('applies every migration once, in order, and records it', async () => {
    t = await freshDatabase(kind, { migrate: false });
    const all = await readMigrations();
    expect(all.map((m) => m.version)).toEqual([...all.map((m) => m.version)].sort());
    expect(await migrate(t.db)).toEqual(all.map((m) => m.name));
    expect(await migrate(t.db)).toEqual([]);
    const rows = await t.db.query<{ version: string }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.rows.map((r) => r.version)).toEqual(all.map((m) => m.version));
  });

  it('runs a migration with several statements and rolls a failing one back whole', async () => {
    t = await freshDatabase(kind, { migrate: false });
    const good = {
      version: '9001',
      name: '9001_two_tables',
      sql: 'CREATE TABLE a (id int); CREATE TABLE b (id int);',
    };
    const bad = {
      version: '9002',
      name: '9002_broken',
      sql: 'CREATE TABLE c (id int); SELECT * FROM missing_table;',
    };
    await expect(migrate(t.db, [good, bad])).rejects.toThrow(/missing_table/);
    const tables = await t.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('a','b','c') ORDER BY 1`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(['a', 'b']);
    const applied = await t.db.query<{ version: string }>('SELECT version FROM schema_migrations');
    expect(applied.rows.map((r) => r.version)).toEqual(['9001']);
  });

  it('rolls a transaction back when its function throws', async () => {
    t = await freshDatabase(kind);
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO workspaces (id, name) VALUES ($1, $2)`, ['ws_1', 'One']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await t.db.transaction((tx) =>
      tx.query(`INSERT INTO workspaces (id, name) VALUES ($1, $2)`, ['ws_2', 'Two']),
    );
    const rows = await t.db.query<{ id: string }>('SELECT id FROM workspaces');
    expect(rows.rows.map((r) => r.id)).toEqual(['ws_2']);
  });
});

describe('migrations on postgres with several processes', () => {
  it('two pools migrating the same schema at once apply each migration exactly once', async () => {
    const t = await freshDatabase('postgres', { migrate: false });
    try {
      const { openPostgres } = await import('./postgres.ts');
      const { testDatabaseUrl } = await import('../../test/helpers/db.ts');
      const other = openPostgres({ url: testDatabaseUrl, schema: t.schema! });
      // Both create schema_migrations at once too: the advisory lock covers only the rows.
      await t.db.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const [a, b] = await Promise.all([migrate(t.db), migrate(other)]);
      await other.close();
      const all = await readMigrations();
      expect([...a, ...b].sort()).toEqual(all.map((m) => m.name));
    } finally {
      await t.close();
    }
  });
});
