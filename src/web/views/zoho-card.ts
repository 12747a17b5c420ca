import { describeProblem } from '../../connections/problems.ts';
import type { Connection, ConnectionStatus } from '../../connections/repo.ts';
import { STATS_DAYS, type SyncStats } from '../../sync/activity-stats.ts';
import type { DataCentres } from '../../zoho/datacentres.ts';
import { type Html, html } from './html.ts';
import { badge, type Tone, utcMinute } from './ui.ts';

/** Where the "Data we access" page is (pages/permissions.ts). */
export const PERMISSIONS_PATH = '/integrations/zoho/permissions';

const states: Record<ConnectionStatus, { tone: Tone; label: string }> = {
  not_connected: { tone: 'neutral', label: 'Not connected' },
  connected: { tone: 'ok', label: 'Connected' },
  reconnect_needed: { tone: 'waiting', label: 'Reconnect needed' },
};

/** A connection's state as a labelled badge (the card, the admins' team table). */
export const connectionBadge = (status: ConnectionStatus, attrs: { id?: string } = {}): Html =>
  badge(states[status].tone, states[status].label, attrs);

/**
 * The Zoho CRM card: its state, what connecting does (before it), how syncing has gone (after),
 * what to do next, and the user's sync settings. `stats`: the connection's figures, when it has
 * a Zoho account to show them for.
 */
export function zohoCard(c: Connection | undefined, dcs: DataCentres, csrf: string, stats?: SyncStats): Html {
  const status = c?.status ?? 'not_connected';
  const problem = c?.problem ? describeProblem(c.problem.code) : undefined;
  const dc = c?.dataCentre ? dcs.byId(c.dataCentre) : undefined;
  const account = status !== 'not_connected' && c?.zohoUser ? c.zohoUser : undefined;
  return html`<section class="card" id="zoho-card" data-status="${status}" aria-labelledby="zoho-card-title">
  <div class="card-head"><h3 id="zoho-card-title">Zoho CRM</h3>${connectionBadge(status, { id: 'zoho-status' })}</div>
  <p class="meta">Log every booked meeting, AI summary and follow-up task in Zoho CRM.</p>
  ${status === 'not_connected' ? whatConnectingDoes : ''}
  ${
    account
      ? html`<dl id="zoho-account">
    <dt>Connected as</dt><dd id="zoho-user">${account.name} (${account.email})</dd>
    <dt>Organization</dt><dd id="zoho-org">${c?.zohoOrg?.name ?? ''}</dd>
    <dt>Data centre</dt><dd id="zoho-dc">${dc ? `${dc.label} (${dc.id.toUpperCase()})` : c?.dataCentre}</dd>
  </dl>`
      : ''
  }
  ${
    problem
      ? html`<div class="problem" id="zoho-problem" data-code="${c?.problem?.code}"><strong>${problem.title}</strong><br>What to do: ${problem.check}</div>`
      : ''
  }
  ${account && stats ? syncFigures(stats) : ''}
  <div class="actions">${actions(status, csrf)}</div>
  ${c && status !== 'not_connected' ? settingsForm(c, csrf) : ''}
</section>`;
}

const whatConnectingDoes = html`<p id="zoho-what">Connecting lets PepoSmart look up each meeting’s attendees in
your Contacts and Leads (adding the ones who are new) and log the meeting, its AI summary and follow-up Tasks
on them. Deal stages change only when you approve a suggestion. Zoho lists every permission for you to
accept.</p>`;

/** Last sync, and the window's counts: failures link to them on the Activity page. */
function syncFigures(s: SyncStats): Html {
  const count = (n: number, what: string, id: string) =>
    html`<li id="${id}"><strong>${n}</strong> ${what}</li>`;
  return html`<div id="zoho-sync">
  <p id="zoho-last-sync">${
    s.lastSyncedAt
      ? html`Last synced <time datetime="${s.lastSyncedAt.toISOString()}">${utcMinute(s.lastSyncedAt)}</time>`
      : 'Nothing synced yet'
  }</p>
  <p class="meta" id="zoho-counts-title">Last ${STATS_DAYS} days</p>
  <ul class="counts" id="zoho-counts" aria-labelledby="zoho-counts-title">
    ${count(s.synced, 'synced', 'zoho-synced')}
    ${
      s.failed > 0
        ? html`<li id="zoho-failed"><a href="/activity?status=failed"><strong>${s.failed}</strong> failed</a></li>`
        : count(0, 'failed', 'zoho-failed')
    }
    ${s.inProgress > 0 ? count(s.inProgress, 'in progress', 'zoho-in-progress') : ''}
    ${s.waiting > 0 ? count(s.waiting, 'waiting for reconnect', 'zoho-waiting') : ''}
  </ul>
</div>`;
}

function actions(status: ConnectionStatus, csrf: string): Html {
  const permissions = html`<a id="zoho-permissions" href="${PERMISSIONS_PATH}">Data we access</a>`;
  if (status === 'not_connected')
    return html`<a class="button" id="zoho-connect" href="/integrations/zoho/connect">Connect</a>${permissions}`;
  const disconnect = html`<a class="button secondary" id="zoho-disconnect" href="/integrations/zoho/disconnect">Disconnect</a>`;
  if (status === 'reconnect_needed')
    return html`<a class="button" id="zoho-reconnect" href="/integrations/zoho/connect">Reconnect</a>${disconnect}${permissions}`;
  return html`<form method="post" action="/integrations/zoho/check"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="secondary" id="zoho-check">Check connection</button></form>${disconnect}${permissions}`;
}

function settingsForm(c: Connection, csrf: string): Html {
  const s = c.settings;
  const check = (name: string, on: boolean, text: string) =>
    html`<label><input type="checkbox" name="${name}" value="on"${on ? html` checked` : ''}> ${text}</label>`;
  return html`<form method="post" action="/integrations/zoho/settings" id="zoho-settings">
  <input type="hidden" name="_csrf" value="${csrf}">
  <fieldset><legend>New attendees become</legend>
    <label><input type="radio" name="new_attendee_module" value="Contacts"${s.newAttendeeModule === 'Contacts' ? html` checked` : ''}> Contacts</label>
    <label><input type="radio" name="new_attendee_module" value="Leads"${s.newAttendeeModule === 'Leads' ? html` checked` : ''}> Leads</label>
  </fieldset>
  <fieldset><legend>Sync</legend>
    ${check('sync_bookings', s.syncBookings, 'Booked, rescheduled and cancelled meetings (Notes)')}
    ${check('sync_notes', s.syncNotes, 'AI meeting summaries (Notes)')}
    ${check('sync_tasks', s.syncTasks, 'Action items (Tasks)')}
    ${check('suggest_deal_stages', s.suggestDealStages, 'Deal-stage suggestions (written only after you approve)')}
  </fieldset>
  <fieldset><legend>Writing to Zoho CRM</legend>
    ${check('only_existing', s.onlyExisting, 'Only log on people already in Zoho CRM; never add anyone')}
    ${check('fire_workflows', s.fireWorkflows, 'Let my Zoho workflow rules run on records PepoSmart writes')}
  </fieldset>
  <button type="submit" id="zoho-save-settings">Save settings</button>
</form>`;
}
