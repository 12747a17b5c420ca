import type { FastifyInstance, FastifyRequest } from 'fastify';
import { relevanceRule } from '../../deals/context.ts';
import { approveSuggestion, type DecisionResult, rejectSuggestion } from '../../deals/decide.ts';
import {
  decisionsOf,
  findSuggestion,
  listSuggestions,
  type Suggestion,
  type Viewer,
} from '../../deals/suggestions.ts';
import type { WebContext } from '../context.ts';
import { type Html, html } from '../views/html.ts';
import { layout } from '../views/layout.ts';

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

const statusLabel: Record<Suggestion['status'], string> = {
  open: 'Waiting for your decision',
  deciding: 'Being decided',
  approved: 'Approved: stage written',
  rejected: 'Rejected',
  conflict: 'Not written: the deal changed',
  failed: 'Not written: Zoho CRM refused',
};

export function registerSuggestionsPage(app: FastifyInstance, ctx: WebContext) {
  app.get('/suggestions', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const v = viewer(req);
    const list = await listSuggestions(ctx.db, v);
    const body = html`<h1>Deal-stage suggestions</h1>
<p>What PepoSmart’s meeting analysis suggests for your deals. Nothing is written to a Deal until you approve.${v.admin ? ' As an admin you see your workspace’s; each is decided by its owner.' : ''}</p>
${
  list.length
    ? html`<ul class="suggestions">${list.map(
        (s) =>
          html`<li class="card" data-status="${s.status}"><a href="/suggestions/${s.id}">${s.dealName}</a>: “${s.fromStage}” → “${s.suggestedStage}” · ${statusLabel[s.status]} · ${s.meetingTitle}${v.admin && s.userId !== v.userId ? ` · ${s.ownerName ?? s.userId}` : ''}</li>`,
      )}</ul>`
    : html`<p id="no-suggestions">No suggestions yet: they appear after meetings whose notes point to a new stage.</p>`
}`;
    return reply.type('text/html').send(layout('Suggestions', ctx.auth.pageUser(req), '/suggestions', body));
  });

  app.get('/suggestions/:id', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const v = viewer(req);
    const s = await findSuggestion(ctx.db, v, String((req.params as Record<string, string>)['id']));
    if (!s) return reply.code(404).type('text/plain').send('No such suggestion here.');
    const chosen = String((req.query as Record<string, string>)['deal'] ?? s.dealId);
    const message =
      (req.query as Record<string, string>)['error'] === 'unavailable'
        ? 'Zoho CRM could not be reached (or needs reconnecting): nothing was written. Try again in a moment.'
        : undefined;
    return reply
      .type('text/html')
      .send(
        layout(
          'Suggestion',
          ctx.auth.pageUser(req),
          '/suggestions',
          await detail(ctx, v, s, chosen, message, ctx.auth.pageUser(req).csrf),
        ),
      );
  });

  // The page shows the stored outcome; only a fixed message travels in the address.
  const decided = (id: string, r: DecisionResult) =>
    `/suggestions/${id}${r.kind === 'unavailable' ? '?error=unavailable' : ''}`;

  app.post('/suggestions/:id/approve', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const id = String((req.params as Record<string, string>)['id']);
    const form = (req.body ?? {}) as Record<string, string>;
    const r = await approveSuggestion(ctx.connections, viewer(req), id, {
      dealId: form['deal_id'],
      stage: form['stage'],
    });
    if (r.kind === 'refused' && !(await findSuggestion(ctx.db, viewer(req), id)))
      return reply.code(404).type('text/plain').send('No such suggestion here.');
    if (r.kind === 'refused') return reply.code(403).type('text/plain').send(r.message);
    return reply.redirect(decided(id, r), 303);
  });

  app.post('/suggestions/:id/reject', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const id = String((req.params as Record<string, string>)['id']);
    const r = await rejectSuggestion(ctx.connections, viewer(req), id);
    if (r.kind === 'refused' && !(await findSuggestion(ctx.db, viewer(req), id)))
      return reply.code(404).type('text/plain').send('No such suggestion here.');
    if (r.kind === 'refused') return reply.code(403).type('text/plain').send(r.message);
    return reply.redirect(decided(id, r), 303);
  });
}

async function detail(
  ctx: WebContext,
  v: Viewer,
  s: Suggestion,
  chosen: string,
  message: string | undefined,
  csrf: string,
): Promise<Html> {
  const decisions = await decisionsOf(ctx.db, s.workspaceId, s.id);
  const deals = [
    { id: s.dealId, name: s.dealName, stage: s.fromStage, pipeline: s.pipeline, stages: s.stages },
    ...s.otherDeals,
  ];
  const deal = deals.find((d) => d.id === chosen) ?? deals[0]!;
  const defaultStage = deal.id === s.dealId ? s.suggestedStage : undefined;
  const canDecide = s.status === 'open' && s.userId === v.userId;
  return html`<h1>${s.dealName}: “${s.fromStage}” → “${s.suggestedStage}”</h1>
${message ? html`<p class="notice" id="result">${message}</p>` : ''}
<section class="card" id="suggestion" data-status="${s.status}">
  <p><strong>${statusLabel[s.status]}</strong>${s.outcome ? html` — ${s.outcome}` : ''}</p>
  <p>From the meeting “${s.meetingTitle}” with ${s.contactEmail} · pipeline ${s.pipeline} · confidence ${Math.round(s.confidence * 100)}%</p>
  <p>Buyer intent <strong>${s.intent}</strong> · sentiment <strong>${s.sentiment}</strong></p>
  <p>Why: ${s.rationale}</p>
  ${s.evidence.length ? html`<h3>Evidence from the transcript</h3><ul class="evidence">${s.evidence.map((q) => html`<li><q>${q}</q></li>`)}</ul>` : ''}
  ${s.nextSteps.length ? html`<h3>Next steps</h3><ul class="next-steps">${s.nextSteps.map((n) => html`<li>${n}</li>`)}</ul>` : ''}
  <p class="hint">${relevanceRule}</p>
</section>
${
  canDecide
    ? html`<section class="card" id="decide">
  ${
    s.otherDeals.length
      ? html`<form method="get" action="/suggestions/${s.id}"><label>Deal <select name="deal">${deals.map(
          (d) =>
            html`<option value="${d.id}"${d.id === deal.id ? html` selected` : ''}>${d.name} (${d.pipeline}, now “${d.stage}”)</option>`,
        )}</select></label> <button type="submit">Show its stages</button></form>`
      : ''
  }
  <form method="post" action="/suggestions/${s.id}/approve">
    <input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="deal_id" value="${deal.id}">
    <label>Move “${deal.name}” from “${deal.stage}” to <select name="stage" id="stage">${deal.stages
      .filter((x) => x.name !== deal.stage)
      .map(
        (x) =>
          html`<option value="${x.name}"${x.name === defaultStage ? html` selected` : ''}>${x.name}</option>`,
      )}</select></label>
    <button type="submit" class="approve">Approve</button>
  </form>
  <form method="post" action="/suggestions/${s.id}/reject"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="reject">Reject</button></form>
  <p class="hint">Approving re-reads the deal first: if its stage changed since this suggestion, nothing is written.</p>
</section>`
    : s.status === 'open'
      ? html`<p class="hint">Only ${s.ownerName ?? 'its owner'} can decide: it writes through their Zoho connection.</p>`
      : ''
}
${
  decisions.length
    ? html`<section class="card" id="audit"><h3>Decisions</h3><ul>${decisions.map(
        (d) =>
          html`<li data-outcome="${d.outcome}">${d.at.toISOString().replace('T', ' ').slice(0, 19)} UTC · ${d.userId} · ${d.action} · “${d.fromStage}”${d.toStage ? ` → “${d.toStage}”` : ''} · ${d.outcome}${d.detail ? ` — ${d.detail}` : ''}</li>`,
      )}</ul></section>`
    : ''
}
<p><a href="/suggestions">All suggestions</a></p>`;
}
