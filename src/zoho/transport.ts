import type { Logger } from '../log.ts';
import type { Fetch } from './accounts.ts';
import { concurrencyFor } from './editions.ts';
import { apiError, ZohoError } from './errors.ts';
import { fetchHttp, type HttpReply, undiciHttp, type ZohoHttp } from './http.ts';
import type { Limiter } from './limiter.ts';
import { refuseRedirect } from './redirects.ts';
import { backoffMs, type RetryPolicy, shouldRetry } from './retry.ts';

/**
 * The one transport to the Zoho CRM API: the API domain and auth header, timeouts, the
 * per-org concurrency cap, retries that honour rate limits, one token refresh on
 * INVALID_TOKEN, typed errors. Endpoint functions on top are a few lines each.
 */
export interface ApiAuth {
  accessToken: string;
  apiDomain: string;
  /** The key for the per-org concurrency cap (Zoho counts per org). */
  orgKey: string;
  /** The org's edition, which sets how many calls at once Zoho allows (null: unknown). */
  edition?: string | null;
  /** Names the grant the token came from (opaque), so a refusal is pinned to that grant. */
  grant?: string;
}

export interface AuthSource {
  /** A usable access token; `rejected` is one Zoho just refused, so another is needed. */
  get(rejected?: string): Promise<ApiAuth>;
  /** Zoho says the token of `grant` lacks a scope `path` needs: only reconnecting fixes it. */
  scopeMismatch?(error: ZohoError, path: string, grant: string | undefined): Promise<void>;
  /**
   * Checked inside the call's concurrency slot just before each try is sent: throws to stop a
   * write its caller may no longer make (a claim another attempt took over, sync/claims.ts).
   * Its error is thrown as it is: no call was made.
   */
  fence?(): Promise<void>;
}

export interface ZohoTransportDeps {
  logger: Logger;
  limiter: Limiter;
  /** The most calls at once per org from this process, below the edition's limit. */
  maxPerOrg?: number;
  /** How requests are sent (default undiciHttp); `fetch`, when given instead, sends them. */
  http?: ZohoHttp;
  fetch?: Fetch;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  /** A monotonic clock in ms (how long a fence took); default `performance.now`. */
  monotonicNow?: () => number;
  /** Told of every call's outcome and every retry (metrics). */
  observer?: TransportObserver;
}

export interface TransportObserver {
  zohoCall(call: { method: string; path: string; status: number | 'error'; seconds: number }): void;
  zohoRetry(kind: string): void;
}

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below `/crm/v8`, e.g. `/users`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export interface ZohoTransport {
  /** The parsed JSON body, or undefined for Zoho's empty 204. */
  request(auth: AuthSource, req: ApiRequest): Promise<unknown>;
}

/**
 * Zoho's heavy calls share a sub-limit of 10 at once per org within the org's limit: writes of
 * more than 10 records among them (ZOHO-API.md §8, Kaizen #203). Whether a plain search is heavy
 * is not documented; the sandbox counts it so, and so do we, the safe side.
 */
export const HEAVY_SUB_LIMIT = 10;
const MAX_LIGHT_WRITE = 10;

export function isHeavy(req: Pick<ApiRequest, 'method' | 'path' | 'body'>): boolean {
  if (req.method === 'GET') return req.path.endsWith('/search');
  if (req.path.includes('/actions/convert')) return true;
  const data = (req.body as { data?: unknown } | undefined)?.data;
  return Array.isArray(data) && data.length > MAX_LIGHT_WRITE;
}

/**
 * A heavy call takes its heavy slot first, then the org's slot, so one waiting for the
 * sub-limit holds none of the org's slots that lighter calls could use. The key order is the
 * same for everyone, so two calls never each hold what the other waits for. Where the org's
 * limit is no more than the sub-limit (Free, Standard), the org's slots already hold heavy calls
 * to it, and the heavy slot is not taken: on PostgreSQL each slot is a lease of two statements,
 * and a new attendee's two searches took eight where four do.
 */
function withinLimits<T>(
  limiter: Limiter,
  auth: ApiAuth,
  limit: number,
  heavy: boolean,
  fn: () => Promise<T>,
): Promise<T> {
  const call = () => limiter.run(auth.orgKey, limit, fn);
  return heavy && HEAVY_SUB_LIMIT < limit
    ? limiter.run(`${auth.orgKey}:heavy`, HEAVY_SUB_LIMIT, call)
    : call();
}

/** Who is calling, as fetch said "node" before (zoho/http.ts's client sends none of its own). */
const USER_AGENT = 'PepoSmart-Zoho-CRM';

const defaultPolicy: RetryPolicy = { attempts: 5, baseMs: 250, maxMs: 8_000 };

/**
 * A fence is trusted only if it came back quickly. A process stopped (SIGSTOP, a long GC pause)
 * after the fence committed but before its reply was handled would otherwise send the create
 * much later, after another attempt took the claim over, waited from the fence's send time and
 * found nothing (soak, issue 12 R7). A slow fence is taken again: it either refreshes the
 * claim's send time or throws ClaimLost. After a few slow ones in a row (a database that slow),
 * the call goes ahead: the window left is the request's own dispatch.
 */
const FRESH_FENCE_MS = 1_000;
const FENCE_TRIES = 4;

async function freshFence(fence: () => Promise<void>, now: () => number): Promise<void> {
  for (let i = 1; ; i++) {
    const started = now();
    await fence();
    if (now() - started <= FRESH_FENCE_MS || i >= FENCE_TRIES) return;
  }
}
const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createZohoTransport(deps: ZohoTransportDeps): ZohoTransport {
  const send = deps.http ?? (deps.fetch ? fetchHttp(deps.fetch) : undiciHttp);
  const timeoutMs = deps.timeoutMs ?? 30_000;
  const policy = { ...defaultPolicy, ...deps.retry };
  const sleep = deps.sleep ?? wait;
  const monotonicNow = deps.monotonicNow ?? (() => performance.now());

  async function once(auth: ApiAuth, req: ApiRequest, fence?: () => Promise<void>): Promise<unknown> {
    const url = new URL(`${auth.apiDomain}/crm/v8${req.path}`);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const started = performance.now();
    let res: HttpReply;
    let fenced: { err: unknown } | undefined;
    try {
      // The slot is held until the body is read: Zoho counts a call until its reply ends.
      res = await withinLimits(
        deps.limiter,
        auth,
        concurrencyFor(auth.edition, deps.maxPerOrg),
        isHeavy(req),
        async () => {
          if (fence)
            await freshFence(fence, monotonicNow).catch((err: unknown) => {
              fenced = { err };
              throw err;
            });
          return send(url, {
            method: req.method,
            headers: {
              authorization: `Zoho-oauthtoken ${auth.accessToken}`,
              'user-agent': USER_AGENT,
              ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
            timeoutMs,
          });
        },
      );
    } catch (cause) {
      if (fenced) throw fenced.err;
      deps.observer?.zohoCall({
        method: req.method,
        path: req.path,
        status: 'error',
        seconds: (performance.now() - started) / 1000,
      });
      // The error's name, and its code when it has one (a TimeoutError; a SocketError,
      // UND_ERR_SOCKET; an Error, ECONNREFUSED): enough to tell a timeout from a refused connection.
      const { name, code } = cause as Error & { code?: unknown };
      const what = typeof code === 'string' ? `${name} (${code})` : name;
      throw new ZohoError('transient', `Zoho CRM ${req.method} ${req.path}: ${what}`, {
        cause,
      });
    }
    deps.observer?.zohoCall({
      method: req.method,
      path: req.path,
      status: res.status,
      seconds: (performance.now() - started) / 1000,
    });
    // The path only: queries may hold an attendee's email.
    deps.logger.debug(
      {
        zoho: {
          method: req.method,
          path: req.path,
          status: res.status,
          ms: Math.round(performance.now() - started),
        },
      },
      'zoho call',
    );
    refuseRedirect(res, url, `Zoho CRM ${req.method} ${req.path}`);
    const ok = res.status >= 200 && res.status <= 299;
    let body: unknown;
    try {
      body = res.text ? JSON.parse(res.text) : undefined;
    } catch (cause) {
      if (ok) throw new ZohoError('transient', `Zoho CRM ${req.path}: reply is not JSON`, { cause });
    }
    // 2xx, including the multi-status of a partly failed batch: per-record results are the caller's.
    if (ok) return body;
    throw apiError(res.status, body);
  }

  return {
    async request(source, req) {
      // Getting a token is inside the loop: a refresh that fails for a moment is retried too.
      let rejected: string | undefined;
      for (let attempt = 1; ; attempt++) {
        let auth: ApiAuth | undefined;
        try {
          auth = await source.get(rejected);
          return await once(auth, req, source.fence && (() => source.fence!()));
        } catch (err) {
          if (!(err instanceof ZohoError)) throw err;
          if (err.kind === 'token' && auth && rejected === undefined) {
            rejected = auth.accessToken;
            continue;
          }
          if (err.kind === 'scope') await source.scopeMismatch?.(err, req.path, auth?.grant);
          if (!shouldRetry(err, req.method, attempt, policy)) throw err;
          const delay = backoffMs(attempt, policy, err.retryAfterMs);
          deps.observer?.zohoRetry(err.kind);
          deps.logger.info({ zoho: { path: req.path, kind: err.kind, attempt, delay } }, 'zoho call retried');
          await sleep(delay);
        }
      }
    },
  };
}
