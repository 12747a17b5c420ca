import type { FastifyInstance } from 'fastify';
import type { JobQueue } from '../../jobs/queue.ts';
import { type EventView, recentEvents, retryEvent } from '../../sync/activity-repo.ts';
import { explainFailure } from '../../sync/troubleshoot.ts';
import type { WebContext } from '../context.ts';
import { type Html, html } from '../views/html.ts';
import { layout } from '../views/layout.ts';
import { tryItNotice } from './try-it.ts';

const REFRESH_SECONDS = 5;

/** `/activity`: per booking event, what was found, created or logged in Zoho; failures and Retry. */
export function registerActivityPage(app: FastifyInstance, ctx: WebContext, queue: Pick<JobQueue, 'send'>) {
  app.get('/activity', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const user = req.user!;
    const events = await recentEvents(ctx.db, user.workspaceId, user.role === 'admin' ? null : user.id);
    const pageUser = ctx.auth.pageUser(req);
    const inProgress = events.some((e) => e.status === 'queued');
    const body = html`<h1>Activity</h1>
${ctx.tryIt ? tryItNotice(req.query) : ''}
<p>What PepoSmart did in Zoho CRM for each meeting${user.role === 'admin' ? ' of your workspace' : ''}, newest first.
${inProgress ? html`<span id="auto-refresh">This page refreshes itself every ${REFRESH_SECONDS} seconds while a meeting is being synced.</span>` : ''}</p>
${events.length ? events.map((e) => eventCard(ctx, e, pageUser.csrf)) : html`<p id="no-activity">Nothing yet: events appear here as meetings are booked.</p>`}`;
    return reply
      .type('text/html')
      .send(
        layout(
          'Activity',
          pageUser,
          '/activity',
          body,
          inProgress ? { refreshSeconds: REFRESH_SECONDS } : {},
        ),
      );
  });

  app.post('/activity/:id/retry', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const user = req.user!;
    const id = String((req.params as Record<string, string>)['id']);
    const ok = await retryEvent(
      ctx.db,
      queue,
      { workspaceId: user.workspaceId, userId: user.id, admin: user.role === 'admin' },
      id,
    );
    if (!ok) return reply.code(404).type('text/plain').send('No failed event to retry here.');
    return reply.redirect('/activity', 303);
  });
}

const statusLabel: Record<string, string> = {
  queued: 'In progress',
  waiting: 'Waiting for reconnect',
  done: 'Synced',
  skipped: 'Skipped',
  failed: 'Failed',
};

function eventCard(ctx: WebContext, e: EventView, csrf: string): Html {
  const link = (module: string | null, id: string | null) =>
    module && id && e.zoho.dataCentre && e.zoho.orgId
      ? ctx.connections.dataCentres.recordUrl(e.zoho.dataCentre, e.zoho.orgId, module, id)
      : undefined;
  const failure = e.status === 'failed' ? explainFailure(e.errorCode) : undefined;
  return html`<section class="card event" id="event-${e.id}" data-status="${e.status}">
  <h3>${e.title}</h3>
  <p><span class="status ${e.status}">${statusLabel[e.status] ?? e.status}</span> · ${e.type} · booking <code>${e.bookingId}</code>
  · ${e.receivedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC${e.hostName ? ` · host ${e.hostName}` : ''}</p>
  <ul class="entries">${e.entries.map((a) => {
    const href = link(a.module, a.zohoId);
    return html`<li data-action="${a.action}">${a.message}${href ? html` <a href="${href}">Open in Zoho CRM</a>` : ''}</li>`;
  })}</ul>
  ${e.status === 'queued' && e.detail ? html`<p class="retrying">Retrying: ${e.detail}</p>` : ''}
  ${
    failure
      ? html`<div class="problem"><strong>${failure.title}</strong><br>${e.detail ?? ''}<br>What to do: ${failure.check}</div>
  <form method="post" action="/activity/${encodeURIComponent(e.id)}/retry"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="retry">Retry</button></form>`
      : ''
  }
</section>`;
}
