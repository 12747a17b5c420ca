import type { SandboxCore } from '../core.ts';
import type { DataCenter } from '../dc.ts';
import { hashToken, newToken } from '../ids.ts';
import type { AccessToken, RefreshToken, SbClient } from '../state.ts';

/**
 * Zoho Accounts' token rules (CRM v8 "Token validity"; ZOHO-API.md §2, §8): access tokens
 * live one hour; a refresh token mints at most 10 access tokens in a span of ten minutes and
 * holds at most 15 live ones (the 16th invalidates the oldest); a client is given at most 10
 * grant codes in a span of ten minutes; a user has at most 20 refresh tokens per client, the
 * 21st silently deleting the oldest.
 */
export const ACCESS_TOKEN_TTL_S = 3600;
export const WEB_CODE_TTL_MS = 2 * 60 * 1000;
export const SPAN_MS = 10 * 60 * 1000;
export const MAX_REFRESHES_PER_SPAN = 10;
export const MAX_GRANT_CODES_PER_SPAN = 10;
export const MAX_LIVE_ACCESS_TOKENS = 15;
export const MAX_REFRESH_TOKENS_PER_CLIENT = 20;

/** Token endpoint replies: Zoho answers every error, the throttle included, with HTTP 200. */
export interface TokenReply {
  status: number;
  body: Record<string, unknown>;
}

const tokenError = (error: string): TokenReply => ({ status: 200, body: { error } });

export const tokenErrors = {
  invalidClient: () => tokenError('invalid_client'),
  invalidClientSecret: () => tokenError('invalid_client_secret'),
  invalidCode: () => tokenError('invalid_code'),
  invalidRedirectUri: () => tokenError('invalid_redirect_uri'),
  unsupportedGrant: () => tokenError('unsupported_grant_type'),
  // Also HTTP 200 (Kaizen #43: "the status code … remains 200"), body as on the token-validity page.
  tooManyRefreshes: (): TokenReply => ({
    status: 200,
    body: {
      error_description: 'You have made too many requests continuously. Please try again after some time.',
      error: 'Access Denied',
      status: 'failure',
    },
  }),
};

/**
 * Which accounts servers know a client. China is not in Accounts' multi-DC list: a client of
 * the Chinese DC (accounts.zoho.com.cn) exists only there, and a multi-DC client registered
 * elsewhere exists everywhere but there (ZOHO-API.md §8; CRM "Multi DC").
 */
export function clientServes(client: SbClient, dc: DataCenter): boolean {
  if (client.home_dc === dc) return true;
  return client.multi_dc && sameRealm(client.home_dc, dc);
}

/** China's accounts server is a deployment of its own: it knows none of the others' users or clients. */
export function sameRealm(a: DataCenter, b: DataCenter): boolean {
  return (a === 'cn') === (b === 'cn');
}

export function checkClient(
  core: SandboxCore,
  clientId: string | undefined,
  secret: string | undefined,
  dc: DataCenter,
) {
  const client = clientId ? core.state.clients[clientId] : undefined;
  if (!client || !clientServes(client, dc)) return { error: tokenErrors.invalidClient() };
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

/** Beyond 15 live access tokens of one refresh token, the oldest ones stop working. */
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

/**
 * Zoho's "at most N in a span of ten minutes": a span opens with the first grant after the
 * previous span closed and lasts ten minutes; once N fell in it, further requests are refused
 * "for the remaining time" (token-validity page) and count for nothing. Returns the grants of
 * the span open at `now` (none when it has closed). A sandbox clock moved back opens a new span.
 */
export function currentSpan(times: readonly number[], now: number): number[] {
  let span: number[] = [];
  for (const t of [...times].sort((a, b) => a - b)) {
    if (span.length === 0 || t >= span[0]! + SPAN_MS) span = [t];
    else span.push(t);
  }
  const start = span[0];
  return start === undefined || now >= start + SPAN_MS || now < start ? [] : span;
}

/** Whether one more grant fits the span open at `now`, and if not, when that span closes. */
export function spanRoom(
  times: readonly number[],
  now: number,
  max: number,
): { ok: true; span: number[] } | { ok: false; until_ms: number } {
  const span = currentSpan(times, now);
  return span.length < max ? { ok: true, span } : { ok: false, until_ms: span[0]! + SPAN_MS };
}

/** Counts a refresh against the throttle; false when the span is full. */
export function takeRefresh(core: SandboxCore, token: RefreshToken): boolean {
  const now = core.now();
  const room = spanRoom(token.mints_ms, now, MAX_REFRESHES_PER_SPAN);
  if (!room.ok) return false;
  token.mints_ms = [...room.span, now];
  return true;
}

/** Whether the client may be given another grant code now (10 per span of ten minutes). */
export function grantCodeRoom(core: SandboxCore, clientId: string) {
  const issued = Object.values(core.state.codes)
    .filter((c) => c.client_id === clientId)
    .map((c) => c.issued_ms);
  return spanRoom(issued, core.now(), MAX_GRANT_CODES_PER_SPAN);
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
