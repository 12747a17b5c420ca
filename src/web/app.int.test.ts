import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { systemClock } from '../clock.ts';
import { createConnectionDeps } from '../connections/build.ts';
import { createVault, newVaultKey } from '../crypto/vault.ts';
import type { Database } from '../db/port.ts';
import { createLogger } from '../log.ts';
import { zohoDataCentres } from '../zoho/datacentres.ts';
import { buildWebApp } from './app.ts';

function appOn(db: Database) {
  const logger = createLogger({ level: 'silent' });
  const deps = { db, logger, clock: systemClock };
  const connections = createConnectionDeps({
    ...deps,
    vault: createVault([newVaultKey('k')]),
    client: { clientId: 'id', clientSecret: 'secret', redirectUri: 'http://127.0.0.1/cb' },
    dataCentres: zohoDataCentres(),
  });
  return buildWebApp({
    ...deps,
    connections,
    publicUrl: 'http://127.0.0.1:3000',
    signIn: { mode: 'handoff', secret: undefined },
  });
}

describe.each(databaseKinds)('health endpoints on %s', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('reports live and ready, then not ready once the database is gone', async () => {
    t = await freshDatabase(kind);
    const app = appOn(t.db);
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
