import { findConnectionById } from '../../connections/repo.ts';
import { relevanceRule } from '../../deals/context.ts';
import type { Unavailable } from '../../deals/decide.ts';
import { type Decision, decisionsOf, type Suggestion, type Viewer } from '../../deals/suggestions.ts';
import type { WebContext } from '../context.ts';
import { type Html, html } from '../views/html.ts';
import { utcMinute } from '../views/ui.ts';
import {
  connectionNotice,
  dealFacts,
  isOwner,
  ownersName,
  stageChange,
  statusBadge,
  unavailableNotice,
} from './suggestion-views.ts';

/**
 * A suggestion's page: the move and its evidence, the decision (Approve as the one primary
 * action, Reject beside it; another open deal of the contact may be chosen first), and the log
 * of decisions by name.
 */
export async function suggestionPage(
  ctx: WebContext,
  v: Viewer,
  s: Suggestion,
  options: { chosen: string; problem: Unavailable | undefined; csrf: string },
): Promise<Html> {
  const decisions = await decisionsOf(ctx.db, s.workspaceId, s.id);
  const canDecide = s.status === 'open' && isOwner(s, v);
  // Said before they try: an approval needs the owner's connection (read here, never Zoho).
  const connection =
    canDecide && !options.problem
      ? ((await findConnectionById(ctx.db, s.workspaceId, s.connectionId))?.status ?? 'not_connected')
      : 'connected';
  const meeting = isOwner(s, v) ? 'your meeting' : `${ownersName(s)} meeting`;
  return html`<p class="meta"><a href="/suggestions">All suggestions</a></p>
<h1>${s.dealName}</h1>
<p class="lede">A deal-stage suggestion from ${meeting} “${s.meetingTitle}” with ${s.contactEmail}, made ${utcMinute(s.createdAt)}.</p>
${options.problem ? unavailableNotice(options.problem) : connectionNotice(connection)}
<h2>Suggested stage change</h2>
${summaryCard(v, s, decisions)}
${
  canDecide
    ? html`<h2>Your decision</h2>${decideCard(s, options.chosen, options.csrf)}`
    : s.status === 'open'
      ? html`<h2>Decision</h2><p class="notice" id="decided-by-owner">Waiting for ${ownersName(s)} decision: only ${s.ownerName ?? 'its owner'} can approve or reject it, as it writes through their Zoho CRM connection.</p>`
      : ''
}
${decisions.length ? html`<h2>Decisions</h2>${auditCard(decisions)}` : ''}
<details class="more"><summary>Details for support</summary><dl>
<dt>Suggestion</dt><dd><code>${s.id}</code></dd><dt>Zoho CRM deal</dt><dd><code>${s.dealId}</code></dd>
<dt>Booking</dt><dd><code>${s.bookingId}</code></dd></dl></details>`;
}

function summaryCard(v: Viewer, s: Suggestion, decisions: Decision[]): Html {
  return html`<section class="card" id="suggestion" data-status="${s.status}" aria-label="Suggested stage change">
  <div class="card-head">${stageChange(s.fromStage, s.suggestedStage)}${statusBadge(s, v)}</div>
  ${outcome(s, decisions.at(-1))}
  <dl>
    <dt>Deal</dt><dd>${s.dealName} · ${dealFacts(s.pipeline, s.dealFacts)}</dd>
    <dt>Contact</dt><dd>${s.contactEmail}</dd>
    <dt>Confidence</dt><dd>${Math.round(s.confidence * 100)}%</dd>
    <dt>Buyer intent</dt><dd>${s.intent}</dd>
    <dt>Sentiment</dt><dd>${s.sentiment}</dd>
  </dl>
  <p><strong>Why:</strong> ${s.rationale}</p>
  ${s.evidence.length ? html`<p><strong>Evidence from the transcript</strong></p><ul class="evidence">${s.evidence.map((q) => html`<li><q>${q}</q></li>`)}</ul>` : ''}
  ${s.nextSteps.length ? html`<p><strong>Next steps</strong></p><ul class="next-steps">${s.nextSteps.map((n) => html`<li>${n}</li>`)}</ul>` : ''}
  <p class="hint">${relevanceRule}</p>
</section>`;
}

/** What became of it, below the badge (which already names the status: never repeated here). */
function outcome(s: Suggestion, last: Decision | undefined): Html | '' {
  const by = last ? html` <span class="meta">${decider(last)}, ${utcMinute(last.at)}.</span>` : '';
  switch (s.status) {
    case 'approved':
      return html`<p id="outcome">${s.outcome ?? ''}${by}</p>`;
    case 'rejected':
      return html`<p id="outcome">Nothing was written to Zoho CRM.${by}</p>`;
    case 'conflict':
    case 'failed':
      return html`<div class="problem" id="outcome">${s.outcome ?? 'Nothing was written.'}${by}</div>`;
    case 'deciding':
      return html`<p id="outcome">The decision is being carried out in Zoho CRM: reload the page in a moment.</p>`;
    default:
      return '';
  }
}

/** Who decided, by name (an id means nothing to a reader); the user may have left since. */
const nameOf = (d: Decision) => d.userName ?? 'a former user';

const decider = (d: Decision) => `${d.action === 'reject' ? 'Rejected' : 'Approved'} by ${nameOf(d)}`;

function decideCard(s: Suggestion, chosen: string, csrf: string): Html {
  const deals = [
    {
      id: s.dealId,
      name: s.dealName,
      stage: s.fromStage,
      pipeline: s.pipeline,
      stages: s.stages,
      facts: s.dealFacts,
    },
    ...s.otherDeals,
  ];
  const deal = deals.find((d) => d.id === chosen) ?? deals[0]!;
  const defaultStage = deal.id === s.dealId ? s.suggestedStage : undefined;
  return html`<section class="card" id="decide" aria-label="Your decision">
  ${
    s.otherDeals.length
      ? html`<form method="get" action="/suggestions/${s.id}" class="deal-chooser"><fieldset><legend>Deal to move</legend>
  <p class="hint">${s.contactEmail} has ${deals.length} open deals. Choose another to see its own pipeline’s stages.</p>
  <div class="actions"><select name="deal" id="deal" aria-label="Deal to move">${deals.map(
    (d) =>
      html`<option value="${d.id}"${d.id === deal.id ? html` selected` : ''}>${d.name} (${dealFacts(d.pipeline, d.facts)}; now “${d.stage}”)</option>`,
  )}</select><button type="submit" class="secondary">Show its stages</button></div></fieldset></form>`
      : ''
  }
  <form method="post" action="/suggestions/${s.id}/approve" id="approve-form">
    <input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="deal_id" value="${deal.id}">
    <p><label for="stage">Move “${deal.name}” from “${deal.stage}” to</label>
    <select name="stage" id="stage">${deal.stages
      .filter((x) => x.name !== deal.stage)
      .map(
        (x) =>
          html`<option value="${x.name}"${x.name === defaultStage ? html` selected` : ''}>${x.name}</option>`,
      )}</select></p>
  </form>
  <form method="post" action="/suggestions/${s.id}/reject" id="reject-form"><input type="hidden" name="_csrf" value="${csrf}"></form>
  <p class="hint">Approve writes the new stage to the deal in Zoho CRM, after re-reading it: if its stage changed since this suggestion, nothing is written. Reject writes nothing.</p>
  <div class="actions">
    <button type="submit" form="approve-form" class="approve">Approve</button>
    <button type="submit" form="reject-form" class="secondary reject">Reject</button>
  </div>
</section>`;
}

function auditCard(decisions: Decision[]): Html {
  return html`<section class="card" id="audit" aria-label="Decisions"><ul class="entries">${decisions.map(
    (d) =>
      html`<li data-outcome="${d.outcome}">${auditLine(d)} <span class="meta">${utcMinute(d.at)}</span></li>`,
  )}</ul></section>`;
}

function auditLine(d: Decision): Html {
  const who = nameOf(d);
  if (d.action === 'reject')
    return html`<strong>${who}</strong> rejected it: nothing was written to Zoho CRM.`;
  const move = html`<strong>${who}</strong> approved “${d.fromStage}” → “${d.toStage ?? ''}”`;
  if (d.outcome === 'written') return html`${move}: written to Zoho CRM.`;
  // The detail says what stood in the way, and that nothing was written.
  return html`${move}. ${d.detail ?? 'Nothing was written.'}`;
}
