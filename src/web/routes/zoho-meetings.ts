import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { findConnection, updateSettings } from '../../connections/repo.ts';
import { grantsMeetings } from '../../connections/scopes.ts';
import type { WebContext } from '../context.ts';
import { layout } from '../views/layout.ts';
import { MEETINGS_PATH, meetingsConsentStep } from '../views/meetings-setting.ts';

const meetingsForm = z.object({ sync_meetings: z.literal('on').optional() });

/**
 * The Meetings setting (issue 16): saved at once; turned on for a connection whose grant lacks
 * the Meetings scopes, it leads to Zoho's consent again (connect.ts asks for them while the
 * setting is on). Turning it off needs no consent.
 */
export function registerZohoMeetingsRoutes(app: FastifyInstance, ctx: WebContext) {
  const signedIn = { preHandler: ctx.auth.requireUser };

  app.post(MEETINGS_PATH, signedIn, async (req, reply) => {
    const user = req.user!;
    const form = meetingsForm.safeParse(req.body);
    if (!form.success) return reply.code(400).type('text/plain').send('Tick the box or leave it empty.');
    const conn = await findConnection(ctx.db, user.workspaceId, user.id);
    if (!conn || conn.status === 'not_connected') return reply.redirect('/integrations', 303);
    const on = form.data.sync_meetings === 'on';
    await updateSettings(ctx.db, user.workspaceId, conn.id, { ...conn.settings, syncMeetings: on });
    return reply.redirect(
      on && !grantsMeetings(conn.scopes) ? MEETINGS_PATH : '/integrations?done=saved',
      303,
    );
  });

  app.get(MEETINGS_PATH, signedIn, async (req, reply) => {
    const user = req.user!;
    const conn = await findConnection(ctx.db, user.workspaceId, user.id);
    const waiting =
      conn && conn.status !== 'not_connected' && conn.settings.syncMeetings && !grantsMeetings(conn.scopes);
    if (!waiting) return reply.redirect('/integrations', 303);
    const pageUser = ctx.auth.pageUser(req);
    return reply
      .type('text/html')
      .send(layout('Allow meetings in Zoho CRM', pageUser, '/integrations', meetingsConsentStep()));
  });
}
