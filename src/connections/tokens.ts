import type { Clock } from '../clock.ts';
import type { VaultLike } from '../crypto/vault.ts';
import type { Database, Queryable } from '../db/port.ts';
import type { Logger } from '../log.ts';
import type { ZohoAccounts } from '../zoho/accounts.ts';
import type { DataCentres } from '../zoho/datacentres.ts';
import { ZohoError } from '../zoho/errors.ts';
import type { ApiAuth, AuthSource } from '../zoho/transport.ts';
import { needsRefresh, refreshBudget } from './refresh-policy.ts';
import * as repo from './repo.ts';

/** A connection that cannot make calls: disconnected, or waiting for the user to reconnect. */
export class ConnectionUnavailableError extends Error {
  readonly reason: 'not_connected' | 'reconnect_needed';
  constructor(reason: 'not_connected' | 'reconnect_needed', message: string) {
    super(message);
    this.name = 'ConnectionUnavailableError';
    this.reason = reason;
  }
}

export interface TokenManagerDeps {
  db: Database;
  vault: VaultLike;
  accounts: ZohoAccounts;
  dataCentres: DataCentres;
  logger: Logger;
  clock: Clock;
}

/**
 * Access tokens for a connection, refreshed before expiry by one caller at a time: callers
 * in this process share one refresh (single flight), and processes share the token row's
 * lock, re-reading after taking it, so whoever waited uses the token the first one stored.
 * Tokens are read from the database, never cached across jobs: a sync job's AuthSource (`source`
 * with `reuse`) reads them at its first call and re-uses them for the job's later calls (issue 13:
 * one read per job, not per call), so a disconnect made by any process stops every job that starts
 * after it; every other caller reads them at each call.
 * A job already running when the user disconnects stops at its next call too: disconnecting
 * revokes the refresh token at Zoho, which invalidates its access tokens (ZOHO-API.md §2), and a
 * refused token is read again — and found gone.
 */
export function createTokenManager(deps: TokenManagerDeps) {
  const inflight = new Map<string, Promise<ApiAuth>>();
  const open = (sealed: string, connectionId: string) => deps.vault.open(sealed, connectionId);
  /** When each ApiAuth handed out stops being usable, for a job re-using it (`source`). */
  const expiries = new WeakMap<ApiAuth, Date>();

  function auth(
    t: repo.LiveTokens,
    accessToken = open(t.accessToken!, t.connectionId),
    expiresAt = t.accessExpiresAt,
  ): ApiAuth {
    // The sealed refresh token names the grant: a reconnect replaces it, a refresh does not.
    const made: ApiAuth = {
      accessToken,
      apiDomain: t.apiDomain,
      orgKey: t.orgKey,
      edition: t.edition,
      grant: t.refreshToken,
    };
    if (expiresAt) expiries.set(made, expiresAt);
    return made;
  }

  async function unavailable(workspaceId: string, connectionId: string): Promise<never> {
    const { rows } = await deps.db.query<{ status: string }>(
      'SELECT status FROM connections WHERE workspace_id = $1 AND id = $2',
      [workspaceId, connectionId],
    );
    if (rows[0]?.status === 'reconnect_needed')
      throw new ConnectionUnavailableError('reconnect_needed', 'The Zoho connection needs to be reconnected');
    throw new ConnectionUnavailableError('not_connected', 'Zoho CRM is not connected');
  }

  /**
   * Runs `fn` with the token row. On PostgreSQL (several processes) inside a transaction
   * holding the row's lock, so one process refreshes and the others re-read its result. On
   * PGlite one process owns the database and the single flight above already serialises
   * refreshes; holding its one session during a call to Zoho would stall every query.
   */
  function withTokenRow<T>(
    workspaceId: string,
    connectionId: string,
    fn: (q: Queryable, t: repo.LiveTokens | undefined) => Promise<T>,
  ): Promise<T> {
    if (deps.db.kind === 'pglite')
      return repo.readLiveTokens(deps.db, workspaceId, connectionId).then((t) => fn(deps.db, t));
    return deps.db.transaction(async (tx) =>
      fn(tx, await repo.lockLiveTokens(tx, workspaceId, connectionId)),
    );
  }

  type Outcome =
    | { kind: 'ok'; auth: ApiAuth }
    | { kind: 'gone' }
    | { kind: 'rejected' }
    | { kind: 'error'; err: unknown };

  async function refresh(q: Queryable, t: repo.LiveTokens, rejected: string | undefined): Promise<Outcome> {
    const { connectionId, workspaceId } = t;
    const stored = t.accessToken ? open(t.accessToken, connectionId) : null;
    const now = deps.clock.now();
    if (!needsRefresh({ accessToken: stored, accessExpiresAt: t.accessExpiresAt }, now, rejected))
      return { kind: 'ok', auth: auth(t) };
    const budget = refreshBudget(t.refreshLog, now);
    if (!budget.allowed) {
      const err = new ZohoError(
        'rate_limit',
        'Zoho allows 10 token refreshes per 10 minutes; waiting for the window',
        {
          retryAfterMs: budget.retryAfterMs,
        },
      );
      return { kind: 'error', err };
    }
    const dc = deps.dataCentres.byAccountsServer(t.accountsServer);
    if (!dc)
      return {
        kind: 'error',
        err: new ZohoError('untrusted_host', 'The stored accounts server is not a known Zoho data centre'),
      };
    // Counted before Zoho is asked: a timeout may still have minted a token there.
    await repo.saveRefreshLog(q, workspaceId, connectionId, budget.log);
    try {
      const fresh = await deps.accounts.refresh(dc, open(t.refreshToken, connectionId));
      const accessExpiresAt = new Date(now.getTime() + fresh.expiresInSeconds * 1000);
      await repo.saveRefreshedAccess(q, {
        workspaceId,
        connectionId,
        accessToken: deps.vault.seal(fresh.accessToken, connectionId),
        accessExpiresAt,
      });
      deps.logger.info({ connectionId }, 'zoho access token refreshed');
      return { kind: 'ok', auth: auth(t, fresh.accessToken, accessExpiresAt) };
    } catch (err) {
      if (!(err instanceof ZohoError) || err.kind !== 'grant') return { kind: 'error', err };
      // Zoho refused the refresh token itself: it was revoked, or pushed out by a 21st one.
      // Only the user can mend that; the dead token is of no further use.
      await repo.deleteTokens(q, workspaceId, connectionId);
      await repo.setProblem(q, workspaceId, connectionId, { code: 'refresh_rejected' }, 'reconnect_needed');
      deps.logger.warn({ connectionId }, 'zoho refused the refresh token; reconnect needed');
      return { kind: 'rejected' };
    }
  }

  async function refreshOnce(
    workspaceId: string,
    connectionId: string,
    rejected: string | undefined,
  ): Promise<ApiAuth> {
    // Failures are returned, not thrown, so what was recorded (the attempt) is committed.
    const outcome = await withTokenRow(workspaceId, connectionId, (q, t) =>
      t ? refresh(q, t, rejected) : Promise.resolve<Outcome>({ kind: 'gone' }),
    );
    if (outcome.kind === 'ok') return outcome.auth;
    if (outcome.kind === 'error') throw outcome.err;
    if (outcome.kind === 'rejected')
      throw new ConnectionUnavailableError('reconnect_needed', 'Zoho no longer accepts this connection');
    return unavailable(workspaceId, connectionId);
  }

  async function get(workspaceId: string, connectionId: string, rejected?: string): Promise<ApiAuth> {
    const t = await repo.readLiveTokens(deps.db, workspaceId, connectionId);
    if (!t) return unavailable(workspaceId, connectionId);
    const stored = t.accessToken ? open(t.accessToken, connectionId) : null;
    if (
      !needsRefresh({ accessToken: stored, accessExpiresAt: t.accessExpiresAt }, deps.clock.now(), rejected)
    )
      return auth(t);
    let flight = inflight.get(connectionId);
    if (!flight) {
      flight = refreshOnce(workspaceId, connectionId, rejected).finally(() => inflight.delete(connectionId));
      inflight.set(connectionId, flight);
    }
    return flight;
  }

  return {
    get,
    /** The AuthSource the Zoho transport calls through for this connection. */
    source(
      connectionId: string,
      workspaceId: string,
      options: { reuse?: boolean; preloaded?: repo.LiveTokens | undefined } = {},
    ): AuthSource {
      // `reuse` (a sync job): read at the first call — or with the job's event (`preloaded`,
      // repo.liveTokensJson) — and re-used until Zoho refuses it or it nears expiry (see above).
      // Otherwise read at every call.
      const pre = options.reuse ? options.preloaded : undefined;
      let held: ApiAuth | undefined =
        pre?.accessToken &&
        !needsRefresh(
          { accessToken: pre.accessToken, accessExpiresAt: pre.accessExpiresAt },
          deps.clock.now(),
        )
          ? auth(pre)
          : undefined;
      return {
        async get(rejected) {
          if (!options.reuse) return get(workspaceId, connectionId, rejected);
          const expiresAt = held && expiries.get(held);
          if (
            held &&
            expiresAt &&
            !needsRefresh(
              { accessToken: held.accessToken, accessExpiresAt: expiresAt },
              deps.clock.now(),
              rejected,
            )
          )
            return held;
          held = undefined;
          held = await get(workspaceId, connectionId, rejected);
          return held;
        },
        async scopeMismatch(_error, path, grant) {
          // A call made on a grant the user has since replaced by reconnecting says nothing of
          // the new one: leave that connection as it is.
          const now = await repo.readLiveTokens(deps.db, workspaceId, connectionId);
          if (grant !== undefined && now?.refreshToken !== grant) return;
          // A grant made before PepoSmart asked for Zoho's search scope (ZOHO-API.md §8) fails
          // on the first search: say exactly that, so reconnecting reads as the fix it is.
          const code = path.endsWith('/search') ? 'search_scope_missing' : 'scope_mismatch';
          await repo.setProblem(deps.db, workspaceId, connectionId, { code }, 'reconnect_needed');
        },
      };
    },
  };
}

export type TokenManager = ReturnType<typeof createTokenManager>;
