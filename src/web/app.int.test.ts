import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { createLogger } from '../log.ts';
import { buildWebApp } from './app.ts';

describe.each(databaseKinds)('health endpoints on %s', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('reports live and ready, then not ready once the database is gone', async () => {
    t = await freshDatabase(kind);
    const app = buildWebApp({ db: t.db, logger: createLogger({ level: 'silent' }) });
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: kind });
    await t.close();
    t = undefined;
    const gone = await app.inject('/readyz');
    expect(gone.statusCode).toBe(503);
    await app.close();
  });
});
