import type { Connection } from '../../connections/repo.ts';
import { grantsMeetings, meetingScopes } from '../../connections/scopes.ts';
import { type Html, html } from './html.ts';
import { badge } from './ui.ts';

/** Where the Meetings setting posts, and the consent step it leads to (routes/zoho-meetings.ts). */
export const MEETINGS_PATH = '/integrations/zoho/meetings';

const whyZohoAsks = html`Zoho asks you once more, because adding meetings to its calendar needs
${meetingScopes.length} permissions PepoSmart does not ask for unless you want meetings: to add a
meeting, to move or mark it cancelled, and to check it was not added already. Nothing is ever deleted.`;

/**
 * The Meetings setting on the Zoho CRM card: off by default; turning it on asks Zoho for the
 * Meetings scopes (incremental consent) unless the connection has them. `c`: a connection with a
 * Zoho account (connected or reconnect needed).
 */
export function meetingsSetting(c: Connection, csrf: string): Html {
  const on = c.settings.syncMeetings;
  const granted = grantsMeetings(c.scopes);
  const state = !on
    ? badge('neutral', 'Off', { id: 'meetings-state' })
    : granted
      ? badge('ok', 'On', { id: 'meetings-state' })
      : badge('waiting', "Waiting for Zoho's permission", { id: 'meetings-state' });
  return html`<form method="post" action="${MEETINGS_PATH}" id="zoho-meetings">
  <input type="hidden" name="_csrf" value="${csrf}">
  <fieldset aria-describedby="meetings-why"><legend>Meetings in Zoho CRM's calendar ${state}</legend>
    <label><input type="checkbox" name="sync_meetings" value="on" id="sync-meetings"${on ? html` checked` : ''}> Add meetings to Zoho CRM's calendar</label>
    <p class="meta" id="meetings-what">Each booking becomes a Meeting with its attendees as participants; a reschedule moves it, a cancellation marks it cancelled and keeps it.</p>
    <p class="meta" id="meetings-why">${on && granted ? 'Zoho has granted the permissions this needs.' : whyZohoAsks}</p>
  </fieldset>
  ${on && !granted ? html`<p id="meetings-waiting">Bookings are not added to the calendar until you accept Zoho's request: <a href="${MEETINGS_PATH}" id="meetings-allow">allow it in Zoho</a>.</p>` : ''}
  <button type="submit" class="secondary" id="zoho-save-meetings">Save</button>
</form>`;
}

/**
 * The step between saving the setting and Zoho's consent page: a link, as a form's redirect to
 * Zoho would break the pages' form-action CSP (routes/zoho-connection.ts).
 */
export function meetingsConsentStep(): Html {
  return html`<h1>Allow meetings in Zoho CRM</h1>
<div class="card" id="meetings-consent">
  <p>${whyZohoAsks}</p>
  <p>Zoho shows its permission page again, listing these with the permissions you already gave:</p>
  <ul id="meetings-scopes">${meetingScopes.map((s) => html`<li><code>${s.scope}</code>: ${s.why}</li>`)}</ul>
  <p>Until you accept, bookings keep syncing as before, without meetings.</p>
  <div class="actions"><a class="button" href="/integrations/zoho/connect" id="meetings-continue">Continue to Zoho</a>
  <a class="button secondary" href="/integrations" id="meetings-not-now">Not now</a></div>
</div>`;
}
