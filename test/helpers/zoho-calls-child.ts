/**
 * A second worker process for the cross-process refresh test: it opens the same PostgreSQL
 * schema with its own token manager, waits for "go" on stdin, makes CALLS concurrent Zoho
 * calls on the connection, and prints `RESULT {"ok":n,"failed":n}`. Its logs go to stdout
 * for the parent to scan.
 */
import readline from 'node:readline';
import { systemClock } from '../../src/clock.ts';
import { createConnectionDeps } from '../../src/connections/build.ts';
import { createVault } from '../../src/crypto/vault.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { createLogger } from '../../src/log.ts';
import { sandboxDataCentres } from '../../src/zoho/datacentres.ts';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};

const db = openPostgres({ url: env('CHILD_DATABASE_URL'), schema: env('CHILD_SCHEMA') });
const logger = createLogger({ level: 'debug', name: 'child' });
const deps = createConnectionDeps({
  db,
  logger,
  clock: systemClock,
  vault: createVault([{ id: env('CHILD_KEY_ID'), key: Buffer.from(env('CHILD_KEY'), 'base64') }]),
  client: {
    clientId: env('CHILD_CLIENT_ID'),
    clientSecret: env('CHILD_CLIENT_SECRET'),
    redirectUri: 'unused',
  },
  dataCentres: sandboxDataCentres(env('CHILD_SANDBOX')),
  retry: { baseMs: 5, maxMs: 50 },
});
const source = deps.tokens.source(env('CHILD_CONNECTION'), env('CHILD_WORKSPACE'));
const calls = Number(env('CHILD_CALLS'));

process.stdout.write('READY\n');
const rl = readline.createInterface({ input: process.stdin });
rl.once('line', async () => {
  const results = await Promise.allSettled(Array.from({ length: calls }, () => deps.api.currentUser(source)));
  const failed = results.filter((r) => r.status === 'rejected');
  for (const f of failed) process.stderr.write(`${String((f as PromiseRejectedResult).reason)}\n`);
  process.stdout.write(`RESULT ${JSON.stringify({ ok: calls - failed.length, failed: failed.length })}\n`);
  rl.close();
  await db.close();
});
