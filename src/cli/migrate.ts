import { loadConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { openPglite } from '../db/pglite.ts';
import { openPostgres } from '../db/postgres.ts';

/** `npm run migrate`: brings the configured database's schema up to date and says what ran. */
const config = loadConfig(process.env);
const db =
  config.database.kind === 'postgres'
    ? openPostgres({ url: config.database.url })
    : await openPglite({ dataDir: config.database.dataDir });
try {
  const applied = await migrate(db);
  process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Schema up to date.\n');
} finally {
  await db.close();
}
