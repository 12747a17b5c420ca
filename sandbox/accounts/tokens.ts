import type { SandboxCore } from '../core.ts';
import type { DataCenter } from '../dc.ts';
import { hashToken, newToken } from '../ids.ts';
import type { AccessToken, RefreshToken, SbClient } from '../state.ts';

/**
 * Zoho Accounts' token rules (ZOHO-API.md §2): access tokens live one hour; a refresh token
 * mints at most 10 access tokens per 10 minutes and holds at most 30 live ones; a user has
 * at most 20 refresh tokens per client, the 21st silently deleting the oldest.
 */
export const ACCESS_TOKEN_TTL_S = 3600;
export const WEB_CODE_TTL_MS = 2 * 60 * 1000;
export const REFRESH_WINDOW_MS = 10 * 60 * 1000;
export const MAX_REFRESHES_PER_WINDOW = 10;
export const MAX_LIVE_ACCESS_TOKENS = 30;
export const MAX_REFRESH_TOKENS_PER_CLIENT = 20;

/** Token endpoint replies: errors come as HTTP 200 with `{ error }` unless noted. */
export interface TokenReply {
  status: number;
  body: Record<string, unknown>;
}

const tokenError = (error: string, status = 200): TokenReply => ({ status, body: { error } });

export const tokenErrors = {
  invalidClient: () => tokenError('invalid_client'),
  invalidClientSecret: () => tokenError('invalid_client_secret'),
  invalidCode: () => tokenError('invalid_code'),
  invalidRedirectUri: () => tokenError('invalid_redirect_uri'),
  unsupportedGrant: () => tokenError('unsupported_grant_type'),
  tooManyRefreshes: (): TokenReply => ({
    status: 400,
    body: {
      error_description: 'You have made too many requests continuously. Please try again after some time.',
      error: 'Access Denied',
      status: 'failure',
    },
  }),
};

export function checkClient(
  core: SandboxCore,
  clientId: string | undefined,
  secret: string | undefined,
  dc: DataCenter,
) {
  const client = clientId ? core.state.clients[clientId] : undefined;
  if (!client || (!client.multi_dc && client.home_dc !== dc)) return { error: tokenErrors.invalidClient() };
  if (client.client_secret !== secret) return { error: tokenErrors.invalidClientSecret() };
  return { client };
}

export function mintAccessToken(
  core: SandboxCore,
  grant: { client_id: string; user_id: string; dc: DataCenter; scopes: string[] },
  refreshHash: string | null,
): { token: string; record: AccessToken } {
  const token = newToken();
  const now = core.now();
  const record: AccessToken = {
    ...grant,
    scopes: [...grant.scopes],
    refresh_hash: refreshHash,
    issued_ms: now,
    expires_ms: now + ACCESS_TOKEN_TTL_S * 1000,
  };
  core.state.access_tokens[hashToken(token)] = record;
  if (refreshHash) dropOldestLiveTokens(core, refreshHash);
  core.changed();
  return { token, record };
}

/** Beyond 30 live access tokens of one refresh token, the oldest ones stop working. */
function dropOldestLiveTokens(core: SandboxCore, refreshHash: string): void {
  const now = core.now();
  const live = Object.entries(core.state.access_tokens)
    .filter(([, t]) => t.refresh_hash === refreshHash && t.expires_ms > now)
    .sort(([, a], [, b]) => a.issued_ms - b.issued_ms);
  for (const [hash] of live.slice(0, Math.max(0, live.length - MAX_LIVE_ACCESS_TOKENS))) {
    deleteAccessToken(core, hash);
  }
}

export function mintRefreshToken(
  core: SandboxCore,
  grant: { client_id: string; user_id: string; dc: DataCenter; scopes: string[] },
): string {
  const token = newToken();
  core.state.refresh_tokens[hashToken(token)] = {
    ...grant,
    scopes: [...grant.scopes],
    issued_ms: core.now(),
    mints_ms: [],
  };
  const mine = Object.entries(core.state.refresh_tokens)
    .filter(([, t]) => t.client_id === grant.client_id && t.user_id === grant.user_id)
    .sort(([, a], [, b]) => a.issued_ms - b.issued_ms);
  for (const [hash] of mine.slice(0, Math.max(0, mine.length - MAX_REFRESH_TOKENS_PER_CLIENT))) {
    deleteRefreshToken(core, hash);
  }
  core.changed();
  return token;
}

/** Deleting a refresh token takes the access tokens minted from it along (Zoho "revoke"). */
export function deleteRefreshToken(core: SandboxCore, hash: string): void {
  const rt = core.state.refresh_tokens[hash];
  if (rt) bury(core, hash, rt.user_id);
  delete core.state.refresh_tokens[hash];
  for (const [h, t] of Object.entries(core.state.access_tokens)) {
    if (t.refresh_hash === hash) deleteAccessToken(core, h);
  }
  core.changed();
}

export function deleteAccessToken(core: SandboxCore, hash: string): void {
  const at = core.state.access_tokens[hash];
  if (at) bury(core, hash, at.user_id);
  delete core.state.access_tokens[hash];
  core.changed();
}

function bury(core: SandboxCore, hash: string, userId: string): void {
  const user = core.state.users[userId];
  if (user) core.state.dead_tokens[hash] = { org_id: user.org_id, user_id: user.id };
}

export function canRefresh(core: SandboxCore, token: RefreshToken): boolean {
  const since = core.now() - REFRESH_WINDOW_MS;
  token.mints_ms = token.mints_ms.filter((ms) => ms > since);
  return token.mints_ms.length < MAX_REFRESHES_PER_WINDOW;
}

export function tokenSuccess(
  core: SandboxCore,
  access: string,
  refresh: string | undefined,
  dc: DataCenter,
  scopes: string[],
): TokenReply {
  return {
    status: 200,
    body: {
      access_token: access,
      ...(refresh ? { refresh_token: refresh } : {}),
      scope: scopes.join(' '),
      api_domain: core.apiDomain(dc),
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_TTL_S,
    },
  };
}

export function clientFor(core: SandboxCore, clientId: string): SbClient | undefined {
  return core.state.clients[clientId];
}
