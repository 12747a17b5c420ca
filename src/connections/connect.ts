import crypto from 'node:crypto';
import type { Queryable } from '../db/port.ts';
import type { TokenSet } from '../zoho/accounts.ts';
import type { DataCentre } from '../zoho/datacentres.ts';
import { ZohoError } from '../zoho/errors.ts';
import type { AuthSource } from '../zoho/transport.ts';
import type { Actor, ConnectionDeps } from './deps.ts';
import { type ProblemCode, problemForErrorKind } from './problems.ts';
import * as repo from './repo.ts';
import { scopesToRequest } from './scopes.ts';

/**
 * Connecting Zoho CRM: a single-use `state` bound to the user (and a PKCE verifier), Zoho's
 * consent page — for the default scopes, plus the Meetings ones while the user has Meetings on
 * (incremental consent: turning them on sends the user here again) — then the callback: the data centre Zoho names is checked against the known
 * ones before the code (and our client secret) goes there, the API domain likewise, and the
 * account is read once for the card and for record ownership.
 */
export const STATE_TTL_MS = 10 * 60_000;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const randomToken = () => crypto.randomBytes(32).toString('base64url');

export async function startConnect(deps: ConnectionDeps, actor: Actor): Promise<string> {
  const state = randomToken();
  const verifier = randomToken();
  const stateHash = sha256(state);
  const now = deps.clock.now();
  await deps.db.query('DELETE FROM oauth_states WHERE expires_at < $1', [now]);
  await deps.db.query(
    `INSERT INTO oauth_states (state_hash, workspace_id, user_id, code_verifier, expires_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [
      stateHash,
      actor.workspaceId,
      actor.userId,
      deps.vault.seal(verifier, stateHash),
      new Date(now.getTime() + STATE_TTL_MS),
    ],
  );
  const codeChallenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  // A reconnect asks again for every scope a feature the user turned on needs.
  const conn = await repo.findConnection(deps.db, actor.workspaceId, actor.userId);
  return deps.accounts.authorizationUrl({ state, scopes: scopesToRequest(conn?.settings), codeChallenge });
}

/** Takes the state if it is this user's, unexpired and unused; it can never be taken again. */
async function consumeState(deps: ConnectionDeps, q: Queryable, actor: Actor, state: string) {
  const stateHash = sha256(state);
  const { rows } = await q.query<{ code_verifier: string }>(
    `DELETE FROM oauth_states WHERE state_hash = $1 AND workspace_id = $2 AND user_id = $3 AND expires_at > $4
     RETURNING code_verifier`,
    [stateHash, actor.workspaceId, actor.userId, deps.clock.now()],
  );
  return rows[0] ? deps.vault.open(rows[0].code_verifier, stateHash) : undefined;
}

export type CallbackQuery = Record<string, string | undefined>;
export type ConnectOutcome = { ok: true } | { ok: false; problem: ProblemCode; detail?: string };

const redirectErrors: Record<string, ProblemCode> = {
  access_denied: 'denied',
  no_org: 'no_org',
  // Unconfirmed: the value Zoho sends when an org blocks third-party apps (sandbox Guesses).
  unauthorized_client: 'third_party_blocked',
};

export async function completeConnect(
  deps: ConnectionDeps,
  actor: Actor,
  q: CallbackQuery,
): Promise<ConnectOutcome> {
  const outcome = await exchangeAndVerify(deps, actor, q);
  // Anyone can link a signed-in user to the callback with a made-up state: such a callback is
  // not the user's attempt, so it changes nothing on the card (not even a real "Reconnect
  // needed" reason); the page the callback lands on says why, once.
  if (!outcome.ok && outcome.problem === 'state_invalid') {
    deps.logger.info({ problem: outcome.problem, userId: actor.userId }, 'zoho callback refused');
    return outcome;
  }
  if (!outcome.ok) {
    const conn = await repo.ensureConnection(deps.db, actor.workspaceId, actor.userId);
    // Declining a consent asked again (for Meetings' added scopes) revokes nothing at Zoho: the
    // grant the connection has still works, so the card keeps no problem; the page says so once.
    if (outcome.problem === 'denied' && conn.status === 'connected') {
      deps.logger.info(
        { problem: outcome.problem, userId: actor.userId },
        'zoho consent declined, grant kept',
      );
      return { ok: false, problem: 'denied_kept' };
    }
    await repo.setProblem(deps.db, actor.workspaceId, conn.id, {
      code: outcome.problem,
      ...(outcome.detail ? { detail: outcome.detail } : {}),
    });
    deps.logger.info({ problem: outcome.problem, userId: actor.userId }, 'zoho connect failed');
  }
  return outcome;
}

async function exchangeAndVerify(
  deps: ConnectionDeps,
  actor: Actor,
  q: CallbackQuery,
): Promise<ConnectOutcome> {
  const verifier = q['state'] ? await consumeState(deps, deps.db, actor, q['state']) : undefined;
  if (verifier === undefined) return { ok: false, problem: 'state_invalid' };
  if (q['error'])
    return { ok: false, problem: redirectErrors[q['error']] ?? 'connect_failed', detail: q['error'] };
  const dc = callbackDataCentre(deps, q);
  if (!dc)
    return { ok: false, problem: 'untrusted_server', detail: q['accounts-server'] ?? q['location'] ?? '' };
  if (!q['code']) return { ok: false, problem: 'connect_failed', detail: 'no code in the callback' };

  let tokens: TokenSet;
  try {
    tokens = await deps.accounts.exchangeCode(dc, q['code'], verifier);
  } catch (err) {
    return failure(err);
  }
  if (!tokens.refreshToken)
    return { ok: false, problem: 'connect_failed', detail: 'Zoho returned no refresh token' };
  const refreshToken = tokens.refreshToken;
  const revoke = () => revokeQuietly(deps, dc, refreshToken);
  // The API domain gets our tokens on every call: only the data centre's own is accepted.
  const apiDc = tokens.apiDomain ? deps.dataCentres.byApiDomain(tokens.apiDomain) : undefined;
  if (apiDc?.id !== dc.id) {
    await revoke();
    return { ok: false, problem: 'untrusted_server', detail: tokens.apiDomain ?? '(none)' };
  }

  const source: AuthSource = {
    async get(rejected) {
      if (rejected) throw new ZohoError('token', 'Zoho refused a token it has just issued');
      return {
        accessToken: tokens.accessToken,
        apiDomain: apiDc.apiDomain,
        orgKey: `connect:${actor.userId}`,
      };
    },
  };
  let account: {
    user: Awaited<ReturnType<ConnectionDeps['api']['currentUser']>>;
    org: Awaited<ReturnType<ConnectionDeps['api']['org']>>;
  };
  try {
    const [user, org] = await Promise.all([deps.api.currentUser(source), deps.api.org(source)]);
    await deps.api.canView(source, 'Contacts');
    await deps.api.canView(source, 'Leads');
    account = { user, org };
  } catch (err) {
    await revoke();
    return failure(err);
  }

  const conn = await repo.ensureConnection(deps.db, actor.workspaceId, actor.userId);
  const previous = await deps.db.transaction(async (tx) => {
    const old = await repo.readTokens(tx, actor.workspaceId, conn.id);
    await repo.saveTokens(tx, {
      connectionId: conn.id,
      workspaceId: actor.workspaceId,
      refreshToken: deps.vault.seal(refreshToken, conn.id),
      accessToken: deps.vault.seal(tokens.accessToken, conn.id),
      accessExpiresAt: new Date(deps.clock.now().getTime() + tokens.expiresInSeconds * 1000),
    });
    await repo.markConnected(tx, {
      workspaceId: actor.workspaceId,
      id: conn.id,
      dataCentre: dc.id,
      accountsServer: dc.accountsServer,
      apiDomain: apiDc.apiDomain,
      // Zoho names the granted scopes; without that, what the connection's settings had us ask for.
      scopes: tokens.scope ?? scopesToRequest(conn.settings).join(','),
      zohoUser: account.user,
      zohoOrg: account.org,
    });
    return old && conn.accountsServer
      ? { sealed: old.refreshToken, accountsServer: conn.accountsServer }
      : undefined;
  });
  deps.logger.info({ userId: actor.userId, dc: dc.id, zohoOrgId: account.org.id }, 'zoho connected');
  // Connecting again replaces the old grant: revoke it so it does not count against Zoho's 20.
  const oldDc = previous ? deps.dataCentres.byAccountsServer(previous.accountsServer) : undefined;
  if (previous && oldDc) await revokeQuietly(deps, oldDc, deps.vault.open(previous.sealed, conn.id));
  return { ok: true };
}

/**
 * Zoho sends `accounts-server` and `location`; without them (older single-DC flows) the user is
 * in the US. Either must name a known data centre, and they must agree.
 */
function callbackDataCentre(deps: ConnectionDeps, q: CallbackQuery): DataCentre | undefined {
  const server = q['accounts-server'];
  const location = q['location'];
  const byServer = server ? deps.dataCentres.byAccountsServer(server) : undefined;
  const byLocation = location ? deps.dataCentres.byId(location.toLowerCase()) : undefined;
  if (server && !byServer) return undefined;
  if (location && !byLocation) return undefined;
  if (byServer && byLocation && byServer.id !== byLocation.id) return undefined;
  return byServer ?? byLocation ?? deps.dataCentres.byId('us');
}

function failure(err: unknown): ConnectOutcome {
  if (!(err instanceof ZohoError)) throw err;
  return { ok: false, problem: problemForErrorKind(err.kind, 'connect_failed'), detail: err.message };
}

/** Revoking is a courtesy to the user's Zoho account: a failure is logged, never shown. */
export async function revokeQuietly(
  deps: ConnectionDeps,
  dc: DataCentre,
  refreshToken: string,
): Promise<void> {
  try {
    await deps.accounts.revoke(dc, refreshToken);
  } catch (err) {
    deps.logger.warn({ err: { message: (err as Error).message }, dc: dc.id }, 'zoho token revoke failed');
  }
}
