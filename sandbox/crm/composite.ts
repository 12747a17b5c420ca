import type { FastifyRequest } from 'fastify';
import type { ZohoError } from '../errors.ts';
import { isSub, parsePlan, parseSub, refuseDuplicates } from './composite-parse.ts';
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
export const COMPOSITE_CONCURRENCY = 5;

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
