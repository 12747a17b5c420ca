import { type Logger, pino } from 'pino';

/**
 * Paths that may hold a token, a grant code or a secret anywhere in a logged object. pino
 * replaces them before serialising, so a careless `log.info({ body })` cannot leak one.
 */
export const redactPaths = [
  'access_token',
  'refresh_token',
  'code',
  'client_secret',
  'secret',
  'password',
  'token',
  'authorization',
  '*.access_token',
  '*.refresh_token',
  '*.code',
  '*.client_secret',
  '*.secret',
  '*.password',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/**
 * Keys that carry meeting content or an attendee's personal data (M2): an event's payload or a
 * request body, transcripts, summaries, notes, action items, people's emails, names and phones.
 * Nothing logs them on purpose; these keep a careless `log.info({ payload })` from leaking one.
 */
export const contentPaths = [
  'payload',
  'body',
  'event',
  'booking',
  'transcript',
  'summary',
  'notes',
  'action_items',
  'attendees',
  'attendee',
  'email',
  'phone',
  'params',
  '*.payload',
  '*.body',
  '*.event',
  '*.booking',
  '*.transcript',
  '*.summary',
  '*.notes',
  '*.action_items',
  '*.attendees',
  '*.attendee',
  '*.email',
  '*.name',
  '*.first_name',
  '*.last_name',
  '*.phone',
  '*.params',
];

/**
 * What is kept of an error: its kind, message, stack and the facts that say what went wrong
 * (codes, statuses, the constraint or table involved) — never the values it was raised over.
 * PGlite's errors carry the statement and its parameters (`query`, `params`: a whole event's
 * payload), both databases' the JSON they choked on (`where`) and a key's value (`detail`,
 * "Key (email)=(…)"); a ZohoError carries Zoho's reply (`body`, `details`). An allow-list, so a
 * new library's error shape cannot bring a new leak. The code goes out as `errorCode`: `*.code`
 * is redacted everywhere (a grant code).
 */
const errorFacts = [
  'kind',
  'status',
  'statusCode',
  'httpStatus',
  'zohoCode',
  'reason',
  'retryable',
  'retryAfterMs',
  'severity',
  'routine',
  'constraint',
  'table',
  'column',
  'dataType',
  'errno',
  'syscall',
] as const;

const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export function serializeError(err: unknown, depth = 0): unknown {
  if (typeof err !== 'object' || err === null) return err;
  const e = err as Record<string, unknown>;
  const out: Record<string, unknown> = { type: err.constructor?.name ?? 'Object' };
  if (e['message'] !== undefined) out['message'] = String(e['message']);
  if (typeof e['stack'] === 'string') out['stack'] = e['stack'];
  if (scalar(e['code'])) out['errorCode'] = e['code'];
  for (const key of errorFacts) if (scalar(e[key])) out[key] = e[key];
  if (depth < 4) {
    if (e['cause'] !== undefined) out['cause'] = serializeError(e['cause'], depth + 1);
    // AggregateError: a connection refused on every address tried.
    if (Array.isArray(e['errors']))
      out['errors'] = e['errors'].slice(0, 5).map((x: unknown) => serializeError(x, depth + 1));
  }
  return out;
}

/** Query parameters that carry a grant code, OAuth state or token: never logged. */
const secretParams = /([?&](?:code|state|token|access_token|refresh_token|code_verifier)=)[^&#]*/gi;
export const redactUrl = (url: string) => url.replace(secretParams, '$1[redacted]');

/**
 * Request lines without secrets in their URLs (an OAuth callback carries the grant code), and
 * without bodies or headers; errors without the values they carry.
 */
const serializers = {
  req(req: {
    method?: string;
    url?: string;
    headers?: Record<string, unknown>;
    socket?: { remoteAddress?: string };
  }) {
    return { method: req.method, url: redactUrl(req.url ?? ''), remoteAddress: req.socket?.remoteAddress };
  },
  err: serializeError,
  error: serializeError,
};

export function createLogger(
  options: { level: string; name?: string },
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: options.level,
      ...(options.name ? { name: options.name } : {}),
      redact: { paths: [...redactPaths, ...contentPaths], censor: '[redacted]' },
      serializers,
    },
    destination,
  );
}

export type { Logger };
