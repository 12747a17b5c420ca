/**
 * A worker process for the call-slot lease test (R5): it opens the test's PostgreSQL schema,
 * starts CHILD_CALLS Zoho calls on org CHILD_ORG under the leased limiter with its default
 * timing, calls that never end, and prints READY once all hold their slots. The parent then
 * kills it, as an operator's SIGKILL or an OOM kill would, mid-call.
 */
import { createLeasedLimiter } from '../../src/connections/call-slots.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { createLimiter } from '../../src/zoho/limiter.ts';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is required`);
  return v;
};

const db = openPostgres({ url: env('CHILD_DATABASE_URL'), schema: env('CHILD_SCHEMA') });
const limiter = createLeasedLimiter(db, createLimiter());
const calls = Number(env('CHILD_CALLS'));
let started = 0;
for (let i = 0; i < calls; i++)
  void limiter.run(env('CHILD_ORG'), calls, async () => {
    if (++started === calls) process.stdout.write('READY\n');
    await new Promise(() => {});
  });
