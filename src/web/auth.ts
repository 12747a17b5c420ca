import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/port.ts';
import type { User } from '../users/repo.ts';
import { csrfToken, csrfValid, resolveSession, SESSION_COOKIE, SESSION_TTL_MS } from '../users/sessions.ts';
import type { PageUser } from './views/layout.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set by `requireUser` on every authenticated route. */
    user: User | null;
    sessionToken: string | null;
  }
}

/**
 * Every authenticated route runs `requireUser`: no session → sign-in (pages) or 401; a
 * state-changing request must also carry the form's CSRF token. What a route may touch is
 * then scoped by `req.user.workspaceId` and `req.user.id` in its queries. Its responses are
 * never stored (a shared computer's browser or a proxy would keep a user's pages after sign-out).
 */
export function createAuth(deps: { db: Database; clock: Clock; secureCookies: boolean }) {
  /** The request's session, if it has a live one; for routes that work signed in or not. */
  async function currentSession(req: FastifyRequest): Promise<{ user: User; token: string } | undefined> {
    const token = req.cookies[SESSION_COOKIE];
    const user = token ? await resolveSession(deps.db, deps.clock, token) : undefined;
    return user && token ? { user, token } : undefined;
  }

  async function requireUser(req: FastifyRequest, reply: FastifyReply) {
    reply.header('cache-control', 'no-store');
    const session = await currentSession(req);
    if (!session) {
      if (req.method === 'GET') {
        // The path only: a callback's query holds a grant code, which must not travel on.
        const next = new URLSearchParams({ next: new URL(req.url, 'http://x').pathname });
        return reply.redirect(`/signin?${next}`, 303);
      }
      return reply.code(401).type('text/plain').send('Sign in first.');
    }
    if (
      req.method !== 'GET' &&
      !csrfValid(session.token, (req.body as Record<string, unknown> | undefined)?.['_csrf'])
    ) {
      return reply
        .code(403)
        .type('text/plain')
        .send('This form has expired. Go back, reload the page and try again.');
    }
    req.user = session.user;
    req.sessionToken = session.token;
  }

  /** HttpOnly, Secure when the app is on https; Lax unless told otherwise. */
  function cookieOptions(options: { path: string; sameSite?: 'lax' | 'strict'; maxAge: number }) {
    return { httpOnly: true, sameSite: 'lax' as const, secure: deps.secureCookies, ...options };
  }

  function setSessionCookie(reply: FastifyReply, token: string) {
    reply.setCookie(SESSION_COOKIE, token, cookieOptions({ path: '/', maxAge: SESSION_TTL_MS / 1000 }));
  }

  function pageUser(req: FastifyRequest): PageUser {
    const u = req.user!;
    return {
      name: u.name,
      email: u.email,
      role: u.role,
      workspaceName: u.workspaceName,
      csrf: csrfToken(req.sessionToken!),
    };
  }

  return { requireUser, currentSession, cookieOptions, setSessionCookie, pageUser };
}

export type Auth = ReturnType<typeof createAuth>;

/**
 * Only local paths may be a post-sign-in destination (no open redirect): printable ASCII, no
 * `//` or `/\` start. Browsers drop tabs and newlines inside URLs, so `/<tab>/evil.example`
 * would become `//evil.example`; such characters are refused outright.
 */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : '/integrations';
}
