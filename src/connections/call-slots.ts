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
 */
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const defaultLeaseMs = 10_000;
/** How long a lease may pass from call to call in this process before it goes back to the database. */
const maxHandMs = 1_000;

export function createLeasedLimiter(
  db: Database,
  local: Limiter,
  leaseMs = defaultLeaseMs,
  renewMs = Math.min(3_000, leaseMs / 3),
): Limiter {
  const holderPrefix = crypto.randomBytes(6).toString('hex');
  let seq = 0;
  const seeded = new Map<string, number>();

  async function seed(key: string, limit: number) {
    if ((seeded.get(key) ?? 0) >= limit) return;
    await db.query(
      `INSERT INTO zoho_call_slots (org_key, slot) SELECT $1, g FROM generate_series(1, $2::int) g
       ON CONFLICT DO NOTHING`,
      [key, limit],
    );
    seeded.set(key, limit);
  }

  async function lease(key: string, limit: number, holder: string): Promise<number> {
    await seed(key, limit);
    for (let wait = 10; ; wait = Math.min(wait * 2, 250)) {
      const { rows } = await db.query<{ slot: number }>(
        `UPDATE zoho_call_slots s SET holder = $3, expires_at = now() + $4 * interval '1 millisecond'
          WHERE (s.org_key, s.slot) = (
            SELECT org_key, slot FROM zoho_call_slots
             WHERE org_key = $1 AND slot <= $2 AND (holder IS NULL OR expires_at < now())
             ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING s.slot`,
        [key, limit, holder, leaseMs],
      );
      if (rows[0]) return rows[0].slot;
      await pause(wait + Math.random() * wait);
    }
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
   * Leases a call that just ended hands straight to the next call of the same org waiting in this
   * process (issue 13): two statements saved per call under load. Only while one is waiting, and
   * only for `maxHandMs` from the lease's start — then it goes back to the database, where every
   * process competes for it again.
   */
  type Held = { slot: number; holder: string; since: number; stopRenewing: () => void };
  const handed = new Map<string, Held[]>();

  async function acquire(key: string, limit: number): Promise<Held> {
    const ready = handed.get(key)?.shift();
    if (ready) return ready;
    const holder = `${holderPrefix}:${++seq}`;
    const slot = await lease(key, limit, holder);
    return { slot, holder, since: Date.now(), stopRenewing: keepLeased(key, slot, holder) };
  }

  async function giveBack(key: string, held: Held): Promise<void> {
    if ((local.waiting?.(key) ?? 0) > (handed.get(key)?.length ?? 0) && Date.now() - held.since < maxHandMs) {
      handed.set(key, [...(handed.get(key) ?? []), held]);
      return;
    }
    held.stopRenewing();
    await db.query(
      'UPDATE zoho_call_slots SET holder = NULL, expires_at = NULL WHERE org_key = $1 AND slot = $2 AND holder = $3',
      [key, held.slot, held.holder],
    );
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
