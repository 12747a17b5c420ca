import type { Unavailable } from '../../deals/decide.ts';
import type { DealFacts, Suggestion, Viewer } from '../../deals/suggestions.ts';
import { type Html, html } from '../views/html.ts';
import { badge, type Tone } from '../views/ui.ts';

/**
 * What the Suggestions list and a suggestion's page share: its status as a badge worded for
 * whoever looks (the owner decides; an admin sees whose decision it waits for), the stage change
 * as from → to, and what tells a deal from another of the same name.
 */
export const isOwner = (s: Suggestion, v: Viewer) => s.userId === v.userId;

/** "Sam Rivera’s", or "its owner’s" once that user is gone. */
export const ownersName = (s: Suggestion) => `${s.ownerName ?? 'its owner'}’s`;

export function statusBadge(s: Suggestion, v: Viewer): Html {
  const [tone, label]: [Tone, string] =
    s.status === 'open'
      ? ['waiting', `Waiting for ${isOwner(s, v) ? 'your' : ownersName(s)} decision`]
      : statusBadges[s.status];
  return badge(tone, label);
}

const statusBadges: Record<Exclude<Suggestion['status'], 'open'>, [Tone, string]> = {
  deciding: ['progress', 'Being decided'],
  approved: ['ok', 'Approved'],
  rejected: ['neutral', 'Rejected'],
  conflict: ['failed', 'Not written: the deal changed'],
  failed: ['failed', 'Not written: Zoho CRM refused'],
};

export const stageChange = (from: string, to: string): Html =>
  html`<p class="stage-change"><span class="stage">${from}</span><span class="arrow" role="img" aria-label="to">→</span><span class="stage to">${to}</span></p>`;

/**
 * "Sales pipeline · amount 12,000 · closes 2026-12-31 · owner Ann Lee": what Zoho gave of it when
 * the suggestion was made (the amount in the org's currency, which Zoho does not name per record).
 */
export function dealFacts(pipeline: string, facts: DealFacts): string {
  return [
    `${pipeline} pipeline`,
    facts.amount === null
      ? undefined
      : `amount ${facts.amount.toLocaleString('en-US', { maximumFractionDigits: 2 })}`,
    facts.closingDate ? `closes ${facts.closingDate}` : undefined,
    facts.owner ? `owner ${facts.owner}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * Why an approval was not carried out, and the way on. Only these fixed texts travel (as a code in
 * the address after the redirect); the suggestion is open again for each of them.
 */
export function unavailableNotice(reason: Unavailable): Html {
  const problem = (text: Html) =>
    html`<div class="problem" id="result" role="alert" data-reason="${reason}">${text}</div>`;
  switch (reason) {
    case 'not_connected':
      return problem(
        html`<strong>Not approved: Zoho CRM is not connected.</strong> Nothing was written. <a href="/integrations">Connect Zoho CRM on Integrations</a>, then approve again.`,
      );
    case 'reconnect_needed':
      return problem(
        html`<strong>Not approved: Zoho CRM needs reconnecting.</strong> Zoho no longer accepts PepoSmart’s access, so nothing was written. <a href="/integrations/zoho/connect">Reconnect Zoho CRM</a>, then approve again.`,
      );
    case 'no_access':
      return problem(
        html`<strong>Not approved: Zoho CRM refused access to the deal.</strong> Nothing was written. Your Zoho CRM user may not read or edit Deals (its profile’s permissions, or the edition). Ask your Zoho CRM administrator, then approve again.`,
      );
    case 'unreachable':
      return problem(
        html`<strong>Not approved: Zoho CRM could not be reached.</strong> Nothing was written. Try again in a moment.`,
      );
    case 'unconfirmed':
      return problem(
        html`<strong>Zoho CRM did not confirm the stage change.</strong> It may or may not have been made. Check the deal in Zoho CRM, or approve again: PepoSmart re-reads the deal first and writes only if it is still at the stage this was suggested from, so nothing is written twice.`,
      );
  }
}

export const unavailableReasons: readonly Unavailable[] = [
  'not_connected',
  'reconnect_needed',
  'no_access',
  'unreachable',
  'unconfirmed',
];

/** The owner's Zoho connection, when it cannot carry an approval now: said before they try. */
export function connectionNotice(status: 'connected' | 'not_connected' | 'reconnect_needed'): Html | '' {
  if (status === 'not_connected')
    return html`<div class="problem warn" id="connection-notice">Zoho CRM is not connected: approving needs it. <a href="/integrations">Connect Zoho CRM on Integrations</a> first. Rejecting works without it.</div>`;
  if (status === 'reconnect_needed')
    return html`<div class="problem warn" id="connection-notice">Zoho CRM needs reconnecting: approving needs it. <a href="/integrations/zoho/connect">Reconnect Zoho CRM</a> first. Rejecting works without it.</div>`;
  return '';
}
