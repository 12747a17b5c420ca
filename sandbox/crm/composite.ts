import type { FastifyRequest } from 'fastify';
import { type ZohoError, zohoError } from '../errors.ts';
import { BadReference, referencedIds, resolveReferences } from './composite-refs.ts';
import {
  type CrmRoute,
  executeSub,
  failed,
  refused,
  type SubRequest,
  type SubResult,
} from './composite-sub.ts';
import type { ApiContext, ApiReply, Prepared } from './gate.ts';

/**
 * The Composite API, `POST /crm/v8/__composite_requests` (Zoho's composite API docs and
 * v8 OpenAPI description): up to five sub-requests in one call, for one credit (two when
 * `rollback_on_fail` is true and nothing rolled back), yet counted as five calls toward the
 * org's concurrency limit and as one heavy call: it saves round trips, not concurrency.
 * Sub-requests may refer to earlier answers with `@{sub_request_id:JSONPath}`.
 */
export const MAX_SUB_REQUESTS = 5;
export const COMPOSITE_CONCURRENCY = 5;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const URI = /^\/?crm(\/.*)?\/v([0-9]+)(?:[.][0-9]+)?\/(.*)$/;
const URI_REGEX = '/crm(/.*)?/v[0-9]+([.][0-9]+)?/.*';
const ID = /^[a-zA-Z0-9][a-zA-Z0-9_]*$/;
const SERVED_VERSION = 8;

interface Plan {
  rollback: boolean;
  parallel: boolean;
  raw: unknown[];
}

const invalid = (api_name: string, extra: Record<string, unknown>) =>
  zohoError(400, 'INVALID_DATA', 'invalid data', { api_name, json_path: `$.${api_name}`, ...extra });

function flag(body: Record<string, unknown>, key: string): boolean | undefined | ZohoError {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'boolean' ? v : invalid(key, { expected_data_type: 'boolean' });
}

function parsePlan(body: unknown): Plan | ZohoError {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const list = b['__composite_requests'];
  if (list === undefined || list === null)
    return zohoError(400, 'MANDATORY_NOT_FOUND', 'required field not found', {
      api_name: '__composite_requests',
      json_path: '$.__composite_requests',
    });
  if (!Array.isArray(list) || list.length === 0)
    return invalid('__composite_requests', { expected_data_type: 'jsonarray' });
  if (list.length > MAX_SUB_REQUESTS)
    return invalid('__composite_requests', { maximum_length: MAX_SUB_REQUESTS });
  const rollback = flag(b, 'rollback_on_fail');
  if (typeof rollback === 'object') return rollback;
  // Zoho's pages name it parallel_execution, its OpenAPI description concurrent_execution.
  const key = b['parallel_execution'] !== undefined ? 'parallel_execution' : 'concurrent_execution';
  const parallel = flag(b, key);
  if (typeof parallel === 'object') return parallel;
  if (rollback && parallel)
    return zohoError(
      400,
      'AMBIGUITY_DURING_PROCESSING',
      'rollback_on_fail and parallel execution cannot both be true',
      {
        ambiguity_due_to: [
          { api_name: 'rollback_on_fail', json_path: '$.rollback_on_fail' },
          { api_name: key, json_path: `$.${key}` },
        ],
      },
    );
  return { rollback: rollback ?? false, parallel: parallel ?? !rollback, raw: list };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  Boolean(v) && typeof v === 'object' && !Array.isArray(v);

const strings = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));

/** A sub-request as given, checked against Zoho's documented keys and patterns. */
function parseSub(raw: unknown, index: number): SubRequest | SubResult {
  const at = (key: string) => `$.__composite_requests[${index}]${key ? `.${key}` : ''}`;
  const bad = (key: string, extra: Record<string, unknown> = {}) =>
    refused('INVALID_DATA', 'invalid data', {
      api_name: key || '__composite_requests',
      json_path: at(key),
      ...extra,
    });
  if (!isObject(raw)) return bad('', { expected_data_type: 'jsonobject' });
  const method = typeof raw['method'] === 'string' ? raw['method'].toUpperCase() : '';
  if (!METHODS.includes(method)) return bad('method');
  const uri = typeof raw['uri'] === 'string' ? URI.exec(raw['uri']) : null;
  if (!uri) return bad('uri', { regex: URI_REGEX });
  const id = raw['sub_request_id'];
  if (id !== undefined && id !== null && !(typeof id === 'string' && ID.test(id)))
    return bad('sub_request_id', { regex: ID.source });
  for (const key of ['params', 'headers', 'body'])
    if (raw[key] !== undefined && raw[key] !== null && !isObject(raw[key]))
      return bad(key, { expected_data_type: 'jsonobject' });
  const headers = strings((raw['headers'] as Record<string, unknown>) ?? {});
  const restricted = Object.keys(headers).filter((h) =>
    ['authorization', 'x-crm-org'].includes(h.toLowerCase()),
  );
  if (restricted.length) return bad('headers', { restricted_headers: restricted });
  const version = Number(uri[2]);
  if (version > SERVED_VERSION)
    return refused('NOT_ALLOWED', 'the version of the sub-request is higher than the composite request', {
      sub_request_version: version,
      composite_request_version: SERVED_VERSION,
    });
  // Other versions, and other APIs under /crm (bulk, …), are not served by this sandbox.
  if (version !== SERVED_VERSION || uri[1])
    return refused('NOT_SUPPORTED', 'the API is not supported in a composite request', {
      api_name: 'uri',
      json_path: at('uri'),
    });
  const [path = '', qs = ''] = `/${uri[3]}`.split('?');
  return {
    index,
    id: typeof id === 'string' ? id : undefined,
    method,
    path,
    query: {
      ...Object.fromEntries(new URLSearchParams(qs)),
      ...strings((raw['params'] as Record<string, unknown>) ?? {}),
    },
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    body: raw['body'] ?? undefined,
  };
}

const isSub = (x: SubRequest | SubResult): x is SubRequest => 'path' in x;

/** Two sub-requests with one sub_request_id: both refused. */
function refuseDuplicates(items: Array<SubRequest | SubResult>): void {
  const byId = new Map<string, number[]>();
  for (const it of items) if (isSub(it) && it.id) byId.set(it.id, [...(byId.get(it.id) ?? []), it.index]);
  for (const indexes of byId.values()) {
    if (indexes.length < 2) continue;
    for (const i of indexes)
      items[i] = refused('DUPLICATE_DATA', 'duplicate sub_request_id', {
        api_name: 'sub_request_id',
        json_path: `$.__composite_requests[${i}].sub_request_id`,
        sub_request_indexes: indexes,
      });
  }
}

/**
 * The order sub-requests run in: as given when sequential; when parallel, each after the
 * ones it refers to (Zoho runs independent ones at once), those referring in a loop refused.
 */
function runOrder(items: Array<SubRequest | SubResult>, parallel: boolean, results: SubResult[]): number[] {
  const subs = items.filter(isSub);
  if (!parallel) return subs.map((s) => s.index);
  const deps = new Map(subs.map((s) => [s.index, referencedIds([s.path, s.query, s.headers, s.body])]));
  const indexOf = (id: string) => subs.find((s) => s.id === id)?.index;
  const order: number[] = [];
  const pending = new Set(subs.map((s) => s.index));
  while (pending.size) {
    const ready = [...pending].filter((i) =>
      deps.get(i)!.every((id) => {
        const j = indexOf(id);
        return j === undefined || j === i || !pending.has(j);
      }),
    );
    if (!ready.length) {
      for (const i of pending)
        results[i] = refused('LOOPING_FOUND', 'the sub-requests refer to each other', {
          dependent_data: [...pending].map((j) => ({
            sub_request_id: (items[j] as SubRequest).id ?? null,
            referred_sub_request_ids: deps.get(j),
          })),
        });
      break;
    }
    for (const i of ready) {
      order.push(i);
      pending.delete(i);
    }
  }
  return order;
}

/** The body a referred sub-request answered, if it ran and succeeded before this one. */
function lookupIn(items: Array<SubRequest | SubResult>, results: SubResult[], self: number) {
  return (id: string, reference: string) => {
    const j = items.findIndex((it) => isSub(it) && it.id === id);
    if (j < 0) throw new BadReference(reference, 'no sub-request has the referred sub_request_id');
    if (j === self) throw new BadReference(reference, 'a sub-request cannot refer to itself');
    const r = results[j];
    if (!r) throw new BadReference(reference, 'the referred sub-request is yet to be executed');
    if (failed(r) || r.status === 'error')
      throw new BadReference(reference, 'the referred sub-request has failed');
    return r.details.response.body;
  };
}

function runOne(
  ctx: ApiContext,
  routes: readonly CrmRoute[],
  items: Array<SubRequest | SubResult>,
  results: SubResult[],
  i: number,
): SubResult {
  const sub = items[i] as SubRequest;
  try {
    const lookup = lookupIn(items, results, i);
    const resolved: SubRequest = {
      ...sub,
      path: resolveReferences(sub.path, lookup),
      query: resolveReferences(sub.query, lookup),
      headers: resolveReferences(sub.headers, lookup),
      body: resolveReferences(sub.body, lookup),
    };
    return executeSub(ctx, routes, resolved);
  } catch (err) {
    if (!(err instanceof BadReference)) throw err;
    return refused('INVALID_REFERENCE', err.message, {
      json_path: `$.__composite_requests[${i}]`,
      reference: err.reference,
    });
  }
}

/** What is left out of a rollback: the gate's call log and credits, and the id sequence. */
const KEPT = ['calls', 'credits', 'seq', 'clock_offset_ms'];

/** Everything a sub-request may change. */
function snapshot(ctx: ApiContext): Record<string, unknown> {
  const state = ctx.core.state as unknown as Record<string, unknown>;
  return structuredClone(Object.fromEntries(Object.entries(state).filter(([k]) => !KEPT.includes(k))));
}

function restore(ctx: ApiContext, before: Record<string, unknown>): void {
  const state = ctx.core.state as unknown as Record<string, unknown>;
  for (const key of Object.keys(state)) if (!KEPT.includes(key) && !(key in before)) delete state[key];
  Object.assign(state, before);
  ctx.core.changed();
}

const rolledBack = (code: 'ROLLBACK_PERFORMED' | 'PROCESSING_STOPPED', by: number) =>
  refused(code, 'the transaction was rolled back since another sub request in the same transaction failed.', {
    rollbacked_by_sub_request_index: by,
  });

const reply = (status: number, results: SubResult[], cost?: number): ApiReply => ({
  status,
  body: { __composite_requests: results },
  ...(cost === undefined ? {} : { cost }),
});

/**
 * With `rollback_on_fail` (run in order), the first failing sub-request undoes what ran
 * before it (marked ROLLBACK_PERFORMED), keeps its own answer, and stops the rest
 * (PROCESSING_STOPPED); one refused before running stops them all. The sub-requests run
 * synchronously, so restoring the state taken before them undoes exactly their changes,
 * workflow runs included (Zoho fires workflows only when nothing rolls back).
 */
function runWithRollback(
  ctx: ApiContext,
  routes: readonly CrmRoute[],
  items: Array<SubRequest | SubResult>,
): ApiReply {
  const firstBad = items.findIndex((it) => !isSub(it));
  if (firstBad >= 0)
    return reply(
      400,
      items.map((it) => (isSub(it) ? rolledBack('PROCESSING_STOPPED', firstBad) : it)),
      1,
    );
  const before = snapshot(ctx);
  const results: SubResult[] = [];
  for (let i = 0; i < items.length; i++) {
    const result = runOne(ctx, routes, items, results, i);
    results[i] = result;
    if (!failed(result)) continue;
    restore(ctx, before);
    for (let j = 0; j < i; j++) results[j] = rolledBack('ROLLBACK_PERFORMED', i);
    for (let j = i + 1; j < items.length; j++) results[j] = rolledBack('PROCESSING_STOPPED', i);
    return reply(400, results, 1);
  }
  return reply(200, results, 2);
}

/**
 * Without rollback every sub-request stands alone: 200 when all ran (whatever each
 * answered), 207 when some ran, 400 when none did (Zoho's status codes for the API).
 */
function runEach(
  ctx: ApiContext,
  routes: readonly CrmRoute[],
  items: Array<SubRequest | SubResult>,
  parallel: boolean,
): ApiReply {
  const results: SubResult[] = items.map((it) => (isSub(it) ? undefined : it)) as SubResult[];
  for (const i of runOrder(items, parallel, results)) results[i] = runOne(ctx, routes, items, results, i);
  const ran = results.filter((r) => r.code === 'SUCCESS').length;
  return reply(ran === results.length ? 200 : ran === 0 ? 400 : 207, results);
}

export function prepareComposite(req: FastifyRequest, routes: readonly CrmRoute[]): Prepared | ZohoError {
  const plan = parsePlan(req.body);
  if ('body' in plan) return plan;
  const items = plan.raw.map(parseSub);
  refuseDuplicates(items);
  return {
    // Each sub-request also needs its own scope, checked when it runs.
    scopes: ['ZohoCRM.composite_requests.CUSTOM'],
    concurrency: COMPOSITE_CONCURRENCY,
    heavy: true,
    cost: 1,
    run: (ctx) =>
      plan.rollback ? runWithRollback(ctx, routes, items) : runEach(ctx, routes, items, plan.parallel),
  };
}
