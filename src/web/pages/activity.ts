import type { FastifyInstance } from 'fastify';
import { findConnection } from '../../connections/repo.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import {
  EVENTS_SHOWN,
  type EventScope,
  type EventView,
  eventCounts,
  recentEvents,
  retryEvent,
  type SuggestionState,
} from '../../sync/activity-repo.ts';
import { explainFailure } from '../../sync/troubleshoot.ts';
import type { WebContext } from '../context.ts';
import { notFound, sendProblemPage } from '../views/error-page.ts';
import { type Html, html } from '../views/html.ts';
import { layout } from '../views/layout.ts';
import { badge, emptyState, type Tone, utcMinute } from '../views/ui.ts';
import { tryItNotice } from './try-it.ts';

const REFRESH_SECONDS = 5;

/**
 * The filters, as `?status=` values (the Zoho card links to `/activity?status=failed`). An
 * unknown value shows everything: a stale or mistyped link still lands somewhere useful.
 */
const filters = [
  { key: 'all', label: 'All', status: null, empty: { title: '', text: '' } },
  {
    key: 'failed',
    label: 'Failed',
    status: 'failed',
    empty: { title: 'Nothing failed', text: 'No meeting failed to sync to Zoho CRM.' },
  },
  {
    key: 'in_progress',
    label: 'In progress',
    status: 'queued',
    empty: { title: 'Nothing in progress', text: 'No meeting is being synced right now.' },
  },
  {
    key: 'waiting',
    label: 'Waiting for reconnect',
    status: 'waiting',
    empty: {
      title: 'Nothing waiting for a reconnect',
      text: 'No meeting is waiting for Zoho CRM to be reconnected.',
    },
  },
] as const;
type Filter = (typeof filters)[number];

/**
 * What the page shows: a filter, whether it reloads itself while something syncs (only when
 * asked: a page reloading every few seconds loses a reader's place, WCAG 2.2.1), and the Try
 * it outcome it was sent to with.
 */
interface View {
  filter: Filter;
  autoRefresh: boolean;
  tried: string | undefined;
}

function viewOf(query: unknown, tryIt: boolean): View {
  const q = (query ?? {}) as Record<string, unknown>;
  return {
    filter: filters.find((f) => f.key === q['status']) ?? filters[0],
    autoRefresh: q['refresh'] === 'auto',
    // Kept only when it names a known outcome: never free text carried into links.
    tried: tryIt && tryItNotice(q) && typeof q['tried'] === 'string' ? q['tried'] : undefined,
  };
}

function urlOf(v: View): string {
  const params = new URLSearchParams();
  if (v.filter.status) params.set('status', v.filter.key);
  if (v.tried) params.set('tried', v.tried);
  if (v.autoRefresh) params.set('refresh', 'auto');
  const query = params.toString();
  return query ? `/activity?${query}` : '/activity';
}

/** `/activity`: per booking event, what was found, created or logged in Zoho; failures and Retry. */
export function registerActivityPage(app: FastifyInstance, ctx: WebContext, queue: Pick<JobQueue, 'send'>) {
  app.get('/activity', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const user = req.user!;
    const scope: EventScope = {
      workspaceId: user.workspaceId,
      userId: user.role === 'admin' ? null : user.id,
    };
    const view = viewOf(req.query, Boolean(ctx.tryIt));
    const counts = await eventCounts(ctx.db, scope);
    const countOf = (f: Filter) =>
      f.status ? (counts[f.status] ?? 0) : Object.values(counts).reduce((a, b) => a + b, 0);
    const events = countOf(view.filter) ? await recentEvents(ctx.db, scope, view.filter.status) : [];
    const pageUser = ctx.auth.pageUser(req);
    const inProgress = events.some((e) => e.status === 'queued');
    const body = html`<h1>Activity</h1>
${ctx.tryIt ? tryItNotice(req.query) : ''}
<p class="lede">What PepoSmart did in Zoho CRM for each meeting${user.role === 'admin' ? ' of your workspace' : ''}, newest first.</p>
${inProgress ? progressNotice(view) : ''}
${countOf(filters[0]) ? filterLinks(view, countOf) : ''}
${
  countOf(filters[0]) === 0
    ? await nothingYet(ctx, user)
    : events.length === 0
      ? emptyState({
          id: 'no-matching-activity',
          title: view.filter.empty.title,
          text: view.filter.empty.text,
          action: { href: '/activity', label: 'Show all events' },
        })
      : html`${
          countOf(view.filter) > events.length
            ? html`<p class="hint" id="activity-shown">Showing the ${EVENTS_SHOWN} most recent of ${countOf(view.filter)}.</p>`
            : ''
        }${events.map((e) => eventCard(ctx, e, { id: user.id, csrf: pageUser.csrf }))}`
}`;
    const refresh = inProgress && view.autoRefresh ? { refreshSeconds: REFRESH_SECONDS } : {};
    return reply.type('text/html').send(layout('Activity', pageUser, '/activity', body, refresh));
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
    if (!ok)
      return sendProblemPage(ctx.auth, req, reply, {
        ...notFound(
          'There is no failed event here to retry: it may have been retried already, or it is not yours to retry.',
        ),
        title: 'Nothing to retry',
        back: { href: '/activity', label: 'Back to Activity' },
      });
    return reply.redirect('/activity', 303);
  });
}

function filterLinks(view: View, countOf: (f: Filter) => number): Html {
  // "Waiting for reconnect" only matters when something waits (or a link asked for it).
  const shown = filters.filter((f) => f.key !== 'waiting' || countOf(f) > 0 || f === view.filter);
  return html`<nav aria-label="Filter events by status"><ul class="filters" id="activity-filters">${shown.map(
    (f) =>
      html`<li><a href="${urlOf({ filter: f, autoRefresh: view.autoRefresh, tried: undefined })}" data-filter="${f.key}"${
        f === view.filter ? html` aria-current="page"` : ''
      }>${f.label} (${countOf(f)})</a></li>`,
  )}</ul></nav>`;
}

/** Something listed is syncing: a way to see how it went, and to have the page reload itself meanwhile. */
function progressNotice(view: View): Html {
  if (view.autoRefresh)
    return html`<p class="notice" id="in-progress"><span id="auto-refresh">This page refreshes itself every ${REFRESH_SECONDS} seconds while a meeting is being synced.</span>
<a href="${urlOf({ ...view, autoRefresh: false })}">Stop refreshing</a></p>`;
  return html`<p class="notice" id="in-progress">A meeting is being synced. <a href="${urlOf(view)}">Refresh</a> to see how it went,
or <a href="${urlOf({ ...view, autoRefresh: true })}" id="start-auto-refresh">refresh automatically every ${REFRESH_SECONDS} seconds</a> until it is done.</p>`;
}

/** No events at all: what to do next depends on the viewer's own Zoho connection. */
async function nothingYet(ctx: WebContext, user: { workspaceId: string; id: string }): Promise<Html> {
  const conn = await findConnection(ctx.db, user.workspaceId, user.id);
  if (conn?.status === 'connected')
    return emptyState({
      id: 'no-activity',
      title: 'No meetings yet',
      text: ctx.tryIt
        ? 'Events appear here as meetings are booked. In sandbox mode, send a demo meeting from the Try it panel on Integrations to see one now.'
        : 'Events appear here as meetings are booked: each booking, reschedule, cancellation and its AI meeting notes, with what PepoSmart did in Zoho CRM.',
      ...(ctx.tryIt ? { action: { href: '/integrations#try-it', label: 'Go to Try it' } } : {}),
    });
  if (conn?.status === 'reconnect_needed')
    return emptyState({
      id: 'no-activity',
      title: 'Zoho CRM needs to be reconnected',
      text: 'Reconnect Zoho CRM on Integrations: meetings booked meanwhile wait, and sync once it is reconnected.',
      action: { href: '/integrations', label: 'Reconnect on Integrations' },
    });
  return emptyState({
    id: 'no-activity',
    title: 'Connect Zoho CRM first',
    text: 'Zoho CRM must be connected before PepoSmart can log your meetings there. Connect it on Integrations; events then appear here as meetings are booked.',
    action: { href: '/integrations', label: 'Connect on Integrations' },
  });
}

const statusBadge: Record<string, [Tone, string]> = {
  done: ['ok', 'Synced'],
  queued: ['progress', 'In progress'],
  waiting: ['waiting', 'Waiting for reconnect'],
  failed: ['failed', 'Failed'],
  skipped: ['skipped', 'Skipped'],
};

const kindLabel: Record<string, string> = {
  'booking.created': 'Meeting booked',
  'booking.rescheduled': 'Meeting rescheduled',
  'booking.cancelled': 'Meeting cancelled',
  'meeting.notes_processed': 'AI meeting notes',
};

const MAX_ATTENDEES = 3;

function attendeesLine(e: EventView): Html | string {
  if (!e.attendees.length) return '';
  const named = e.attendees
    .slice(0, MAX_ATTENDEES)
    .map((a, i) => html`${i ? ', ' : ''}${a.name ? html`${a.name} (${a.email})` : a.email}`);
  const more = e.attendees.length - MAX_ATTENDEES;
  return html`<p class="attendees">With ${named}${more > 0 ? ` and ${more} more` : ''}</p>`;
}

function eventCard(ctx: WebContext, e: EventView, viewer: { id: string; csrf: string }): Html {
  const link = (module: string | null, id: string | null) =>
    module && id && e.zoho.dataCentre && e.zoho.orgId
      ? ctx.connections.dataCentres.recordUrl(e.zoho.dataCentre, e.zoho.orgId, module, id)
      : undefined;
  const [tone, label] = statusBadge[e.status] ?? ['neutral', e.status];
  const title =
    e.title ??
    (e.type === 'meeting.notes_processed'
      ? 'Meeting notes for a booking PepoSmart has no record of'
      : 'Meeting');
  const failure = e.status === 'failed' ? explainFailure(e.errorCode) : undefined;
  // Zoho's refusal is usually the event's last line as well: said once, in the explanation.
  const sameAsDetail = (message: string) =>
    failure !== undefined && message.replace(/\.$/, '') === e.detail?.replace(/\.$/, '');
  const lines = e.entries.filter((a) => !(a.action === 'failed' && sameAsDetail(a.message)));
  return html`<section class="card event" id="event-${e.id}" data-status="${e.status}">
  <div class="card-head"><h3>${title}</h3>${badge(tone, label)}</div>
  ${attendeesLine(e)}
  <p class="meta">${kindLabel[e.type] ?? e.type}${e.startsAt ? ` · scheduled ${utcMinute(e.startsAt)}` : ''} · received ${utcMinute(e.receivedAt)}${e.hostName ? ` · host ${e.hostName}` : ''}</p>
  ${
    lines.length
      ? html`<ul class="entries">${lines.map((a) => {
          const href = link(a.module, a.zohoId);
          return html`<li data-action="${a.action}"${a.suggestion ? html` data-suggestion="${a.suggestion.status}"` : ''}>${
            a.suggestion ? suggestionLine(a.suggestion, viewer.id) : a.message
          }${href ? html` <a href="${href}">Open in Zoho CRM</a>` : ''}</li>`;
        })}</ul>`
      : ''
  }
  ${statusNote(e, viewer.id)}
  ${
    failure
      ? html`<div class="problem"><strong>${failure.title}</strong><br>${e.detail ?? ''}<br>What to do: ${failure.check}</div>
  <div class="actions"><form method="post" action="/activity/${encodeURIComponent(e.id)}/retry"><input type="hidden" name="_csrf" value="${viewer.csrf}"><button type="submit" class="retry">Retry</button></form></div>`
      : ''
  }
  <details class="more"><summary>Details for support</summary><dl>
    <dt>Event id</dt><dd><code>${e.id}</code></dd>
    <dt>Booking id</dt><dd><code>${e.bookingId}</code></dd>
    <dt>Event type</dt><dd><code>${e.type}</code></dd>
  </dl></details>
</section>`;
}

/** What an in-progress, waiting or skipped event still needs said beyond its lines. */
function statusNote(e: EventView, viewerId: string): Html | string {
  if (e.status === 'queued' && e.detail) return html`<p class="hint retrying">Retrying: ${e.detail}</p>`;
  if (e.status === 'waiting')
    return e.hostId === viewerId
      ? html`<p class="hint">It syncs once you reconnect Zoho CRM on <a href="/integrations">Integrations</a>.</p>`
      : html`<p class="hint">It syncs once ${e.hostName ?? 'its host'} reconnects Zoho CRM.</p>`;
  // Set when a disconnect ends the wait for a reconnect (activity-repo skipWaiting): no line says so.
  if (e.status === 'skipped' && e.detail === 'disconnected')
    return html`<p class="hint">Not synced: Zoho CRM was disconnected while this meeting waited for a reconnect.</p>`;
  return '';
}

/**
 * A deal-stage suggestion as it stands now. The line written when it was made said "waiting
 * for your approval"; that stops being true once someone decides, so it is never shown as kept.
 */
function suggestionLine(s: SuggestionState, viewerId: string): Html {
  const move = html`Suggested moving the deal “${s.dealName}” from “${s.fromStage}” to “${s.suggestedStage}”`;
  const open = html`<a href="/suggestions/${encodeURIComponent(s.id)}">Open the suggestion</a>`;
  switch (s.status) {
    case 'open':
      return html`${badge('waiting', 'Awaiting approval')} ${move}: waiting for ${
        s.ownerId === viewerId ? 'your' : `${s.ownerName ?? 'its owner'}’s`
      } approval. ${open}.`;
    case 'deciding':
      return html`${badge('progress', 'Being decided')} ${move}: the decision is being carried out. ${open}.`;
    case 'approved':
      return html`${badge('ok', 'Approved')} ${move}: approved. ${s.outcome ?? ''} ${open}.`;
    case 'rejected':
      return html`${badge('skipped', 'Rejected')} ${move}: rejected, so nothing was written to Zoho CRM. ${open}.`;
    default:
      return html`${badge('failed', 'Not carried out')} ${move}: approved, but not carried out. ${s.outcome ?? ''} ${open}.`;
  }
}
