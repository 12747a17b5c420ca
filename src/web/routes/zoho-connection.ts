import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkConnection } from '../../connections/check.ts';
import { completeConnect, startConnect } from '../../connections/connect.ts';
import { disconnect } from '../../connections/disconnect.ts';
import {
  type EventTypeChoice,
  ensureConnection,
  findConnection,
  updateSettings,
} from '../../connections/repo.ts';
import { knownEventTypes, parseInternalDomains } from '../../connections/sync-choices.ts';
import { resumeWaiting, skipWaiting } from '../../sync/activity-repo.ts';
import type { WebContext } from '../context.ts';
import { integrationsPage, oneOffProblems } from '../pages/integrations.ts';
import { html } from '../views/html.ts';
import { layout } from '../views/layout.ts';
import type { SettingsProblem } from '../views/zoho-card.ts';

/**
 * A repeated parameter arrives as an array; joined, it matches no state, data centre or code,
 * so it is refused like any other wrong value instead of failing the request.
 */
function singleValues(query: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.join(',') : String(v),
    ]),
  );
}

/** Connect, callback, disconnect (with a confirmation step), check and settings. */
export function registerZohoConnectionRoutes(app: FastifyInstance, ctx: WebContext) {
  const signedIn = { preHandler: ctx.auth.requireUser };
  const actor = (u: { workspaceId: string; id: string }) => ({ workspaceId: u.workspaceId, userId: u.id });

  // A link, not a form: a form's redirect to Zoho would break the pages' form-action CSP.
  app.get('/integrations/zoho/connect', signedIn, async (req, reply) => {
    // Another site linking here would start a consent (and, accepted, replace the grant).
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site')
      return reply.code(403).type('text/plain').send('Start connecting from the Integrations page.');
    const url = await startConnect(ctx.connections, actor(req.user!));
    return reply.redirect(url, 303);
  });

  app.get('/integrations/zoho/callback', signedIn, async (req, reply) => {
    const user = req.user!;
    const outcome = await completeConnect(ctx.connections, actor(user), singleValues(req.query));
    if (outcome.ok && ctx.queue) await resumeWaiting(ctx.db, ctx.queue, user.workspaceId, user.id);
    // A refused state is on no card (connect.ts): the page says so once, by a fixed code.
    const target = outcome.ok
      ? '/integrations?done=connected'
      : oneOffProblems.includes(outcome.problem)
        ? `/integrations?failed=${outcome.problem}`
        : '/integrations';
    return reply.redirect(target, 303);
  });

  app.get('/integrations/zoho/disconnect', signedIn, async (req, reply) => {
    const user = req.user!;
    const conn = await findConnection(ctx.db, user.workspaceId, user.id);
    const pageUser = ctx.auth.pageUser(req);
    if (!conn || conn.status === 'not_connected') return reply.redirect('/integrations', 303);
    const body = html`<h1>Disconnect Zoho CRM?</h1>
<div class="card" id="disconnect-confirm"><p>PepoSmart will delete its access to
<strong>${conn.zohoOrg?.name ?? 'your Zoho CRM'}</strong>${conn.zohoUser ? ` (${conn.zohoUser.email})` : ''} and revoke it at Zoho.
Meetings will no longer be logged. Contacts, Leads, Notes and Tasks already in Zoho CRM stay.</p>
<div class="actions"><form method="post" action="/integrations/zoho/disconnect"><input type="hidden" name="_csrf" value="${pageUser.csrf}">
<button type="submit" class="danger" id="confirm-disconnect">Disconnect</button></form>
<a class="button secondary" href="/integrations" id="cancel-disconnect">Cancel</a></div></div>`;
    return reply.type('text/html').send(layout('Disconnect Zoho CRM', pageUser, '/integrations', body));
  });

  app.post('/integrations/zoho/disconnect', signedIn, async (req, reply) => {
    await disconnect(ctx.connections, actor(req.user!));
    await skipWaiting(ctx.db, req.user!.workspaceId, req.user!.id);
    return reply.redirect('/integrations?done=disconnected', 303);
  });

  app.post('/integrations/zoho/check', signedIn, async (req, reply) => {
    const result = await checkConnection(ctx.connections, actor(req.user!));
    return reply.redirect(result === 'ok' ? '/integrations?done=checked' : '/integrations', 303);
  });

  const checkbox = z.literal('on').optional();
  const settingsForm = z.object({
    new_attendee_module: z.enum(['Contacts', 'Leads']),
    sync_bookings: checkbox,
    sync_notes: checkbox,
    sync_tasks: checkbox,
    suggest_deal_stages: checkbox,
    only_existing: checkbox,
    fire_workflows: checkbox,
    skip_internal: checkbox,
    internal_domains: z.string().max(5000).optional(),
    event_types_mode: z.enum(['all', 'chosen']).optional(),
    event_type: z.union([z.string(), z.array(z.string())]).optional(),
  });
  app.post('/integrations/zoho/settings', signedIn, async (req, reply) => {
    const user = req.user!;
    const form = settingsForm.safeParse(req.body);
    if (!form.success)
      return reply.code(400).type('text/plain').send('Choose Contacts or Leads for new attendees.');
    const f = form.data;
    const conn = await ensureConnection(ctx.db, user.workspaceId, user.id);
    const refuse = async (problem: SettingsProblem) =>
      reply
        .code(400)
        .type('text/html')
        .send(await integrationsPage(ctx, req, { settingsProblem: problem }));
    const domains = parseInternalDomains(f.internal_domains ?? '');
    if (!domains.ok)
      return refuse({
        field: 'internal_domains',
        message: domains.message,
        internalDomains: f.internal_domains ?? '',
      });
    let eventTypes: EventTypeChoice[] | null = null;
    if (f.event_types_mode === 'chosen') {
      const ids = new Set([f.event_type ?? []].flat());
      // Only types the card offered: their names come from the bookings, never from the form.
      const known = await knownEventTypes(ctx.db, user.workspaceId, user.id, conn.settings.eventTypes);
      eventTypes = known.filter((t) => ids.has(t.id));
      if (!eventTypes.length)
        return refuse({
          field: 'event_types',
          message: 'Tick at least one event type, or choose All event types.',
          internalDomains: f.internal_domains ?? '',
        });
    }
    await updateSettings(ctx.db, user.workspaceId, conn.id, {
      ...conn.settings,
      newAttendeeModule: f.new_attendee_module,
      syncBookings: f.sync_bookings === 'on',
      syncNotes: f.sync_notes === 'on',
      syncTasks: f.sync_tasks === 'on',
      suggestDealStages: f.suggest_deal_stages === 'on',
      onlyExisting: f.only_existing === 'on',
      fireWorkflows: f.fire_workflows === 'on',
      skipInternal: f.skip_internal === 'on',
      internalDomains: domains.domains,
      eventTypes,
    });
    return reply.redirect('/integrations?done=saved', 303);
  });
}
