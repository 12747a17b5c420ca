import fs from 'node:fs';
import path from 'node:path';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';

/**
 * Builds the migrated PGlite template once per test run (initdb costs seconds), for every
 * worker to load copies of (test/helpers/db.ts).
 */
export const templatePath = path.resolve('test-results', 'pglite-template.tar');

export default async function setup(): Promise<void> {
  const db = await openPglite();
  await migrate(db);
  const dump = await db.pglite.dumpDataDir('none');
  await db.close();
  fs.mkdirSync(path.dirname(templatePath), { recursive: true });
  fs.writeFileSync(templatePath, Buffer.from(await dump.arrayBuffer()));
}
