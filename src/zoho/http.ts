import { request } from 'undici';
import type { Fetch } from './accounts.ts';
import { noRedirects } from './redirects.ts';

/**
 * How the transport sends one request to the CRM API and reads its whole reply. By default
 * undici's `request` (the HTTP client Node's own fetch is built on, without fetch's WHATWG
 * layer): in phase C of the bench fetch was a quarter of a sync worker's CPU, about 0.4 ms of
 * the thread per call against 0.1 ms for `request` (docs/PERFORMANCE.md, eighth round). It sends
 * through undici's global dispatcher, whose connections are kept alive between calls.
 *
 * No redirect is ever followed (redirects.ts): `request` hands a 3xx back as it is.
 */
export interface HttpRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** The whole call, reply body included, fails after this long. */
  timeoutMs: number;
}

export interface HttpReply {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

export type ZohoHttp = (url: URL, req: HttpRequest) => Promise<HttpReply>;

export const undiciHttp: ZohoHttp = async (url, req) => {
  const res = await request(url, {
    method: req.method as 'GET',
    headers: req.headers,
    ...(req.body === undefined ? {} : { body: req.body }),
    signal: AbortSignal.timeout(req.timeoutMs),
  });
  const text = await res.body.text();
  const headers = res.headers;
  return {
    status: res.statusCode,
    headers: {
      get(name) {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text,
  };
};

/** The same through a fetch (tests that watch or hold the calls a sync makes). */
export function fetchHttp(doFetch: Fetch): ZohoHttp {
  return async (url, req) => {
    const res = await doFetch(url, {
      method: req.method,
      headers: req.headers,
      ...(req.body === undefined ? {} : { body: req.body }),
      signal: AbortSignal.timeout(req.timeoutMs),
      ...noRedirects,
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
}
