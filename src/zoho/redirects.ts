import { ZohoError } from './errors.ts';

/**
 * Every request to Zoho carries a secret: the client secret with a grant code or refresh token
 * (Accounts), or an access token (CRM API). fetch follows a 307 or 308 by sending the same
 * method, body and Authorization header again to wherever the Location points, so redirects
 * are never followed: Accounts' fetch is given `redirect: 'manual'`, which hands the 3xx back,
 * and the CRM's client (http.ts, undici's request) follows none; either way it becomes an error. Zoho
 * documents no redirect on these endpoints, so one means something other than Zoho answered
 * (a proxy, or someone in the middle): not worth a retry, and shown with where it pointed.
 */
export const noRedirects = { redirect: 'manual' } as const satisfies RequestInit;

/** A reply's status and headers: a fetch Response, or the transport's own (http.ts). */
type Reply = { status: number; headers: { get(name: string): string | null } };

/** Throws a ZohoError of kind `redirect` when `res` is one; `what` names the call. */
export function refuseRedirect(res: Reply, url: string | URL, what: string): void {
  if (res.status < 300 || res.status > 399) return;
  throw new ZohoError(
    'redirect',
    `${what} answered with a redirect (HTTP ${res.status}${target(res, url)}); PepoSmart does not follow redirects from Zoho, so nothing was sent there`,
    { status: res.status },
  );
}

/** The host the redirect pointed to: only the host, as its path or query may carry anything. */
function target(res: Reply, url: string | URL): string {
  const location = res.headers.get('location');
  if (!location) return '';
  try {
    return ` to ${new URL(location, url).host}`;
  } catch {
    return ' to an invalid address';
  }
}
