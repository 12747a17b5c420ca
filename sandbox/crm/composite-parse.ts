import { type ZohoError, zohoError } from '../errors.ts';
import { refused, type SubRequest, type SubResult } from './composite-sub.ts';

/**
 * A composite request's body checked as Zoho's composite API docs describe it: the call as
 * a whole (refused with one error: no `__composite_requests`, more than five, flags that
 * are not booleans or both true) and each sub-request on its own (refused in its place:
 * method, uri pattern and version, sub_request_id pattern and uniqueness, restricted headers).
 */
export const MAX_SUB_REQUESTS = 5;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const URI = /^\/?crm(\/.*)?\/v([0-9]+)(?:[.][0-9]+)?\/(.*)$/;
const URI_REGEX = '/crm(/.*)?/v[0-9]+([.][0-9]+)?/.*';
const ID = /^[a-zA-Z0-9][a-zA-Z0-9_]*$/;
const SERVED_VERSION = 8;

export interface Plan {
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

export function parsePlan(body: unknown): Plan | ZohoError {
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
export function parseSub(raw: unknown, index: number): SubRequest | SubResult {
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

export const isSub = (x: SubRequest | SubResult): x is SubRequest => 'path' in x;

/** Two sub-requests with one sub_request_id: both refused. */
export function refuseDuplicates(items: Array<SubRequest | SubResult>): void {
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
