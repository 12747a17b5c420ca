import type { Config } from '../config.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import type { Database } from './port.ts';
import { openPostgres } from './postgres.ts';

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(config: Pick<Config, 'database'>): Promise<Database> {
  const db =
    config.database.kind === 'postgres'
      ? openPostgres({ url: config.database.url })
      : await openPglite({ dataDir: config.database.dataDir });
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
