import { ConnectionUnavailableError } from '../connections/tokens.ts';
import type { Database, Queryable } from '../db/port.ts';
import type { AuthSource } from '../zoho/transport.ts';
import { lagFor } from './claim-lag.ts';

/**
 * Claims on what a job is about to create in Zoho, kept in the database so they hold across
 * worker processes. A claim is held by one event's job; another job wanting the same thing
 * waits for it (the first one's sync reference then answers it). A claim whose create was sent
 * but never answered (a timeout, a crash) stays "uncertain": whoever takes it next must look
 * in Zoho before creating again, and must first give Zoho time to show it (claim-lag.ts: the
 * search lag for what is found by search; a moment for what is read from its record).
 *
 * Claims are fenced per attempt (R7): every take draws a fencing token of its own, and whatever
 * the attempt does under the claim — mark a create as sent, send each try of it (`fenced`), keep
 * the reference (sync/effects.ts), release it — is checked against that token. An attempt that
 * stalled (a GC pause, SIGSTOP) long enough for its job to be handed to another worker, which
 * took the claim over, is refused when it resumes instead of creating the same record again.
 */
export class ClaimBusy extends Error {
  constructor(what: string) {
    super(`waiting for another sync of ${what} to finish`);
    this.name = 'ClaimBusy';
  }
}

/** This attempt's claim was taken over (by a later attempt of its event, or once stale). */
export class ClaimLost extends ClaimBusy {
  constructor(what: string) {
    super(what);
    this.message = `stopped: another attempt took over the sync of ${what}`;
    this.name = 'ClaimLost';
  }
}

/**
 * What the claim guards was kept or moved since the take, found when about to send (a job keeping
 * it without holding the claim): nothing is sent, and the next try of the job uses what was kept.
 */
export class ClaimSettled extends ClaimBusy {
  constructor(what: string) {
    super(what);
    this.message = `another sync made ${what} meanwhile: using it on the next try`;
    this.name = 'ClaimSettled';
  }
}

/**
 * This event's own claim, of a create sent before and never answered, waits longer than a job
 * waits in hand before looking in Zoho for it (claim-lag.ts): left to a later retry, saying so.
 */
export class ClaimLag extends ClaimBusy {
  constructor(what: string, reason: string) {
    super(what);
    this.message = reason;
    this.name = 'ClaimLag';
  }
}

export interface ClaimTiming {
  /** A claim older than this whose holder is gone may be taken over. */
  staleMs: number;
  /** How long after an unanswered create Zoho's search is trusted to show the record. */
  searchLagMs: number;
  /**
   * How long after an unanswered create Zoho may still be saving it: a Note or Task, looked for
   * among its record's related list rather than by search, waits only this long (claim-lag.ts).
   */
  settleMs?: number;
  /** How long a job waits in hand for a claim before leaving it to a later retry. */
  waitMs: number;
}

export const defaultClaimTiming: ClaimTiming = { staleMs: 120_000, searchLagMs: 60_000, waitMs: 10_000 };

export interface Claim {
  /** A create for this was sent before and never answered: look for it before creating. */
  uncertain: boolean;
  /**
   * The reference kept for this key when the claim was taken: another job (or an earlier attempt)
   * made the thing while this one waited, and it is not to be made again. Read once the claim is
   * held, in a statement after the take's; `sending()` reads it again before a create leaves.
   */
  existing: { module: string; id: string } | undefined;
  /** This take's fencing token: nothing this attempt does under the claim counts once it changed. */
  fence: string;
  /**
   * Marks the create as sent (call just before sending it) and renews the claim; throws
   * ClaimLost when another attempt took it over meanwhile (a later attempt of the same event, or
   * another job once this one held it past `staleMs`), and ClaimSettled when the reference is no
   * longer what the take read (kept by a holder the take missed, or moved), marking nothing.
   */
  sending(): Promise<void>;
  /** The outcome is known (created and kept, found, or refused): the claim goes. */
  release(): Promise<void>;
  /**
   * The outcome is not known (a create sent by an earlier attempt, never answered, not found
   * yet): the claim is freed for the next attempt but stays uncertain, so it looks again.
   */
  unhold(): Promise<void>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createClaims(db: Database, timing: ClaimTiming = defaultClaimTiming) {
  return {
    async take(
      connectionId: string,
      kind: string,
      key: string,
      holder: string,
      what: string,
    ): Promise<Claim> {
      const until = Date.now() + timing.waitMs;
      const lag = lagFor(kind, timing);
      for (;;) {
        // The same event's next attempt takes its claim at once (the earlier one is dead, or
        // stalled and fenced out by the new token); another job only once the claim is stale.
        const { rows } = await db.query<{
          sent: boolean;
          lag_left_ms: number;
          fence: string;
        }>(
          `INSERT INTO sync_claims (connection_id, kind, key, holder) VALUES ($1, $2, $3, $4)
           ON CONFLICT (connection_id, kind, key) DO UPDATE
             SET holder = EXCLUDED.holder, claimed_at = now(), fence = DEFAULT
            WHERE sync_claims.holder = EXCLUDED.holder
               OR sync_claims.claimed_at < now() - $5 * interval '1 millisecond'
           RETURNING fence::text AS fence, sent_at IS NOT NULL AS sent,
                     COALESCE(EXTRACT(EPOCH FROM (sent_at + $6 * interval '1 millisecond' - now())) * 1000, 0)::float8
                       AS lag_left_ms`,
          [connectionId, kind, key, holder, timing.staleMs, lag.ms],
        );
        const row = rows[0];
        const waitFor = row ? Number(row.lag_left_ms) : 250;
        if (row && waitFor <= 0) {
          const where = [connectionId, kind, key, row.fence];
          // What the last holder kept, read now the claim is held, in a statement of its own: on
          // PostgreSQL the take's statement reads as of its start, and one that began before the
          // last holder kept its reference and let go misses it (CI once made a second Contact so).
          const ref = await db.query<{ module: string; zoho_id: string }>(
            'SELECT module, zoho_id FROM sync_refs WHERE connection_id = $1 AND kind = $2 AND key = $3',
            [connectionId, kind, key],
          );
          const kept = ref.rows[0];
          return {
            uncertain: row.sent,
            existing: kept ? { module: kept.module, id: kept.zoho_id } : undefined,
            fence: row.fence,
            async sending() {
              // Also the last word on the connection before a create leaves: one disconnected
              // meanwhile sends nothing more (a job reads its tokens once, as it starts). And on the
              // reference: one kept or moved since the take (by a job that did not hold the claim)
              // stops the create too.
              const { rows } = await db.query<{
                held: number;
                mine: boolean;
                disconnected: boolean;
                moved: boolean;
              }>(
                `WITH live AS (
                   SELECT status <> 'not_connected' AS ok FROM connections WHERE id = $1),
                 mine AS (
                   SELECT EXISTS (SELECT 1 FROM sync_claims
                                   WHERE connection_id = $1 AND kind = $2 AND key = $3 AND fence = $4) AS yes),
                 moved AS (
                   SELECT (SELECT r.zoho_id FROM sync_refs r
                            WHERE r.connection_id = $1 AND r.kind = $2 AND r.key = $3)
                          IS DISTINCT FROM $5::text AS yes),
                 marked AS (
                   UPDATE sync_claims SET sent_at = now(), claimed_at = now()
                    WHERE connection_id = $1 AND kind = $2 AND key = $3 AND fence = $4
                      AND COALESCE((SELECT ok FROM live), false) AND NOT (SELECT yes FROM moved)
                    RETURNING 1)
                 SELECT (SELECT count(*) FROM marked)::int AS held, (SELECT yes FROM mine) AS mine,
                        NOT COALESCE((SELECT ok FROM live), false) AS disconnected,
                        (SELECT yes FROM moved) AS moved`,
                [...where, kept?.zoho_id ?? null],
              );
              if (rows[0]?.disconnected)
                throw new ConnectionUnavailableError('not_connected', 'Zoho CRM is not connected');
              // Taken over first: a stalled attempt is told so even when the taker kept a reference.
              if (!rows[0]?.mine) throw new ClaimLost(what);
              if (rows[0]?.moved) throw new ClaimSettled(what);
              if (!rows[0]?.held) throw new ClaimLost(what);
            },
            async release() {
              await db.query(
                'DELETE FROM sync_claims WHERE connection_id = $1 AND kind = $2 AND key = $3 AND fence = $4',
                where,
              );
            },
            async unhold() {
              await db.query(
                `UPDATE sync_claims SET holder = '', claimed_at = 'epoch'
                  WHERE connection_id = $1 AND kind = $2 AND key = $3 AND fence = $4`,
                where,
              );
            },
          };
        }
        // A row: this event holds the claim, and only the lag is left (R2); none: another holds it.
        if (Date.now() + waitFor > until)
          throw row ? new ClaimLag(what, lag.reason(what)) : new ClaimBusy(what);
        await pause(Math.min(waitFor, 250));
      }
    },
  };
}

export type Claims = ReturnType<typeof createClaims>;

/**
 * `auth` for a create sent under `claims`: each try of it (a retry after a 429 too) is checked
 * against them inside its concurrency slot, the last moment before it leaves, so an attempt that
 * stalled anywhere after `sending()` (waiting for a slot, backing off) cannot send once another
 * attempt has taken its claim over. The check marks the create as sent again, so the next taker
 * measures the search lag from the last try.
 */
export function fenced(auth: AuthSource, claims: readonly Claim[]): AuthSource {
  return {
    get: (rejected) => auth.get(rejected),
    ...(auth.scopeMismatch
      ? { scopeMismatch: (err, path, grant) => auth.scopeMismatch!(err, path, grant) }
      : {}),
    async fence() {
      await auth.fence?.();
      for (const claim of claims) await claim.sending();
    },
  };
}

/**
 * Removes claims their holders left behind (a worker killed between keeping a reference and
 * releasing its claim, or before sending anything) where that is safe for exactly-once:
 * - the holder is gone: its event is no longer in progress (done, failed, deleted: any attempt
 *   of it still running is stalled, and fenced out), or the claim has not been renewed for
 *   `staleMs` (when any job may take it over anyway); and
 * - the claim guards nothing: no create was sent under it, or a reference for its key was kept
 *   (or moved) at or after the last send, so the outcome is known.
 * A claim whose create was sent and never settled stays, whoever left it: the next to take it
 * must look in Zoho before creating. `holder`: only that event's claims. Returns how many went.
 */
export async function sweepClaims(
  db: Queryable,
  options: { staleMs: number; holder?: string },
): Promise<number> {
  const { rows } = await db.query(
    `DELETE FROM sync_claims c
      WHERE ($2::text IS NULL OR c.holder = $2)
        AND (c.claimed_at < now() - $1 * interval '1 millisecond'
             OR NOT EXISTS (SELECT 1 FROM events e JOIN connections k ON k.workspace_id = e.workspace_id
                             WHERE k.id = c.connection_id AND e.id = c.holder AND e.status = 'queued'))
        AND (c.sent_at IS NULL
             OR EXISTS (SELECT 1 FROM sync_refs r
                         WHERE r.connection_id = c.connection_id AND r.kind = c.kind AND r.key = c.key
                           AND COALESCE(r.kept_at, r.created_at) >= c.sent_at))
      RETURNING 1`,
    [options.staleMs, options.holder ?? null],
  );
  return rows.length;
}
