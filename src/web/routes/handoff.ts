import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { type HandoffClaims, handoffSpent, spendHandoff, verifyHandoff } from '../../users/handoff.ts';
import type { User } from '../../users/repo.ts';
import { createSession, csrfToken, endSession } from '../../users/sessions.ts';
import { safeNext } from '../auth.ts';
import type { WebContext } from '../context.ts';
import { html } from '../views/html.ts';
import { centered, page } from '../views/layout.ts';

/**
 * `/auth/handoff?token=…&next=…`: sign-in from the scheduling platform (users/handoff.ts).
 *
 * Another site can send a signed-in browser to this URL with a token of its own (login CSRF:
 * the victim would then act, and connect Zoho, as the attacker's user). So when a different
 * user is signed in, the link only asks: a page names both users, and switching is a POST that
 * carries the current session's CSRF token. The token waits in an HttpOnly, SameSite=Strict
 * cookie scoped to this path, never in the page: nothing on it can sign anyone in, and another
 * site can neither read it nor make the browser send it. Its single use is spent only by the
 * switch. The same user, or nobody signed in, signs in at once.
 */
const PENDING_COOKIE = 'pepo_handoff';
const PENDING_PATH = '/auth/handoff';

export function registerHandoff(app: FastifyInstance, ctx: WebContext) {
  const secret = ctx.signIn.mode === 'handoff' ? ctx.signIn.secret : undefined;

  app.get('/auth/handoff', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    if (!secret) return errorPage(reply, 404, 'Sign-in from PepoSmart is not set up on this server.');
    const q = req.query as Record<string, unknown>;
    const token = String(q['token'] ?? '');
    const next = safeNext(q['next']);
    const claims = refusedOr(reply, () => verifyHandoff(secret, token, ctx.clock.now()));
    if (!claims) return reply;
    const current = await ctx.auth.currentSession(req);
    if (current && !sameUser(current.user, claims)) {
      if (await handoffSpent(ctx.db, claims.jti))
        return errorPage(reply, 401, 'Sign-in link refused: already used');
      const maxAge = claims.exp - Math.floor(ctx.clock.now().getTime() / 1000);
      reply.setCookie(
        PENDING_COOKIE,
        token,
        ctx.auth.cookieOptions({ path: PENDING_PATH, sameSite: 'strict', maxAge }),
      );
      return reply.type('text/html').send(askToSwitch(current.user, claims, csrfToken(current.token), next));
    }
    return signIn(req, reply, { claims, next, replaces: current?.token });
  });

  const switchForm = z.object({ jti: z.string(), next: z.string().optional() });
  app.post('/auth/handoff/switch', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const form = switchForm.safeParse(req.body);
    const token = req.cookies[PENDING_COOKIE];
    reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH });
    const gone = 'This sign-in link is no longer waiting here. Open Integrations from PepoSmart again.';
    if (!secret || !token || !form.success) return errorPage(reply, 400, gone);
    const claims = refusedOr(reply, () => verifyHandoff(secret, token, ctx.clock.now()));
    if (!claims) return reply;
    // The page the user answered named this link: a newer one waiting in its place was not asked about.
    if (claims.jti !== form.data.jti) return errorPage(reply, 400, gone);
    return signIn(req, reply, { claims, next: safeNext(form.data.next), replaces: req.sessionToken! });
  });

  /** Spends the link, ends the session it replaces (if any), and starts the new user's. */
  async function signIn(
    req: FastifyRequest,
    reply: FastifyReply,
    { claims, next, replaces }: { claims: HandoffClaims; next: string; replaces: string | undefined },
  ) {
    let user: User;
    try {
      user = await spendHandoff(ctx.db, ctx.clock, claims);
    } catch (err) {
      if (err instanceof AppError) return errorPage(reply, err.httpStatus, err.message);
      throw err;
    }
    if (replaces) await endSession(ctx.db, replaces);
    const session = await createSession(ctx.db, ctx.clock, user);
    ctx.auth.setSessionCookie(reply, session.token);
    req.log.info({ userId: user.id, workspaceId: user.workspaceId }, 'signed in by handoff');
    return reply.redirect(next, 303);
  }
}

const sameUser = (u: User, c: HandoffClaims) => u.workspaceId === c.workspace.id && u.id === c.user.id;

/** The claims, or undefined once a refused link's page is sent. */
function refusedOr(reply: FastifyReply, verify: () => HandoffClaims): HandoffClaims | undefined {
  try {
    return verify();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    void errorPage(reply, err.httpStatus, err.message);
    return undefined;
  }
}

function errorPage(reply: FastifyReply, status: number, message: string) {
  return reply
    .code(status)
    .type('text/html')
    .send(
      page(
        'Sign in',
        centered(html`<h1>You are not signed in</h1><p>${message}</p>`, { id: 'signin-error' }),
      ),
    );
}

function askToSwitch(current: User, claims: HandoffClaims, csrf: string, next: string): string {
  const other = claims.user;
  return page(
    'Switch user?',
    centered(
      html`<h1>Switch to another user?</h1>
<p>You are signed in as <strong>${current.name}</strong> (${current.email}) in ${current.workspaceName}.</p>
<p>This sign-in link is for <strong>${other.name}</strong> (${other.email}) in ${claims.workspace.name}.</p>
<p>Switch only if you just opened Integrations in PepoSmart as that user. A link from anywhere else may be
someone signing you in to their account, so that what you connect goes to them.</p>
<div class="actions"><form method="post" action="/auth/handoff/switch"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="jti" value="${claims.jti}"><input type="hidden" name="next" value="${next}"><button type="submit" class="secondary" id="handoff-switch-confirm">Switch to ${other.name}</button></form>
<a class="button" href="/integrations" id="handoff-stay">Stay signed in as ${current.name}</a></div>`,
      { id: 'handoff-switch' },
    ),
  );
}
