import { describeProblem } from '../../connections/problems.ts';
import type {
  Connection,
  ConnectionSettings,
  ConnectionStatus,
  EventTypeChoice,
} from '../../connections/repo.ts';
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
export interface CardExtras {
  /** The event types the user's bookings named (connections/sync-choices.ts knownEventTypes). */
  eventTypes?: readonly EventTypeChoice[];
  /** A refused settings form: the message per field and what was typed. */
  settingsProblem?: SettingsProblem;
  /** Sections placed after the settings (Meetings, field values), each its own form. */
  sections?: readonly Html[];
}

export interface SettingsProblem {
  field: 'internal_domains' | 'event_types';
  message: string;
  /** The internal domains as typed, kept for correcting. */
  internalDomains?: string;
}

export function zohoCard(
  c: Connection | undefined,
  dcs: DataCentres,
  csrf: string,
  stats?: SyncStats,
  extras: CardExtras = {},
): Html {
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
  ${c && status !== 'not_connected' ? html`${settingsForm(c, csrf, extras)}${extras.sections ?? []}` : ''}
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

function settingsForm(c: Connection, csrf: string, extras: CardExtras): Html {
  const s = c.settings;
  const problem = extras.settingsProblem;
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
  ${internalFieldset(s, problem)}
  ${eventTypesFieldset(s, extras.eventTypes ?? [], problem)}
  <button type="submit" id="zoho-save-settings">Save settings</button>
</form>`;
}

/** A field's error message and the attributes that tie its control to it. */
function fieldError(problem: SettingsProblem | undefined, field: SettingsProblem['field']) {
  const id = `${field.replace('_', '-')}-error`;
  return problem?.field === field
    ? {
        attrs: html` aria-invalid="true" aria-describedby="${id}"`,
        message: html`<p class="field-error" id="${id}" role="alert">${problem.message}</p>`,
      }
    : { attrs: '', message: '' };
}

/** Who counts as a colleague: left out of Zoho CRM (sync/attendees.ts). */
function internalFieldset(s: ConnectionSettings, problem: SettingsProblem | undefined): Html {
  const err = fieldError(problem, 'internal_domains');
  const typed = problem?.internalDomains ?? s.internalDomains.join(', ');
  return html`<fieldset id="internal-attendees"><legend>Internal attendees</legend>
    <label><input type="checkbox" name="skip_internal" value="on"${s.skipInternal ? html` checked` : ''}> Leave out colleagues: attendees with the meeting host’s own email domain, or one listed below</label>
    <label for="internal_domains">Other internal domains</label>
    <input type="text" id="internal_domains" name="internal_domains" value="${typed}" placeholder="subsidiary.com, partner-agency.com" autocomplete="off"${err.attrs}>
    ${err.message}
    <p class="meta">Separate with commas; subdomains count too. Free-mail domains such as gmail.com never count as internal. Who was left out is shown on the Activity page.</p>
  </fieldset>`;
}

/** Which event types are synced: all, or the chosen ones (sync/attendees.ts eventTypeExcluded). */
function eventTypesFieldset(
  s: ConnectionSettings,
  known: readonly EventTypeChoice[],
  problem: SettingsProblem | undefined,
): Html {
  const err = fieldError(problem, 'event_types');
  const chosen = new Set((s.eventTypes ?? []).map((t) => t.id));
  const all = s.eventTypes === null;
  const radio = (value: string, on: boolean, text: string) =>
    html`<label><input type="radio" name="event_types_mode" value="${value}"${on ? html` checked` : ''}${err.attrs}> ${text}</label>`;
  return html`<fieldset id="event-types"><legend>Event types</legend>
    ${radio('all', all, 'All event types')}
    ${
      known.length
        ? html`${radio('chosen', !all, 'Only these event types:')}
    <div class="choices">${known.map(
      (t) =>
        html`<label><input type="checkbox" name="event_type" value="${t.id}"${chosen.has(t.id) ? html` checked` : ''}> ${t.name}</label>`,
    )}</div>`
        : html`<p class="meta">Event types appear here to choose from once meetings of them are booked.</p>`
    }
    ${err.message}
  </fieldset>`;
}
