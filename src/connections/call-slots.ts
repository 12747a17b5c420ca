import crypto from 'node:crypto';
import type { Database } from '../db/port.ts';
import type { Limiter } from '../zoho/limiter.ts';

/**
 * The per-org cap on concurrent Zoho calls across processes (PostgreSQL): each call first
 * takes a slot in this process (the in-process limiter), then leases one of the org's `limit`
 * rows in `zoho_call_slots` for as long as it runs. The sync queue already keeps an org's jobs
 * within the limit (pg-boss group concurrency), but its count is read without a lock, so two
 * workers fetching at the same instant can overshoot by a job; the lease makes the limit exact.
 * On PGlite (one process) the in-process limiter alone is exact and this is not used.
 *
 * A lease is short and renewed every `renewMs` while its call runs (a Zoho call may take longer
 * than the lease: up to the transport's 30 s timeout), so the slots of a process that dies —
 * SIGKILL, OOM — come back within `leaseMs` (R5: two kills once held 8 of an org's 15 slots for
 * the 2 minutes leases used to last). A process that stalls past its lease may find, when it
 * resumes, that another took its slot: the org is then briefly over its limit, and Zoho's 429
 * is retried.
 *
 * The table is unlogged (migration 0016): a lease taken or given back writes no WAL and waits for
 * no disk flush. A crash of the database or a failover empties it (see acquire); leases are worth
 * nothing after one anyway.
 */
export const defaultLeaseMs = 10_000;
/** How long a lease may pass from call to call in this process before it goes back to the database. */
const maxHandMs = 1_000;
/** How long a lease no call of this process is waiting for stays with it (see giveBack). */
export const defaultLingerMs = 50;
/** A call waiting this long for a slot seeds its org's slots again, at most this often (acquire). */
const reseedAfterMs = 1_000;
const reseedEveryMs = 5_000;
/** How long the call asking for a slot waits after finding none: doubling from the first to the most. */
const firstPollMs = 10;
const maxPollMs = 250;

export function createLeasedLimiter(
  db: Database,
  local: Limiter,
  leaseMs = defaultLeaseMs,
  renewMs = Math.min(3_000, leaseMs / 3),
  lingerMs = defaultLingerMs,
): Limiter {
  const holderPrefix = crypto.randomBytes(6).toString('hex');
  let seq = 0;
  const seeded = new Map<string, number>();
  /** When each org's slots were last seeded again after a long wait (see acquire). */
  const reseeded = new Map<string, number>();

  async function seed(key: string, limit: number, again = false) {
    if (!again && (seeded.get(key) ?? 0) >= limit) return;
    await db.query(
      `INSERT INTO zoho_call_slots (org_key, slot) SELECT $1, g FROM generate_series(1, $2::int) g
       ON CONFLICT DO NOTHING`,
      [key, limit],
    );
    seeded.set(key, limit);
  }

  /** One attempt at a free slot of the org; the slot's number, or undefined when none is free. */
  async function tryLease(key: string, limit: number, holder: string): Promise<number | undefined> {
    const { rows } = await db.query<{ slot: number }>(
      `UPDATE zoho_call_slots s SET holder = $3, expires_at = now() + $4 * interval '1 millisecond'
        WHERE (s.org_key, s.slot) = (
          SELECT org_key, slot FROM zoho_call_slots
           WHERE org_key = $1 AND slot <= $2 AND (holder IS NULL OR expires_at < now())
           ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING s.slot`,
      [key, limit, holder, leaseMs],
    );
    return rows[0]?.slot;
  }

  /** Renews the lease until the returned function is called; one renewal at a time. */
  function keepLeased(key: string, slot: number, holder: string): () => void {
    let renewing = false;
    const timer = setInterval(() => {
      if (renewing) return;
      renewing = true;
      db.query(
        `UPDATE zoho_call_slots SET expires_at = now() + $4 * interval '1 millisecond'
          WHERE org_key = $1 AND slot = $2 AND holder = $3`,
        [key, slot, holder, leaseMs],
      )
        // A renewal that fails (the database busy for a moment) is tried again at the next tick:
        // a lease outlives two missed renewals.
        .catch(() => {})
        .finally(() => {
          renewing = false;
        });
    }, renewMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /**
   * A lease a call gives back stays in this process when it can serve another call of the org
   * here (issue 13: leasing and releasing every call was a third of PostgreSQL's statements in
   * phase C): it goes straight to a call of this process waiting for a slot, or, with none
   * waiting, stays parked for `lingerMs` — a job's next call, a moment of database work after its
   * last, or the next job of the same org takes it without going to the database. Only for
   * `maxHandMs` from the lease's start: then it goes back to the database, where every process
   * competes for it again; and a parked lease no call took within `lingerMs` goes back at once.
   */
  type Held = { slot: number; holder: string; since: number; stopRenewing: () => void };
  /**
   * A call of this process waiting for a slot; `resume` ends the pause it is in (see wake).
   */
  type Waiter = { limit: number; handed?: Held; woken: boolean; asked: boolean; resume?: () => void };
  const parked = new Map<string, Array<{ held: Held; timer: NodeJS.Timeout }>>();
  const waiters = new Map<string, Waiter[]>();
  /** How long the call asking for an org's slot waits before asking again (one backoff per org). */
  const backoff = new Map<string, number>();

  function remove<T>(map: Map<string, T[]>, key: string, item: T): void {
    const list = map.get(key);
    const at = list?.indexOf(item) ?? -1;
    if (at >= 0) list!.splice(at, 1);
    if (list && !list.length) map.delete(key);
  }

  /**
   * A parked lease this call may take (its slot within the call's limit: an org whose limit fell
   * leaves the slots above it to the database, which no longer hands them out).
   */
  function unpark(key: string, limit: number): Held | undefined {
    for (const spot of [...(parked.get(key) ?? [])]) {
      remove(parked, key, spot);
      clearTimeout(spot.timer);
      if (spot.held.slot <= limit) return spot.held;
      void release(key, spot.held);
    }
    return undefined;
  }

  async function acquire(key: string, limit: number): Promise<Held> {
    const ready = unpark(key, limit);
    if (ready) return ready;
    await seed(key, limit);
    const me: Waiter = { limit, woken: false, asked: false };
    waiters.set(key, [...(waiters.get(key) ?? []), me]);
    const since = Date.now();
    try {
      for (;;) {
        const mine = me.handed ?? unpark(key, limit);
        if (mine) return mine;
        // Only the call of this process that has waited longest asks the database: the others wait
        // to be handed a lease or to be first (issue 13: every waiting call polling was a third of
        // the slots' statements with two workers, all but one of them bound to find nothing).
        if (!asks(key, me)) {
          await pause(me, maxPollMs);
          continue;
        }
        me.asked = true;
        // The table is unlogged (migration 0016): after a crash of the database or a failover it
        // has none of the org's slots, and waiting would never end. A call that has waited a second
        // seeds them again (at most every few seconds per org: the statement changes nothing when
        // they are there).
        if (Date.now() - since >= reseedAfterMs && Date.now() - (reseeded.get(key) ?? 0) >= reseedEveryMs) {
          reseeded.set(key, Date.now());
          await seed(key, limit, true);
        }
        const holder = `${holderPrefix}:${++seq}`;
        const slot = await tryLease(key, limit, holder);
        if (slot !== undefined) {
          backoff.delete(key);
          const fresh = { slot, holder, since: Date.now(), stopRenewing: keepLeased(key, slot, holder) };
          // Handed a lease while asking the database for one: the database's goes back.
          if (!me.handed) return fresh;
          void release(key, fresh);
          continue;
        }
        const wait = backoff.get(key) ?? firstPollMs;
        backoff.set(key, Math.min(wait * 2, maxPollMs));
        await pause(me, wait + Math.random() * wait);
      }
    } catch (err) {
      // The database failed this call's try: a lease handed to it meanwhile goes on to the next.
      remove(waiters, key, me);
      if (me.handed) void giveBack(key, me.handed);
      throw err;
    } finally {
      remove(waiters, key, me);
      // The call asking for the org's slot leaves: the next to ask, asks now.
      if (me.asked) wakeAskers(key);
    }
  }

  /**
   * Whether `me` asks the database for the org's slot: no call before it is waiting under as high a
   * limit (a call under a lower one, the org's limit having fallen, may not take every slot `me` may).
   */
  function asks(key: string, me: Waiter): boolean {
    for (const w of waiters.get(key) ?? []) {
      if (w === me) return true;
      if (!w.handed && w.limit >= me.limit) return false;
    }
    return true;
  }

  function wakeAskers(key: string): void {
    for (const w of waiters.get(key) ?? []) if (!w.handed && asks(key, w)) wake(w);
  }

  /**
   * Ends the call's pause at once, or, when it is not pausing (asking the database), makes its next
   * pause end at once: a lease handed to it, or its turn to ask, is never left waiting for a timer.
   */
  function wake(w: Waiter): void {
    w.woken = true;
    w.resume?.();
  }

  /** Until `ms` have passed or the call is woken. */
  function pause(me: Waiter, ms: number): Promise<void> {
    if (me.woken || me.handed) {
      me.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => me.resume?.(), ms);
      me.resume = () => {
        clearTimeout(timer);
        delete me.resume;
        me.woken = false;
        resolve();
      };
    });
  }

  /**
   * Back to the database; never fails the call it ends (a release that fails leaves the lease to
   * run out, at most `leaseMs`).
   */
  async function release(key: string, held: Held): Promise<void> {
    held.stopRenewing();
    await db
      .query(
        'UPDATE zoho_call_slots SET holder = NULL, expires_at = NULL WHERE org_key = $1 AND slot = $2 AND holder = $3',
        [key, held.slot, held.holder],
      )
      .catch(() => {});
  }

  async function giveBack(key: string, held: Held): Promise<void> {
    const waiting = (waiters.get(key) ?? []).filter((w) => !w.handed);
    const waiter = waiting.find((w) => held.slot <= w.limit);
    // Back to the database when held long enough, or when the calls waiting here may not take it
    // (its slot is above their limit: the org's limit fell).
    if (Date.now() - held.since >= maxHandMs || (!waiter && waiting.length > 0)) {
      await release(key, held);
      // The call of this process asking for a slot asks the database again now, not at its next try.
      wakeAskers(key);
      return;
    }
    if (waiter) {
      waiter.handed = held;
      wake(waiter);
      return;
    }
    const spot = {
      held,
      // Not unref'd: a process ending within the moment still gives the slot back rather than
      // leaving it leased until the lease runs out.
      timer: setTimeout(() => {
        remove(parked, key, spot);
        void release(key, held);
      }, lingerMs),
    };
    parked.set(key, [...(parked.get(key) ?? []), spot]);
  }

  return {
    waiting: (key) => local.waiting?.(key) ?? 0,
    run(key, limit, fn) {
      return local.run(key, limit, async () => {
        const held = await acquire(key, limit);
        try {
          return await fn();
        } finally {
          await giveBack(key, held);
        }
      });
    },
  };
}
