import type { Config } from '../config.ts';
import type { QueueDatabase } from '../jobs/queue.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(
  config: Pick<Config, 'database'>,
  options: { onIdleError?: (err: Error) => void } = {},
): Promise<QueueDatabase> {
  const db: QueueDatabase =
    config.database.kind === 'postgres'
      ? openPostgres({
          url: config.database.url,
          ...(config.database.schema ? { schema: config.database.schema } : {}),
          ...(options.onIdleError ? { onIdleError: options.onIdleError } : {}),
        })
      : await openPglite({ dataDir: config.database.dataDir, thread: true });
  try {
    if (db.kind === 'postgres' && db.schema) await db.query(`CREATE SCHEMA IF NOT EXISTS ${db.schema}`);
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
