import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { acceptHandoff } from '../../users/handoff.ts';
import { findUser, listAllUsers } from '../../users/repo.ts';
import { createSession, endSession, SESSION_COOKIE } from '../../users/sessions.ts';
import { safeNext } from '../auth.ts';
import type { WebContext } from '../context.ts';
import { html } from '../views/html.ts';
import { page } from '../views/layout.ts';

/**
 * Sign-in. In production the scheduling platform hands over a signed token
 * (`/auth/handoff`); in sandbox mode a page lists the demo users to pick from.
 */
export function registerSignIn(app: FastifyInstance, ctx: WebContext) {
  app.get('/signin', async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>)['next']);
    if (!ctx.sandbox) {
      return reply.type('text/html').send(
        page(
          'Sign in',
          html`<div class="center card"><h1>Sign in through PepoSmart</h1>
<p>Open <strong>Settings → Integrations</strong> in PepoSmart; it signs you in here.</p></div>`,
        ),
      );
    }
    const users = await listAllUsers(ctx.db);
    return reply.type('text/html').send(
      page(
        'Sign in',
        html`<div class="center card"><h1>Sign in (sandbox mode)</h1>
<p>Pick a demo user. In production, PepoSmart signs users in itself.</p>
<ul id="demo-users">${users.map(
          (u) =>
            html`<li><form method="post" action="/signin"><input type="hidden" name="workspace_id" value="${u.workspaceId}"><input type="hidden" name="user_id" value="${u.id}"><input type="hidden" name="next" value="${next}"><button type="submit">${u.name}</button> ${u.email} · ${u.workspaceName} (${u.role})</form></li>`,
        )}</ul></div>`,
      ),
    );
  });

  const signInForm = z.object({ workspace_id: z.string(), user_id: z.string(), next: z.string().optional() });
  app.post('/signin', async (req, reply) => {
    if (!ctx.sandbox) return reply.code(404).type('text/plain').send('Sign in through PepoSmart.');
    const form = signInForm.safeParse(req.body);
    const user = form.success ? await findUser(ctx.db, form.data.workspace_id, form.data.user_id) : undefined;
    if (!user || !form.success) return reply.code(400).type('text/plain').send('Unknown user.');
    const session = await createSession(ctx.db, ctx.clock, user);
    ctx.auth.setSessionCookie(reply, session.token);
    return reply.redirect(safeNext(form.data.next), 303);
  });

  app.get('/auth/handoff', async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    if (!ctx.handoffSecret)
      return reply.code(404).type('text/plain').send('Handoff sign-in is not configured.');
    const user = await acceptHandoff(ctx.db, ctx.clock, ctx.handoffSecret, String(q['token'] ?? ''));
    const session = await createSession(ctx.db, ctx.clock, user);
    ctx.auth.setSessionCookie(reply, session.token);
    req.log.info({ userId: user.id, workspaceId: user.workspaceId }, 'signed in by handoff');
    return reply.redirect(safeNext(q['next']), 303);
  });

  app.post('/signout', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    await endSession(ctx.db, req.sessionToken!);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/signin', 303);
  });
}
