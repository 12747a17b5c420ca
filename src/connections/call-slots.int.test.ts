import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase, testDatabaseUrl } from '../../test/helpers/db.ts';
import type { Database } from '../db/port.ts';
import { createLimiter } from '../zoho/limiter.ts';
import { createLeasedLimiter } from './call-slots.ts';

async function leased(t: TestDatabase, org: string): Promise<number> {
  const { rows } = await t.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM zoho_call_slots WHERE org_key = $1 AND holder IS NOT NULL',
    [org],
  );
  return rows[0]!.n;
}

/** `db` as a process sees it, counting the times it asks for a lease (tryLease's statement). */
function countingLeases(db: Database): Database & { asked(): number } {
  let asked = 0;
  return {
    kind: db.kind,
    query(text, values) {
      if (/^UPDATE zoho_call_slots s SET holder/.test(text)) asked++;
      return db.query(text, values);
    },
    transaction: (fn) => db.transaction(fn),
    close: async () => {},
    asked: () => asked,
  };
}

/** Two processes' limiters on `db`; B's statements counted. */
function twoProcesses(db: Database) {
  const counted = countingLeases(db);
  return {
    a: createLeasedLimiter(db, createLimiter()),
    b: createLeasedLimiter(counted, createLimiter()),
    counted,
  };
}

describe('Zoho call slots across processes (postgres)', () => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('two processes together never run more than the limit at once, and every call runs', async () => {
    t = await freshDatabase('postgres');
    // Two "processes": each its own in-process limiter (which alone would allow 3 each).
    const a = createLeasedLimiter(t.db, createLimiter());
    const b = createLeasedLimiter(t.db, createLimiter());
    let running = 0;
    let peak = 0;
    const call = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 15));
      running--;
      return 1;
    };
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).run('org_1', 3, call)),
    );
    expect(results).toHaveLength(24);
    expect(peak).toBe(3);
    // A lease no call wants stays with its process for a moment (call-slots.ts), then goes back.
    await expect.poll(() => leased(t!, 'org_1'), { timeout: 10_000 }).toBe(0);
  });

  it('a lease left by a process that died expires, and its slot serves again', async () => {
    t = await freshDatabase('postgres');
    const limiter = createLeasedLimiter(t.db, createLimiter(), 300);
    await t.db.query(
      `INSERT INTO zoho_call_slots (org_key, slot, holder, expires_at)
       VALUES ('org_2', 1, 'dead:1', now() + interval '300 milliseconds')`,
    );
    const started = Date.now();
    expect(await limiter.run('org_2', 1, async () => 'ran')).toBe('ran');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });
  it('slots emptied by a database restart (the table is unlogged) are seeded again: calls still run', async () => {
    t = await freshDatabase('postgres');
    const { rows } = await t.db.query<{ relpersistence: string }>(
      `SELECT relpersistence FROM pg_class WHERE oid = 'zoho_call_slots'::regclass`,
    );
    expect(rows[0]!.relpersistence).toBe('u');
    const limiter = createLeasedLimiter(t.db, createLimiter(), 10_000, 3_000, 0);
    expect(await limiter.run('org_3', 2, async () => 'first')).toBe('first');
    // What a crash of the database leaves of an unlogged table: nothing.
    await t.db.query('TRUNCATE zoho_call_slots');
    expect(await limiter.run('org_3', 2, async () => 'after')).toBe('after');
    const seeded = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM zoho_call_slots WHERE org_key = 'org_3'`,
    );
    expect(seeded.rows[0]!.n).toBe(2);
  });

  it('of the calls of one process waiting for a slot, only the longest waiting asks the database', async () => {
    t = await freshDatabase('postgres');
    // Process A holds the org's four slots for 600 ms; process B has four calls waiting for them
    // (as many as its own limiter lets through), and four more behind those.
    const { a, b, counted } = twoProcesses(t.db);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started = 0;
    const first = Array.from({ length: 4 }, () =>
      a.run('org_4', 4, async () => {
        started++;
        await held;
      }),
    );
    await expect.poll(() => started, { timeout: 10_000 }).toBe(4);
    const waiting = Array.from({ length: 8 }, () =>
      b.run('org_4', 4, () => new Promise((r) => setTimeout(r, 5))),
    );
    await new Promise((r) => setTimeout(r, 600));
    const whileHeld = counted.asked();
    release();
    await Promise.all([...first, ...waiting]);
    // Polling with backoff (10, 20, 40 … 250 ms) for 600 ms is a handful of tries for one call;
    // the four calls each polling would be four times as many.
    expect(whileHeld).toBeGreaterThan(0);
    expect(whileHeld).toBeLessThanOrEqual(12);
  });

  it('a call waiting under a higher limit asks the database even behind one under a lower limit', async () => {
    t = await freshDatabase('postgres');
    // The org's limit rose from 1 to 3 while a call under the old limit waits for slot 1, which
    // another process holds: a call under the new limit takes slot 2 or 3 without waiting for it.
    const { a, b, counted } = twoProcesses(t.db);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const holding = new Promise<void>((r) => (started = r));
    const first = a.run('org_5', 1, async () => {
      started();
      await held;
    });
    await holding;
    const old = b.run('org_5', 1, async () => 'old');
    // The old call has asked the database and found slot 1 taken: it waits, first in line.
    await expect.poll(() => counted.asked(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await b.run('org_5', 3, async () => 'new')).toBe('new');
    release();
    expect(await old).toBe('old');
    await first;
  });

  it('R5: a call that runs longer than its lease keeps its slot: the lease is renewed while it runs', async () => {
    t = await freshDatabase('postgres');
    // Two processes, one slot; a lease of 1.5 s renewed every 0.5 s, and a call of 5 s.
    const a = createLeasedLimiter(t.db, createLimiter(), 1_500, 500);
    const b = createLeasedLimiter(t.db, createLimiter(), 1_500, 500);
    const log: string[] = [];
    let longStarted!: () => void;
    const started = new Promise<void>((r) => (longStarted = r));
    const long = a.run('org_3', 1, async () => {
      log.push('long started');
      longStarted();
      await new Promise((r) => setTimeout(r, 5_000));
      log.push('long ended');
    });
    await started;
    await b.run('org_3', 1, async () => {
      log.push('other ran');
    });
    await long;
    expect(log).toEqual(['long started', 'long ended', 'other ran']);
  });

  it('R5: the slots of a worker killed mid-call come back within seconds, not minutes', async () => {
    t = await freshDatabase('postgres');
    const child = spawn(process.execPath, ['test/helpers/r5-slots-child.ts'], {
      env: {
        ...process.env,
        CHILD_DATABASE_URL: testDatabaseUrl,
        CHILD_SCHEMA: t.schema!,
        CHILD_ORG: 'org_4',
        CHILD_CALLS: '3',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr!.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d) => (out += d) && out.includes('READY') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited (${code}): ${out}`)));
    });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    // Every slot is leased to the dead process, for at most the lease (10 s) from now.
    const { rows } = await t.db.query<{ held: number; left_ms: number }>(
      `SELECT count(*)::int AS held,
              (EXTRACT(EPOCH FROM max(expires_at) - now()) * 1000)::float8 AS left_ms
         FROM zoho_call_slots WHERE org_key = 'org_4' AND holder IS NOT NULL`,
    );
    expect(rows[0]!.held).toBe(3);
    expect(Number(rows[0]!.left_ms)).toBeLessThanOrEqual(10_000);
    // And they serve again: three calls at once on the org, in another process. Each call holds
    // its slot until all three run (the leases expire one by one; a short call would give its
    // slot back before the next lease ran out), so this ends only with three slots at once.
    const other = createLeasedLimiter(t.db, createLimiter());
    let running = 0;
    let allIn!: () => void;
    const three = new Promise<void>((r) => {
      allIn = r;
    });
    await Promise.all(
      Array.from({ length: 3 }, () =>
        other.run('org_4', 3, async () => {
          if (++running === 3) allIn();
          await three;
        }),
      ),
    );
    expect(running).toBe(3);
  });
});
