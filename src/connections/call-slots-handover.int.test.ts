import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import type { Database } from '../db/port.ts';
import { countStatements, createStatementCounter } from '../db/statements.ts';
import { createLimiter, type Limiter } from '../zoho/limiter.ts';
import { createLeasedLimiter } from './call-slots.ts';

/**
 * Issue 13: a lease passes from a call that ended to the next call of the org waiting in the same
 * process, or to one coming a moment later, without going through the database; the org's limit
 * holds all the same, and nothing stays leased for long once the calls are done.
 */
async function leased(t: TestDatabase, org: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM zoho_call_slots WHERE org_key = $1 AND holder IS NOT NULL',
    [org],
  );
  return rows[0]!.n;
}

/** A call that holds its slot until `end()`; answered once it runs. */
async function heldCall(limiter: Limiter, org: string, limit: number) {
  let end!: () => void;
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const done = limiter.run(org, limit, async () => {
    started();
    await new Promise<void>((r) => (end = r));
  });
  await running;
  return { done, end: () => end() };
}

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
    await expect.poll(() => leased(t!, 'org_h'), { timeout: 10_000 }).toBe(0);
  });

  it('a job calling again a moment after its last call keeps the lease; another process gets it once it is parked no longer', async () => {
    t = await freshDatabase('postgres');
    const counter = createStatementCounter();
    const a = createLeasedLimiter(countStatements(t.db, counter), createLimiter());
    const b = createLeasedLimiter(t.db, createLimiter());
    // One "job": four calls one after the other, with a moment of other work between them.
    for (let i = 0; i < 4; i++) {
      await a.run('org_p', 1, async () => {});
      await new Promise((r) => setImmediate(r));
    }
    // Seeding the slots, one lease; no release while calls keep coming.
    expect(counter.totals().slots).toBeLessThanOrEqual(2);
    // The one slot is parked with `a` now, and back in the database within a moment: another
    // process takes it (waiting, not failing, while it is still parked).
    expect(await b.run('org_p', 1, async () => 'ran in b')).toBe('ran in b');
    await expect.poll(() => leased(t!, 'org_p'), { timeout: 10_000 }).toBe(0);
    expect(counter.totals().slots).toBeLessThanOrEqual(3);
  });

  it('calls of one process waiting while another process holds a slot take turns on the one left, within the limit', async () => {
    t = await freshDatabase('postgres');
    const a = createLeasedLimiter(t.db, createLimiter());
    const b = createLeasedLimiter(t.db, createLimiter());
    const bCall = await heldCall(b, 'org_t', 2);
    // `a` lets two of its calls at a time past its own limiter; the database has one slot left.
    let running = 0;
    let peak = 0;
    const ran: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        a.run('org_t', 2, async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          ran.push(i);
        }),
      ),
    );
    expect(peak).toBe(1);
    expect(ran.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    bCall.end();
    await bCall.done;
    await expect.poll(() => leased(t!, 'org_t'), { timeout: 10_000 }).toBe(0);
  });

  it('a call whose database try fails hands on a lease passed to it meanwhile: no slot is lost', async () => {
    t = await freshDatabase('postgres');
    let failNextTry = false;
    const flaky: Database = {
      ...t.db,
      query: (text, values) => {
        if (failNextTry && text.includes('SKIP LOCKED')) {
          failNextTry = false;
          return Promise.reject(new Error('connection reset'));
        }
        return t!.db.query(text, values);
      },
    };
    const a = createLeasedLimiter(flaky, createLimiter(), 10_000, 3_000, 0);
    const b = createLeasedLimiter(t.db, createLimiter());
    // `b` holds one of the org's two slots; in `a`, X holds the other and Y waits for one.
    const bCall = await heldCall(b, 'org_f', 2);
    const x = await heldCall(a, 'org_f', 2);
    failNextTry = true;
    const y = a.run('org_f', 2, async () => 'y ran');
    await expect(y).rejects.toThrow('connection reset');
    x.end();
    await x.done;
    bCall.end();
    await bCall.done;
    // Every slot comes back: nothing stays leased to a call that is gone.
    await expect.poll(() => leased(t!, 'org_f'), { timeout: 10_000 }).toBe(0);
    expect(await a.run('org_f', 2, async () => 'ran again')).toBe('ran again');
  });

  it('a lease parked under a higher limit is not taken by a call under a lower one', async () => {
    t = await freshDatabase('postgres');
    // `a` parks what it gives back for as long as the test runs.
    const a = createLeasedLimiter(t.db, createLimiter(), 10_000, 3_000, 60_000);
    const b = createLeasedLimiter(t.db, createLimiter());
    const c = createLeasedLimiter(t.db, createLimiter(), 10_000, 3_000, 0);
    let running = 0;
    let peak = 0;
    const hold = (gate: Promise<void>) => async () => {
      running++;
      peak = Math.max(peak, running);
      await gate;
      running--;
    };
    // Under a limit of 3: `c` holds slots 1 and 2 while `a` makes a call, which gets slot 3 and
    // parks it; then `c` gives 1 and 2 back.
    let endC!: () => void;
    const cGate = new Promise<void>((r) => (endC = r));
    const cCalls = Promise.all(Array.from({ length: 2 }, () => c.run('org_l', 3, hold(cGate))));
    await expect.poll(() => running).toBe(2);
    await a.run('org_l', 3, hold(Promise.resolve()));
    endC();
    await cCalls;
    await expect.poll(() => leased(t!, 'org_l')).toBe(1);
    // The edition's limit falls to 2: `b` takes slots 1 and 2 and holds them.
    let endB!: () => void;
    const bGate = new Promise<void>((r) => (endB = r));
    peak = 0;
    const bCalls = Promise.all(Array.from({ length: 2 }, () => b.run('org_l', 2, hold(bGate))));
    await expect.poll(() => running).toBe(2);
    // `a`'s next call, under the new limit, may not run on parked slot 3: it gives it back and
    // waits for the database.
    let aRan = false;
    const aCall = a.run('org_l', 2, async () => {
      await hold(Promise.resolve())();
      aRan = true;
    });
    const slot3Free = async () => {
      const { rows } = await t!.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM zoho_call_slots WHERE org_key = 'org_l' AND slot = 3 AND holder IS NULL",
      );
      return rows[0]!.n === 1;
    };
    await expect.poll(async () => aRan || (await slot3Free()), { timeout: 10_000 }).toBe(true);
    endB();
    await Promise.all([bCalls, aCall]);
    expect(aRan).toBe(true);
    expect(peak).toBeLessThanOrEqual(2);
  });
});
