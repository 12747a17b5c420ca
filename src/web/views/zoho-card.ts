import { describeProblem } from '../../connections/problems.ts';
import type { Connection } from '../../connections/repo.ts';
import type { DataCentres } from '../../zoho/datacentres.ts';
import { type Html, html } from './html.ts';

/** The Zoho CRM card: its state, what to do next, and the user's sync settings. */
export function zohoCard(c: Connection | undefined, dcs: DataCentres, csrf: string): Html {
  const status = c?.status ?? 'not_connected';
  const problem = c?.problem ? describeProblem(c.problem.code) : undefined;
  const label = {
    not_connected: 'Not connected',
    connected: 'Connected',
    reconnect_needed: 'Reconnect needed',
  }[status];
  const dc = c?.dataCentre ? dcs.byId(c.dataCentre) : undefined;
  return html`<section class="card" id="zoho-card" data-status="${status}">
  <h3>Zoho CRM</h3>
  <p>Log every booked meeting, AI summary and follow-up task in Zoho CRM.</p>
  <p class="status ${status}" id="zoho-status">${label}</p>
  ${
    status !== 'not_connected' && c?.zohoUser
      ? html`<dl id="zoho-account">
    <dt>Connected as</dt><dd id="zoho-user">${c.zohoUser.name} (${c.zohoUser.email})</dd>
    <dt>Organization</dt><dd id="zoho-org">${c.zohoOrg?.name ?? ''}</dd>
    <dt>Data centre</dt><dd id="zoho-dc">${dc ? `${dc.label} (${dc.id.toUpperCase()})` : c.dataCentre}</dd>
  </dl>`
      : ''
  }
  ${
    problem
      ? html`<div class="problem" id="zoho-problem" data-code="${c?.problem?.code}"><strong>${problem.title}</strong><br>What to do: ${problem.check}</div>`
      : ''
  }
  <div class="actions">${actions(status, csrf)}</div>
  ${c && status !== 'not_connected' ? settingsForm(c, csrf) : ''}
</section>`;
}

function actions(status: Connection['status'], csrf: string): Html {
  if (status === 'not_connected')
    return html`<a class="button" id="zoho-connect" href="/integrations/zoho/connect">Connect</a>`;
  const disconnect = html`<a class="button secondary" id="zoho-disconnect" href="/integrations/zoho/disconnect">Disconnect</a>`;
  if (status === 'reconnect_needed')
    return html`<a class="button" id="zoho-reconnect" href="/integrations/zoho/connect">Reconnect</a>${disconnect}`;
  return html`<form method="post" action="/integrations/zoho/check"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="secondary" id="zoho-check">Check connection</button></form>${disconnect}`;
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
