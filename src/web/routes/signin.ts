import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { findUser, listWorkspaceUsers } from '../../users/repo.ts';
import { createSession, endSession, SESSION_COOKIE } from '../../users/sessions.ts';
import { demoWorkspace } from '../../workspaces/demo.ts';
import { safeNext } from '../auth.ts';
import type { WebContext } from '../context.ts';
import { html } from '../views/html.ts';
import { centered, page } from '../views/layout.ts';

/**
 * `/signin` and sign-out. Users sign in through the scheduling platform (`/auth/handoff`,
 * routes/handoff.ts); only the embedded demo (`ctx.signIn.mode === 'demo'`) has a page to pick
 * a user, and only a user of the demo workspace: a user the platform signed in is never offered.
 */
export function registerSignIn(app: FastifyInstance, ctx: WebContext) {
  app.get('/signin', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const next = safeNext((req.query as Record<string, unknown>)['next']);
    if (ctx.signIn.mode === 'handoff') {
      const body = ctx.signIn.secret
        ? html`<h1>Sign in through PepoSmart</h1>
<p>Open <strong>Settings → Integrations</strong> in PepoSmart; it signs you in here.</p>`
        : html`<h1>Sign-in is not set up on this server</h1>
<p>Users sign in through PepoSmart, and this server has no AUTH_HANDOFF_SECRET to check its sign-in links with. Ask the operator to set it.</p>`;
      return reply.type('text/html').send(page('Sign in', centered(body)));
    }
    const users = await listWorkspaceUsers(ctx.db, demoWorkspace.id);
    return reply.type('text/html').send(
      page(
        'Sign in',
        centered(html`<h1>Sign in (sandbox mode)</h1>
<p class="lede">Pick a demo user. In production, PepoSmart signs users in itself.</p>
<ul id="demo-users" class="people">${users.map(
          (u) =>
            html`<li><form method="post" action="/signin"><input type="hidden" name="workspace_id" value="${u.workspaceId}"><input type="hidden" name="user_id" value="${u.id}"><input type="hidden" name="next" value="${next}"><button type="submit">${u.name}</button> <span class="meta">${u.email} · ${u.workspaceName} (${u.role})</span></form></li>`,
        )}</ul>`),
      ),
    );
  });

  const signInForm = z.object({ workspace_id: z.string(), user_id: z.string(), next: z.string().optional() });
  app.post('/signin', async (req, reply) => {
    if (ctx.signIn.mode !== 'demo')
      return reply.code(404).type('text/plain').send('Sign in through PepoSmart.');
    const form = signInForm.safeParse(req.body);
    const user =
      form.success && form.data.workspace_id === demoWorkspace.id
        ? await findUser(ctx.db, demoWorkspace.id, form.data.user_id)
        : undefined;
    if (!user || !form.success) return reply.code(400).type('text/plain').send('Unknown user.');
    const session = await createSession(ctx.db, ctx.clock, user);
    ctx.auth.setSessionCookie(reply, session.token);
    return reply.redirect(safeNext(form.data.next), 303);
  });

  app.post('/signout', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    await endSession(ctx.db, req.sessionToken!);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/signin', 303);
  });
}
