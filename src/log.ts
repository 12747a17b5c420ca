import { type Bindings, type ChildLoggerOptions, type Level, type Logger, pino } from 'pino';

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

/**
 * A child logger made on its first line. Making a pino child redacts its bindings through every
 * path above, and Fastify makes one per request (`childLoggerFactory`, web/app.ts) though most
 * requests write no line: during a burst of events that was ~7 % of accepting one (issue 13).
 * A line below the level is dropped without making the child; the level is the child's options'
 * or the parent's until the child exists, then the child's own.
 */
export function lazyChild(parent: Logger, bindings: Bindings, options: ChildLoggerOptions = {}): Logger {
  return new LazyChild(parent, bindings, options) as unknown as Logger;
}

class LazyChild {
  #made: Logger | undefined;
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;

  constructor(parent: Logger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): Logger {
    this.#made ??= this.#parent.child(this.#bindings, this.#options);
    return this.#made;
  }

  get level(): string {
    return this.#made?.level ?? this.#options.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  get levels(): Logger['levels'] {
    return this.#parent.levels;
  }

  get levelVal(): number {
    return this.#made?.levelVal ?? this.#parent.levels.values[this.level] ?? this.#parent.levelVal;
  }

  get msgPrefix(): string | undefined {
    return this.#parent.msgPrefix;
  }

  isLevelEnabled(level: string): boolean {
    const value = this.#parent.levels.values[level];
    return value !== undefined && value >= this.levelVal;
  }

  #line(level: Level, args: unknown[]): void {
    if (this.isLevelEnabled(level)) (this.#real()[level] as (...a: unknown[]) => void)(...args);
  }

  trace(...args: unknown[]) {
    this.#line('trace', args);
  }
  debug(...args: unknown[]) {
    this.#line('debug', args);
  }
  info(...args: unknown[]) {
    this.#line('info', args);
  }
  warn(...args: unknown[]) {
    this.#line('warn', args);
  }
  error(...args: unknown[]) {
    this.#line('error', args);
  }
  fatal(...args: unknown[]) {
    this.#line('fatal', args);
  }
  silent() {}

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.#real().child(bindings, options);
  }

  bindings(): Bindings {
    return this.#real().bindings();
  }

  setBindings(bindings: Bindings): void {
    this.#real().setBindings(bindings);
  }

  flush(cb?: (err?: Error) => void): void {
    this.#parent.flush(cb);
  }
}

export type { Logger };
