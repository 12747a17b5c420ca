import crypto from 'node:crypto';
import fs from 'node:fs';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import type { Database } from '../../src/db/port.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { templatePath } from '../setup/pglite-template.ts';
import { localDatabaseUrl } from '../setup/postgres.ts';

/**
 * Each test gets its own database: a fresh in-memory PGlite, or its own schema on the run's
 * PostgreSQL server. test/setup/postgres.ts chooses that server once per run (TEST_DATABASE_URL,
 * this machine's server, or an embedded one it starts) and hands it to every worker as
 * TEST_DATABASE_URL; the default only serves a file imported outside vitest.
 */
export const testDatabaseUrl = process.env['TEST_DATABASE_URL'] || localDatabaseUrl;
export const databaseKinds = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof databaseKinds)[number];

export interface TestDatabase {
  db: Database;
  /** The schema on PostgreSQL (for a second process to use), undefined on PGlite. */
  schema: string | undefined;
  close(): Promise<void>;
}

/**
 * A fresh PGlite costs seconds (initdb); a migrated template is made once per test worker and
 * each test loads a copy of it (STACK-NOTES §2: ~0.4 s).
 */
let template: Promise<Blob> | undefined;
function migratedTemplate(): Promise<Blob> {
  // Made once per run by test/setup/pglite-template.ts; built here only when run without it.
  if (!template && fs.existsSync(templatePath))
    template = Promise.resolve(new Blob([fs.readFileSync(templatePath)]));
  template ??= (async () => {
    const db = await openPglite();
    await migrate(db);
    const dump = await db.pglite.dumpDataDir('none');
    await db.close();
    return dump;
  })();
  return template;
}

export async function freshDatabase(
  kind: DatabaseKind,
  /** `thread`: PGlite on its own thread, as `npm start` runs it (src/db/open.ts). */
  options: { migrate?: boolean; thread?: boolean } = {},
): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const thread = options.thread ? { thread: true } : {};
    const db =
      options.migrate === false
        ? await openPglite(thread)
        : await openPglite({ loadDataDir: await migratedTemplate(), ...thread });
    return { db, schema: undefined, close: () => db.close() };
  }
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = openPostgres({ url: testDatabaseUrl, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = openPostgres({ url: testDatabaseUrl, schema });
  if (options.migrate !== false) await migrate(db);
  return {
    db,
    schema,
    async close() {
      await db.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      // The job queue's own schema beside it (src/jobs/queue.ts), when a test started one.
      await admin.query(`DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`);
      await admin.close();
    },
  };
}
