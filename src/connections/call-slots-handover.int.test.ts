import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { countStatements, createStatementCounter } from '../db/statements.ts';
import { createLimiter } from '../zoho/limiter.ts';
import { createLeasedLimiter } from './call-slots.ts';

/**
 * Issue 13: a lease passes from a call that ended to the next call of the org waiting in the same
 * process, without going through the database; the org's limit holds all the same, and nothing is
 * left leased once the calls are done.
 */
describe('Zoho call slots handed from call to call (postgres)', () => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('queued calls of one process take the lease of the call before them: fewer statements than calls', async () => {
    t = await freshDatabase('postgres');
    const counter = createStatementCounter();
    const limiter = createLeasedLimiter(countStatements(t.db, counter), createLimiter());
    let running = 0;
    let peak = 0;
    const call = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    };
    await Promise.all(Array.from({ length: 30 }, () => limiter.run('org_h', 2, call)));
    expect(peak).toBe(2);
    // Leasing and releasing every call would take 60 statements (and seeding the slots one).
    expect(counter.totals().slots).toBeLessThan(30);
    const { rows } = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM zoho_call_slots WHERE org_key = 'org_h' AND holder IS NOT NULL",
    );
    expect(rows[0]!.n).toBe(0);
  });
});
