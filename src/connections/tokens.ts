import type { Clock } from '../clock.ts';
import type { VaultLike } from '../crypto/vault.ts';
import type { Database } from '../db/port.ts';
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
 * Tokens are read from the database on every call, never cached, so a disconnect made by
 * any process stops the next call.
 */
export function createTokenManager(deps: TokenManagerDeps) {
  const inflight = new Map<string, Promise<ApiAuth>>();
  const open = (sealed: string, connectionId: string) => deps.vault.open(sealed, connectionId);

  function auth(t: repo.LiveTokens): ApiAuth {
    return { accessToken: open(t.accessToken!, t.connectionId), apiDomain: t.apiDomain, orgKey: t.orgKey };
  }

  async function unavailable(connectionId: string): Promise<never> {
    const { rows } = await deps.db.query<{ status: string }>('SELECT status FROM connections WHERE id = $1', [
      connectionId,
    ]);
    if (rows[0]?.status === 'reconnect_needed')
      throw new ConnectionUnavailableError('reconnect_needed', 'The Zoho connection needs to be reconnected');
    throw new ConnectionUnavailableError('not_connected', 'Zoho CRM is not connected');
  }

  async function refreshLocked(connectionId: string, rejected: string | undefined): Promise<ApiAuth> {
    const outcome = await deps.db.transaction(async (tx) => {
      const t = await repo.lockLiveTokens(tx, connectionId);
      if (!t) return { kind: 'gone' as const };
      const stored = t.accessToken ? open(t.accessToken, connectionId) : null;
      const now = deps.clock.now();
      if (!needsRefresh({ accessToken: stored, accessExpiresAt: t.accessExpiresAt }, now, rejected))
        return { kind: 'ok' as const, auth: auth(t) };
      const budget = refreshBudget(t, now);
      if (!budget.allowed)
        throw new ZohoError(
          'rate_limit',
          'Zoho allows 10 token refreshes per 10 minutes; waiting for the window',
          {
            retryAfterMs: budget.retryAfterMs,
          },
        );
      const dc = deps.dataCentres.byAccountsServer(t.accountsServer);
      if (!dc)
        throw new ZohoError('untrusted_host', 'The stored accounts server is not a known Zoho data centre');
      try {
        const fresh = await deps.accounts.refresh(dc, open(t.refreshToken, connectionId));
        await repo.saveRefreshedAccess(tx, {
          connectionId,
          accessToken: deps.vault.seal(fresh.accessToken, connectionId),
          accessExpiresAt: new Date(now.getTime() + fresh.expiresInSeconds * 1000),
          windowStart: budget.windowStart,
          windowCount: budget.windowCount,
        });
        deps.logger.info({ connectionId }, 'zoho access token refreshed');
        return {
          kind: 'ok' as const,
          auth: { accessToken: fresh.accessToken, apiDomain: t.apiDomain, orgKey: t.orgKey },
        };
      } catch (err) {
        if (!(err instanceof ZohoError) || err.kind !== 'grant') throw err;
        // Zoho refused the refresh token itself: it was revoked, or pushed out by a 21st one.
        // Only the user can mend that; the dead token is of no further use.
        await repo.deleteTokens(tx, t.workspaceId, connectionId);
        await repo.setProblem(
          tx,
          t.workspaceId,
          connectionId,
          { code: 'refresh_rejected' },
          'reconnect_needed',
        );
        deps.logger.warn({ connectionId }, 'zoho refused the refresh token; reconnect needed');
        return { kind: 'rejected' as const };
      }
    });
    if (outcome.kind === 'ok') return outcome.auth;
    if (outcome.kind === 'rejected')
      throw new ConnectionUnavailableError('reconnect_needed', 'Zoho no longer accepts this connection');
    return unavailable(connectionId);
  }

  async function get(connectionId: string, rejected?: string): Promise<ApiAuth> {
    const t = await repo.readLiveTokens(deps.db, connectionId);
    if (!t) return unavailable(connectionId);
    const stored = t.accessToken ? open(t.accessToken, connectionId) : null;
    if (
      !needsRefresh({ accessToken: stored, accessExpiresAt: t.accessExpiresAt }, deps.clock.now(), rejected)
    )
      return auth(t);
    let flight = inflight.get(connectionId);
    if (!flight) {
      flight = refreshLocked(connectionId, rejected).finally(() => inflight.delete(connectionId));
      inflight.set(connectionId, flight);
    }
    return flight;
  }

  return {
    get,
    /** The AuthSource the Zoho transport calls through for this connection. */
    source(connectionId: string, workspaceId: string): AuthSource {
      return {
        get: (rejected) => get(connectionId, rejected),
        async scopeMismatch() {
          await repo.setProblem(
            deps.db,
            workspaceId,
            connectionId,
            { code: 'scope_mismatch' },
            'reconnect_needed',
          );
        },
      };
    },
  };
}

export type TokenManager = ReturnType<typeof createTokenManager>;
