import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxCore } from '../core.ts';
import type { DataCenter } from '../dc.ts';
import type { SbOrg, SbUser } from '../state.ts';
import { problemPage } from '../views/html.ts';

/**
 * The sandbox's browser session: which sandbox user this browser signed in as, in a signed
 * cookie (the user id, HMAC'd with the state's cookie secret, so it cannot be forged). One
 * session for every data centre's accounts server, as Zoho's accounts domains share one.
 */
export const SESSION_COOKIE = 'zsb_session';

/** Where a browser signs out: any data centre's accounts server ends the one session. */
export const signOutPath = (dc: DataCenter) => `/${dc}/accounts/signout`;

export function startSession(reply: FastifyReply, user: SbUser): void {
  reply.setCookie(SESSION_COOKIE, user.id, { path: '/', httpOnly: true, sameSite: 'lax', signed: true });
}

export function endSession(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' });
}

export interface Account {
  user: SbUser;
  org: SbOrg;
}

/** The session's user and org, whichever data centre they belong to. */
export function sessionUser(core: SandboxCore, req: FastifyRequest): Account | undefined {
  const raw = req.cookies[SESSION_COOKIE];
  const unsigned = raw ? req.unsignCookie(raw) : undefined;
  const user = unsigned?.valid && unsigned.value ? core.state.users[unsigned.value] : undefined;
  const org = user ? core.state.orgs[user.org_id] : undefined;
  return user && org ? { user, org } : undefined;
}

/**
 * A form that starts or ends the session must come from the sandbox's own pages: a page of
 * another site (or of another port on the same host, which SameSite counts as the same site)
 * could otherwise sign a browser in as a user of its choosing — and the next application to
 * ask would be connected to that Zoho account — or sign it out. Browsers say where a form came
 * from in `Sec-Fetch-Site`, else in `Origin`; a request with neither is no browser's.
 */
export function fromAnotherOrigin(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  return origin !== `${req.protocol}://${req.headers.host}`;
}

export function crossOriginPage(): string {
  return problemPage(
    'Request refused',
    'This form was sent from a page of another site. Sign in or out from the Zoho sandbox’s own pages.',
  );
}
