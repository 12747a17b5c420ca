/**
 * Zoho failures as typed errors, built from facts (HTTP status, Zoho's `code` or OAuth
 * `error`). `kind` is what callers decide on: retry, refresh, ask the user to reconnect,
 * or stop and explain.
 */
export type ZohoErrorKind =
  /** Access token expired, revoked or unknown: refresh and try once more. */
  | 'token'
  /** The refresh token or grant was refused: only the user can fix it by reconnecting. */
  | 'grant'
  | 'scope'
  | 'permission'
  | 'edition'
  | 'rate_limit'
  | 'transient'
  | 'invalid'
  | 'not_found'
  | 'untrusted_host'
  /** Zoho answered with a redirect, which is never followed (it would carry our secrets on). */
  | 'redirect';

export class ZohoError extends Error {
  readonly kind: ZohoErrorKind;
  readonly status: number | undefined;
  /** Zoho's `code` (API) or `error` (Accounts), e.g. INVALID_TOKEN, invalid_code. */
  readonly zohoCode: string | undefined;
  readonly details: unknown;
  /** For rate limits and transient failures: when a retry makes sense. */
  readonly retryAfterMs: number | undefined;
  /** The reply body, for per-record results of a write that failed as a whole. */
  readonly body: unknown;

  constructor(
    kind: ZohoErrorKind,
    message: string,
    facts: {
      status?: number;
      zohoCode?: string;
      details?: unknown;
      retryAfterMs?: number;
      body?: unknown;
      cause?: unknown;
    } = {},
  ) {
    super(message, facts.cause === undefined ? undefined : { cause: facts.cause });
    this.name = 'ZohoError';
    this.kind = kind;
    this.status = facts.status;
    this.zohoCode = facts.zohoCode;
    this.details = facts.details;
    this.retryAfterMs = facts.retryAfterMs;
    this.body = facts.body;
  }

  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate_limit';
  }
}

const byCode: Record<string, ZohoErrorKind> = {
  INVALID_TOKEN: 'token',
  // Zoho's token-validity page names this one for an invalid access token.
  INVALID_OAUTHTOKEN: 'token',
  AUTHENTICATION_FAILURE: 'token',
  OAUTH_SCOPE_MISMATCH: 'scope',
  NO_PERMISSION: 'permission',
  FEATURE_NOT_SUPPORTED: 'edition',
  INTEGRATION_NOT_ENABLED: 'edition',
  LICENSE_LIMIT_EXCEEDED: 'edition',
  TOO_MANY_REQUESTS: 'rate_limit',
  LIMIT_EXCEEDED: 'rate_limit',
  INTERNAL_ERROR: 'transient',
  INVALID_URL_PATTERN: 'not_found',
};

/**
 * How a per-record failure of a write should be treated: Zoho's INTERNAL_ERROR for one record
 * (or a rate limit) is worth trying again; any other refusal needs someone to change something.
 */
export function recordErrorKind(code: string): 'transient' | 'invalid' {
  const kind = byCode[code];
  return kind === 'transient' || (kind === 'rate_limit' && code !== 'LIMIT_EXCEEDED')
    ? 'transient'
    : 'invalid';
}

/** An error reply of the CRM API (`{ code, message, details, status: "error" }`). */
export function apiError(status: number, body: unknown): ZohoError {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const code = typeof b['code'] === 'string' ? b['code'] : undefined;
  const message = typeof b['message'] === 'string' ? b['message'] : `HTTP ${status}`;
  const kind: ZohoErrorKind =
    (code && byCode[code]) ||
    (status === 429 ? 'rate_limit' : status >= 500 ? 'transient' : status === 404 ? 'not_found' : 'invalid');
  // LIMIT_EXCEEDED is also Zoho's answer to >100 records in one call (HTTP 400): not a rate limit.
  const final = code === 'LIMIT_EXCEEDED' && status !== 429 ? 'invalid' : kind;
  return new ZohoError(final, `Zoho CRM: ${message}${code ? ` (${code})` : ''}`, {
    status,
    ...(code ? { zohoCode: code } : {}),
    details: b['details'],
    body,
  });
}

/**
 * A failed reply of Zoho Accounts' token endpoint. Zoho answers most failures with HTTP 200
 * and `{ "error": "…" }`; a refresh throttled past 10 per 10 minutes comes back as
 * "Access Denied" (ZOHO-API.md §2, sandbox Guesses).
 */
export function accountsError(status: number, body: unknown, what: string): ZohoError {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const error = typeof b['error'] === 'string' ? b['error'] : undefined;
  const description = typeof b['error_description'] === 'string' ? b['error_description'] : undefined;
  const facts = { status, ...(error ? { zohoCode: error } : {}) };
  if (status >= 500) return new ZohoError('transient', `Zoho Accounts ${what}: HTTP ${status}`, facts);
  if (error === 'Access Denied' || /too many requests/i.test(description ?? ''))
    return new ZohoError('rate_limit', `Zoho Accounts ${what}: too many requests`, {
      ...facts,
      retryAfterMs: 60_000,
    });
  if (error === 'invalid_code')
    return new ZohoError(
      'grant',
      `Zoho Accounts ${what}: the code or refresh token is no longer valid`,
      facts,
    );
  if (error === 'invalid_client' || error === 'invalid_client_secret' || error === 'invalid_redirect_uri')
    return new ZohoError(
      'invalid',
      `Zoho Accounts ${what}: ${error} (check ZOHO_CLIENT_ID/SECRET and the redirect URI)`,
      facts,
    );
  return new ZohoError(
    'invalid',
    `Zoho Accounts ${what}: ${error ?? `unexpected reply (HTTP ${status})`}`,
    facts,
  );
}
