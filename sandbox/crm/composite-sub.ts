import type { FastifyRequest } from 'fastify';
import { crmErrors } from '../errors.ts';
import { acquireSlot, concurrencyLimit, heavySubLimit } from '../limits.ts';
import { type ApiContext, checkAccess, isError, type Prepare, slotKey } from './gate.ts';

/**
 * One sub-request of a composite request, run through the same prepare and run functions as
 * the plain route it names, with the same scope and permission checks, and answered as
 * Zoho's composite API answers it: executed (`SUCCESS` with the sub-request's own status and
 * body under `details.response`) or refused before it ran (an error entry of its own).
 */
export interface CrmRoute {
  method: string;
  url: string;
  prepare: Prepare;
}

export interface SubRequest {
  index: number;
  id: string | undefined;
  method: string;
  /** The path below `/crm/v8`, without its query. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

export interface Executed {
  code: 'SUCCESS';
  details: { response: { headers: Record<string, string>; status_code: number; body: unknown } };
  message: string;
  status: 'success';
}

export interface Refused {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

export type SubResult = Executed | Refused;

/** Reads inside a composite request give at most 25 records; writes take one record. */
export const MAX_READ_RECORDS = 25;
export const MAX_WRITE_RECORDS = 1;

export function executed(status: number, body: unknown): Executed {
  return {
    code: 'SUCCESS',
    details: {
      response: {
        headers: body === null ? {} : { 'content-type': 'application/json;charset=utf-8' },
        status_code: status,
        body,
      },
    },
    message: 'composite sub request executed successfully',
    status: 'success',
  };
}

export function refused(code: string, message: string, details: Record<string, unknown>): Refused {
  return { code, details, message, status: 'error' };
}

export const failed = (r: SubResult) => r.status === 'error' || r.details.response.status_code >= 400;

/** find-my-way's precedence: a static segment beats a parameter at the same place. */
function match(route: CrmRoute, method: string, segments: string[]): Record<string, string> | undefined {
  if (route.method !== method) return undefined;
  const parts = route.url.split('/').filter(Boolean);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const seg = segments[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return undefined;
  }
  return params;
}

const rank = (route: CrmRoute) =>
  route.url
    .split('/')
    .filter(Boolean)
    .map((p) => (p.startsWith(':') ? '1' : '0'))
    .join('');

export function findRoute(routes: readonly CrmRoute[], method: string, path: string) {
  const segments = path.split('/').filter(Boolean);
  const found = routes
    .map((route) => ({ route, params: match(route, method, segments) }))
    .filter((m) => m.params !== undefined)
    .sort((a, b) => rank(a.route).localeCompare(rank(b.route)));
  return found[0] as { route: CrmRoute; params: Record<string, string> } | undefined;
}

const limitExceeded = (by: string, limit: number) =>
  executed(400, {
    code: 'LIMIT_EXCEEDED',
    details: { by, limit },
    message: 'limit exceeded',
    status: 'error',
  });

/**
 * Zoho's "Allowed APIs" for a composite request: record writes carry one record; reads
 * of records, related records and users give at most 25 (per_page defaults to 25);
 * org and metadata reads are not limited. Answered like the COQL example of Zoho's docs:
 * the sub-request runs and its response is a 400 LIMIT_EXCEEDED.
 */
function limits(sub: SubRequest): Executed | undefined {
  if (sub.method !== 'GET') {
    const data = (sub.body as { data?: unknown } | null)?.data;
    return Array.isArray(data) && data.length > MAX_WRITE_RECORDS
      ? limitExceeded('data', MAX_WRITE_RECORDS)
      : undefined;
  }
  const first = sub.path.split('/').filter(Boolean)[0];
  if (first === 'settings' || first === 'org') return undefined;
  const perPage = sub.query['per_page'];
  if (perPage === undefined) sub.query['per_page'] = String(MAX_READ_RECORDS);
  else if (Number(perPage) > MAX_READ_RECORDS) return limitExceeded('per_page', MAX_READ_RECORDS);
  return undefined;
}

function notSupported(sub: SubRequest): Refused {
  return refused('NOT_SUPPORTED', 'the API is not supported in a composite request', {
    api_name: 'uri',
    json_path: `$.__composite_requests[${sub.index}].uri`,
  });
}

/**
 * A request object carrying what the prepare functions read (method, url, query, params,
 * headers, body): the sub-request stands for a call the client could have made itself.
 */
function subRequestOf(ctx: ApiContext, sub: SubRequest, params: Record<string, string>): FastifyRequest {
  const qs = new URLSearchParams(sub.query).toString();
  return {
    method: sub.method,
    url: `/${ctx.dc}/api/crm/v8${sub.path}${qs ? `?${qs}` : ''}`,
    query: sub.query,
    params,
    body: sub.body,
    headers: { ...sub.headers, authorization: ctx.req.headers.authorization },
  } as unknown as FastifyRequest;
}

export function executeSub(ctx: ApiContext, routes: readonly CrmRoute[], sub: SubRequest): SubResult {
  const found = findRoute(routes, sub.method, sub.path);
  const isBulkDelete = sub.method === 'DELETE' && sub.path.split('/').filter(Boolean).length < 2;
  if (!found || found.route.url === '/__composite_requests' || isBulkDelete) return notSupported(sub);
  const limited = limits(sub);
  if (limited) return limited;
  const req = subRequestOf(ctx, sub, found.params);
  const prepared = found.route.prepare(req, ctx.org);
  if (isError(prepared)) return executed(prepared.status, prepared.body);
  const denied = checkAccess(prepared, ctx.token, ctx.org, ctx.user);
  if (denied) return executed(denied.status, denied.body);
  // The composite holds one heavy slot; a heavy sub-request needs one more while it runs.
  const limit = Math.min(concurrencyLimit(ctx.org, ctx.core.now()), heavySubLimit);
  const release = prepared.heavy ? acquireSlot(ctx.core, slotKey(ctx.org, ctx.token, true), limit) : () => {};
  if (!release) return executed(429, crmErrors.tooManyRequests().body);
  try {
    const out = prepared.run({ ...ctx, req });
    return executed(out.status, out.body ?? null);
  } finally {
    release();
  }
}
