import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findConnection } from '../../connections/repo.ts';
import { approveSuggestion, type DecisionResult, rejectSuggestion } from '../../deals/decide.ts';
import { findSuggestion, listSuggestions, type Suggestion, type Viewer } from '../../deals/suggestions.ts';
import type { WebContext } from '../context.ts';
import { sendProblemPage } from '../views/error-page.ts';
import { type Html, html } from '../views/html.ts';
import { layout } from '../views/layout.ts';
import { emptyState, utcMinute } from '../views/ui.ts';
import { suggestionPage } from './suggestion-detail.ts';
import {
  connectionNotice,
  dealFacts,
  isOwner,
  ownersName,
  stageChange,
  statusBadge,
  unavailableReasons,
} from './suggestion-views.ts';

/**
 * `/suggestions`: deal-stage suggestions with their evidence; Approve (optionally another stage
 * of the same pipeline, or another open deal of the contact) or Reject. Nothing reaches the
 * Deal before an approval; members see their own, admins the workspace's (deciding stays with
 * the owner of the connection).
 */
const viewer = (req: FastifyRequest): Viewer => ({
  workspaceId: req.user!.workspaceId,
  userId: req.user!.id,
  admin: req.user!.role === 'admin',
});

/** A repeated query parameter arrives as an array: it names nothing, so it counts as absent. */
const queryValue = (req: FastifyRequest, name: string): string | undefined => {
  const v = (req.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
};

const noSuchSuggestion = (ctx: WebContext, req: FastifyRequest, reply: FastifyReply) =>
  sendProblemPage(ctx.auth, req, reply, {
    status: 404,
    title: 'Suggestion not found',
    text: 'There is no suggestion at this address that you can see: it may have been deleted with its meeting, or belong to someone else.',
    back: { href: '/suggestions', label: 'All suggestions' },
  });

export function registerSuggestionsPage(app: FastifyInstance, ctx: WebContext) {
  app.get('/suggestions', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const v = viewer(req);
    const list = await listSuggestions(ctx.db, v);
    const status = (await findConnection(ctx.db, v.workspaceId, v.userId))?.status ?? 'not_connected';
    const waiting = list.filter((s) => s.status === 'open' || s.status === 'deciding');
    const decided = list.filter((s) => !waiting.includes(s));
    const body = html`<h1>Deal-stage suggestions</h1>
<p class="lede">What PepoSmart’s meeting analysis suggests for your deals. Nothing is written to a deal until you approve.${v.admin ? ' As an admin you see your workspace’s; each is decided by its owner, through their Zoho CRM connection.' : ''}</p>
${waiting.some((s) => isOwner(s, v)) ? connectionNotice(status) : ''}
${list.length ? '' : emptyList(status)}
${waiting.length ? html`<h2>Waiting for a decision (${waiting.length})</h2>${waiting.map((s) => listCard(s, v))}` : ''}
${decided.length ? html`<h2>Decided (${decided.length})</h2>${decided.map((s) => listCard(s, v))}` : ''}`;
    return reply.type('text/html').send(layout('Suggestions', ctx.auth.pageUser(req), '/suggestions', body));
  });

  app.get('/suggestions/:id', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const v = viewer(req);
    const s = await findSuggestion(ctx.db, v, String((req.params as Record<string, string>)['id']));
    if (!s) return noSuchSuggestion(ctx, req, reply);
    const code = queryValue(req, 'error');
    const problem = unavailableReasons.find((r) => r === code);
    const pageUser = ctx.auth.pageUser(req);
    const body = await suggestionPage(ctx, v, s, {
      chosen: queryValue(req, 'deal') ?? s.dealId,
      // Only while it is open again: a later visit after a decision shows what was decided.
      problem: s.status === 'open' ? problem : undefined,
      csrf: pageUser.csrf,
    });
    return reply.type('text/html').send(layout(`Suggestion: ${s.dealName}`, pageUser, '/suggestions', body));
  });

  // The page shows the stored outcome; only a fixed code travels in the address.
  const decided = (id: string, r: DecisionResult) =>
    `/suggestions/${encodeURIComponent(id)}${r.kind === 'unavailable' ? `?error=${r.reason}` : ''}`;

  async function answer(req: FastifyRequest, reply: FastifyReply, id: string, r: DecisionResult) {
    if (r.kind !== 'refused') return reply.redirect(decided(id, r), 303);
    if (!(await findSuggestion(ctx.db, viewer(req), id))) return noSuchSuggestion(ctx, req, reply);
    return sendProblemPage(ctx.auth, req, reply, {
      status: 403,
      title: 'Nothing was decided',
      text: r.message,
      back: { href: `/suggestions/${encodeURIComponent(id)}`, label: 'Back to the suggestion' },
    });
  }

  app.post('/suggestions/:id/approve', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const id = String((req.params as Record<string, string>)['id']);
    const form = (req.body ?? {}) as Record<string, string>;
    const r = await approveSuggestion(ctx.connections, viewer(req), id, {
      dealId: form['deal_id'],
      stage: form['stage'],
    });
    return answer(req, reply, id, r);
  });

  app.post('/suggestions/:id/reject', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const id = String((req.params as Record<string, string>)['id']);
    return answer(req, reply, id, await rejectSuggestion(ctx.connections, viewer(req), id));
  });
}

function emptyList(status: 'connected' | 'not_connected' | 'reconnect_needed'): Html {
  if (status === 'connected')
    return emptyState({
      id: 'no-suggestions',
      title: 'No suggestions yet',
      text: 'Suggestions appear here after meetings whose AI notes point to a new stage for one of the attendee’s open deals in Zoho CRM.',
    });
  return emptyState({
    id: 'no-suggestions',
    title: status === 'reconnect_needed' ? 'Zoho CRM needs to be reconnected' : 'Connect Zoho CRM first',
    text: 'Suggestions are made from your meetings’ AI notes and your deals in Zoho CRM, so Zoho CRM must be connected first. Suggestions then appear here after meetings whose notes point to a new stage.',
    action: {
      href: '/integrations',
      label: status === 'reconnect_needed' ? 'Reconnect on Integrations' : 'Connect on Integrations',
    },
  });
}

function listCard(s: Suggestion, v: Viewer): Html {
  const meeting = isOwner(s, v) ? 'your meeting' : `${ownersName(s)} meeting`;
  return html`<article class="card suggestion" id="suggestion-${s.id}" data-status="${s.status}">
  <div class="card-head"><h3><a href="/suggestions/${encodeURIComponent(s.id)}">${s.dealName}</a></h3>${statusBadge(s, v)}</div>
  ${stageChange(s.fromStage, s.suggestedStage)}
  <p class="meta">${dealFacts(s.pipeline, s.dealFacts)} · contact ${s.contactEmail}</p>
  <p class="meta">From ${meeting} “${s.meetingTitle}” · ${utcMinute(s.createdAt)}</p>
</article>`;
}
