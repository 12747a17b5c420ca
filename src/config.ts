import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_ANALYSIS_TIME_BUDGET_MS } from './analysis/offline-thread.ts';
import { parseVaultKeys, type VaultKey } from './crypto/vault.ts';
import { AppError } from './errors.ts';

/**
 * The only reader of process.env. Every variable is documented in .env.example; every
 * problem is reported at once so an operator fixes the environment in one go.
 */
const port = z.coerce.number().int().min(0).max(65535);

const requiredWhenLive = [
  ['TOKEN_ENCRYPTION_KEYS', 'it encrypts tokens at rest (`npm run keys -- new` prints one)'],
  ['AUTH_HANDOFF_SECRET', 'users sign in through the scheduling platform'],
  ['EVENTS_SIGNING_SECRET', 'the platform signs its events with it'],
  ['PUBLIC_URL', 'it makes the OAuth redirect URI'],
] as const;

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: port.default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,50}$/, 'must be a lower-case SQL identifier')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ZOHO_SANDBOX_PORT: port.default(4010),
    ZOHO_SANDBOX_URL: z
      .string()
      .url()
      .regex(/^https?:\/\/[^/]+$/, 'must be an origin such as http://127.0.0.1:4010 (no path)')
      .optional(),
    ZOHO_CLIENT_ID: z.string().min(1).optional(),
    ZOHO_CLIENT_SECRET: z.string().min(1).optional(),
    PUBLIC_URL: z
      .string()
      .url()
      .regex(/^https?:\/\/[^/]+$/, 'must be an origin such as https://crm.example.com (no path)')
      .optional(),
    TOKEN_ENCRYPTION_KEYS: z.string().optional(),
    AUTH_HANDOFF_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    EVENTS_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(64),
    ZOHO_ORG_CONCURRENCY: z.coerce.number().int().min(1).max(25).optional(),
    ZOHO_SEARCH_LAG_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
    EVENT_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    METRICS_PORT: port.optional(),
    OPENAI_API_KEY: z.string().min(1).optional(),
    OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
    OPENAI_BASE_URL: z.string().url().optional(),
    OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
    OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(1),
    ANALYSIS_TIME_BUDGET_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .max(600_000)
      .default(DEFAULT_ANALYSIS_TIME_BUDGET_MS),
  })
  .superRefine((e, ctx) => {
    // Half a client is a typo, not sandbox mode: say so rather than silently using the sandbox.
    if (e.ZOHO_SANDBOX_URL && !e.ZOHO_CLIENT_ID)
      ctx.addIssue({
        code: 'custom',
        path: ['ZOHO_CLIENT_ID'],
        message: 'required with ZOHO_SANDBOX_URL: the OAuth client `npm run sandbox` printed',
      });
    if (Boolean(e.ZOHO_CLIENT_ID) !== Boolean(e.ZOHO_CLIENT_SECRET)) {
      const missing = e.ZOHO_CLIENT_ID ? 'ZOHO_CLIENT_SECRET' : 'ZOHO_CLIENT_ID';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'set ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET together, or neither for sandbox mode',
      });
    }
    if (e.TOKEN_ENCRYPTION_KEYS !== undefined) {
      for (const problem of parseVaultKeys(e.TOKEN_ENCRYPTION_KEYS).problems)
        ctx.addIssue({ code: 'custom', path: ['TOKEN_ENCRYPTION_KEYS'], message: problem });
    }
    // With a real Zoho client, tokens are real: no generated secrets, and a way to sign in.
    if (e.ZOHO_CLIENT_ID && !e.ZOHO_SANDBOX_URL) {
      for (const [name, why] of requiredWhenLive)
        if (e[name] === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `required when ZOHO_CLIENT_ID is set: ${why}`,
          });
    }
  });

export type Env = Record<string, string | undefined>;

export type SignInConfig =
  | { readonly mode: 'demo' }
  | { readonly mode: 'handoff'; readonly secret: string | undefined };

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly http: { readonly host: string; readonly port: number };
  readonly dataDir: string;
  readonly database:
    | { readonly kind: 'pglite'; readonly dataDir: string }
    | { readonly kind: 'postgres'; readonly url: string; readonly schema: string | undefined };
  /** The origin users reach the app at; the OAuth redirect URI is built from it. */
  readonly publicUrl: string;
  readonly logLevel: string;
  /** Token encryption keys, the first sealing; undefined in sandbox mode means "generate one". */
  readonly tokenKeys: readonly VaultKey[] | undefined;
  /**
   * How users sign in. `demo` only for the embedded sandbox demo (no Zoho client, no
   * AUTH_HANDOFF_SECRET): /signin offers the demo workspace's users, and /metrics is open
   * without a token. Anything else is `handoff`: only the scheduling platform's signed link,
   * ZOHO_SANDBOX_URL or not (`secret` undefined: nobody can sign in; the process says so).
   */
  readonly signIn: SignInConfig;
  /** Undefined in sandbox mode means "use the generated one". */
  readonly eventsSecret: string | undefined;
  readonly sandbox: { readonly port: number };
  readonly sync: {
    /** Sync jobs at once in each worker process. */
    readonly concurrency: number;
    /** At most this many Zoho calls at once per org, below the edition's limit; undefined: the edition's. */
    readonly orgConcurrency: number | undefined;
    /** How long after an unanswered create Zoho's search is trusted to show the record. */
    readonly searchLagSeconds: number;
    /** Finished events (and what hangs on them) are deleted after this many days; 0: kept. */
    readonly retentionDays: number;
  };
  /**
   * `/metrics`: bearer token (unset: open in the demo, see `signIn`, and off otherwise); the
   * port a worker process serves it on (a web process serves it on its own port).
   */
  readonly metrics: { readonly token: string | undefined; readonly workerPort: number | undefined };
  /** OpenAI for meeting analysis; undefined: the offline analyser only. */
  readonly openai:
    | {
        readonly apiKey: string;
        readonly model: string;
        readonly baseURL: string | undefined;
        readonly timeoutMs: number;
        readonly maxRetries: number;
      }
    | undefined;
  /** The offline analyser: how long one analysis may run on its thread before it is stopped. */
  readonly analysis: { readonly timeBudgetMs: number };
  /**
   * `sandbox`: the bundled sandbox stands in for Zoho: started in this process (no Zoho client
   * configured), or one already running at `url` with the client it printed.
   */
  readonly zoho:
    | { readonly mode: 'sandbox'; readonly url?: undefined }
    | {
        readonly mode: 'sandbox';
        readonly url: string;
        readonly clientId: string;
        readonly clientSecret: string;
      }
    | { readonly mode: 'live'; readonly clientId: string; readonly clientSecret: string };
}

/** Blank variables count as unset, as a copied .env.example leaves many of them. */
function withoutBlanks(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
}

export function loadConfig(env: Env): Config {
  const parsed = envSchema.safeParse(withoutBlanks(env));
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    const list = details.map((d) => `  ${d.path}: ${d.message}`).join('\n');
    throw new AppError('config_invalid', `Invalid configuration:\n${list}`, { details });
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const localHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  return deepFreeze({
    env: e.NODE_ENV,
    http: { host: e.HOST, port: e.PORT },
    dataDir,
    database:
      e.DATABASE_URL === undefined
        ? { kind: 'pglite' as const, dataDir: path.join(dataDir, 'pglite') }
        : { kind: 'postgres' as const, url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA },
    publicUrl: e.PUBLIC_URL ?? `http://${localHost}:${e.PORT}`,
    logLevel: e.LOG_LEVEL,
    tokenKeys:
      e.TOKEN_ENCRYPTION_KEYS === undefined ? undefined : parseVaultKeys(e.TOKEN_ENCRYPTION_KEYS).keys,
    signIn: signInMode(e),
    eventsSecret: e.EVENTS_SIGNING_SECRET,
    sandbox: { port: e.ZOHO_SANDBOX_PORT },
    sync: {
      concurrency: e.SYNC_CONCURRENCY,
      orgConcurrency: e.ZOHO_ORG_CONCURRENCY,
      searchLagSeconds: e.ZOHO_SEARCH_LAG_SECONDS,
      retentionDays: e.EVENT_RETENTION_DAYS,
    },
    zoho: zohoMode(e),
    metrics: { token: e.METRICS_TOKEN, workerPort: e.METRICS_PORT },
    openai: e.OPENAI_API_KEY
      ? {
          apiKey: e.OPENAI_API_KEY,
          model: e.OPENAI_MODEL,
          baseURL: e.OPENAI_BASE_URL,
          timeoutMs: e.OPENAI_TIMEOUT_MS,
          maxRetries: e.OPENAI_MAX_RETRIES,
        }
      : undefined,
    analysis: { timeBudgetMs: e.ANALYSIS_TIME_BUDGET_MS },
  });
}

/**
 * Picking any user from a list is for the demo `npm start` builds around its own sandbox and
 * demo workspace. A configured Zoho client (a shared sandbox's included: the scaled shape, as
 * an operator runs it) or handoff secret means real users: they come through the platform.
 */
function signInMode(e: z.infer<typeof envSchema>): SignInConfig {
  const embeddedDemo = !e.ZOHO_CLIENT_ID && !e.ZOHO_SANDBOX_URL && !e.AUTH_HANDOFF_SECRET;
  return embeddedDemo ? { mode: 'demo' } : { mode: 'handoff', secret: e.AUTH_HANDOFF_SECRET };
}

function zohoMode(e: z.infer<typeof envSchema>): Config['zoho'] {
  if (!e.ZOHO_CLIENT_ID || !e.ZOHO_CLIENT_SECRET) return { mode: 'sandbox' };
  const client = { clientId: e.ZOHO_CLIENT_ID, clientSecret: e.ZOHO_CLIENT_SECRET };
  return e.ZOHO_SANDBOX_URL
    ? { mode: 'sandbox', url: e.ZOHO_SANDBOX_URL, ...client }
    : { mode: 'live', ...client };
}

function deepFreeze<T>(value: T): T {
  // Typed arrays (key bytes) cannot be frozen.
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
