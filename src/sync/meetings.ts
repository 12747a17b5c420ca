import type { Database } from '../db/port.ts';
import type { RecordResult, ZohoRecords } from '../zoho/api.ts';
import { ZohoError } from '../zoho/errors.ts';
import { type Meeting, mayBeGoneMeeting, zohoDateTime } from '../zoho/events.ts';
import type { AuthSource } from '../zoho/transport.ts';
import { fenced } from './claims.ts';
import type { Attendee, EventRow, Person, Settings, SyncEffects } from './effects.ts';
import type { BookingEvent } from './event-schema.ts';
import { createWithRowValues, rowValuesFor } from './field-write.ts';
import {
  cancelChanges,
  isMeetingOf,
  meetingDescription,
  meetingTitle,
  meetingVenue,
  rescheduleChanges,
} from './meeting-content.ts';
import { formatInZone } from './note-content.ts';

/**
 * A booking as a Meeting in Zoho CRM's calendar (the `Events` module), when the user turned
 * Meetings on and Zoho granted the Meetings scopes (incremental consent, connections/scopes.ts):
 * - `booking.created`: one Meeting, with the first attendee's record (Who_Id for a Contact,
 *   What_Id + $se_module for a Lead) and every attendee's as a participant, owned by the connected
 *   user; kept as the sync reference ('meeting', booking id), made under its claim like every
 *   create (effects.ts `claimed`), so retries, crashes and duplicate jobs make one;
 * - `booking.rescheduled`: that same Meeting moved. One PepoSmart does not know (Meetings were off
 *   when it was booked) or that was deleted in Zoho is added now, at the new time, and kept;
 * - `booking.cancelled`: that Meeting marked cancelled (title and description), never deleted.
 *   Without a known Meeting nothing is written; the Activity page says so.
 * A connection without the Meetings scopes writes nothing and says so once per event.
 */
type Booking = BookingEvent['data']['booking'];

export interface MeetingDeps {
  db: Database;
  fx: SyncEffects;
  /** `records.events` writes the Meetings; the field list is read for the user's field rows. */
  records: ZohoRecords;
}

export interface MeetingPeople {
  attendee: Attendee;
  person: Person;
}

const KIND = 'meeting';

export async function syncMeeting(
  deps: MeetingDeps,
  e: EventRow & { payload: BookingEvent },
  auth: AuthSource,
  settings: Settings,
  people: readonly MeetingPeople[],
  previous: Booking | undefined,
): Promise<void> {
  if (!settings.syncMeetings || !people.length) return;
  const { fx } = deps;
  if (!settings.meetingsGranted) {
    await fx.activityOnce(
      e,
      'skipped',
      "Not added to Zoho CRM's calendar: Meetings are on, but Zoho has not granted PepoSmart the permission for meetings yet. Allow it from the Meetings setting on the Integrations page.",
    );
    return;
  }
  if (e.payload.type === 'booking.created') {
    await meetingOnce(deps, e, auth, settings, people, { create: true });
    return;
  }
  const known = await meetingOnce(deps, e, auth, settings, people, {
    create: e.payload.type === 'booking.rescheduled',
  });
  // None for a reschedule: its attendee is gone from Zoho and may not be added again (said so).
  if (!known) {
    if (e.payload.type === 'booking.cancelled')
      await fx.activityOnce(
        e,
        'skipped',
        `No meeting in Zoho CRM's calendar to mark cancelled: PepoSmart never added one for this booking (Meetings were off, or not yet allowed in Zoho, when it was booked).`,
      );
    return;
  }
  if (known.made) return;
  if (e.payload.type === 'booking.rescheduled')
    await move(deps, e, auth, settings, people, known.id, previous);
  else await markCancelled(deps, e, auth, settings, known.id);
}

/** The kept Meeting moved to the booking's new time; added again when deleted in Zoho since. */
async function move(
  deps: MeetingDeps,
  e: EventRow & { payload: BookingEvent },
  auth: AuthSource,
  settings: Settings,
  people: readonly MeetingPeople[],
  id: string,
  previous: Booking | undefined,
): Promise<void> {
  const b = e.payload.data.booking;
  const changes = rescheduleChanges(b, previous, (iso) => zohoDateTime(iso, b.timezone));
  if (await update(deps, auth, id, changes, settings, 'move')) {
    await deps.fx.activityOnce(
      e,
      'logged',
      `Moved the meeting “${meetingTitle(b)}” in Zoho CRM's calendar to ${formatInZone(b.start_time, b.timezone)} (${b.timezone}).`,
    );
    return;
  }
  await meetingOnce(deps, e, auth, settings, people, { create: true, stale: id });
}

/** The kept Meeting's title and description marked cancelled; it is never deleted. */
async function markCancelled(
  deps: MeetingDeps,
  e: EventRow & { payload: BookingEvent },
  auth: AuthSource,
  settings: Settings,
  id: string,
): Promise<void> {
  const b = e.payload.data.booking;
  const marked = await update(deps, auth, id, cancelChanges(b), settings, 'mark cancelled');
  await deps.fx.activityOnce(
    e,
    marked ? 'logged' : 'skipped',
    marked
      ? `Marked the meeting “${meetingTitle(b)}” cancelled in Zoho CRM's calendar (kept, not deleted).`
      : `The meeting “${meetingTitle(b)}” was deleted in Zoho CRM, so there is nothing to mark cancelled.`,
  );
}

/**
 * The booking's Meeting: the kept one, else (`create`) added now under the claim on it, after an
 * unanswered create first looked for among the first attendee's meetings (by the description's
 * provenance line). `stale`: a kept Meeting found deleted in Zoho, to be replaced. `made`: added
 * (or found after an unanswered create) by this call, with the booking as it is now.
 */
async function meetingOnce(
  deps: MeetingDeps,
  e: EventRow & { payload: BookingEvent },
  auth: AuthSource,
  settings: Settings,
  people: readonly MeetingPeople[],
  opts: { create: boolean; stale?: string },
): Promise<{ id: string; made: boolean } | undefined> {
  const { fx, db } = deps;
  const b = e.payload.data.booking;
  const known = await fx.ref(db, e.connection_id!, KIND, b.id);
  if (known && known.id !== opts.stale) return { id: known.id, made: false };
  const first = people[0]!;
  const what = `the meeting “${meetingTitle(b)}”`;
  const out = await fx.onPerson(e, auth, settings, first.attendee, first.person, (about) =>
    fx.claimed(e, KIND, b.id, what, async (claim, sent) => {
      // Another job may have added it while this one waited for the claim.
      const now = claim.existing;
      if (now && now.id !== opts.stale) return { id: now.id, made: false };
      const earlier = claim.uncertain
        ? (await deps.records.events.invitedOn(auth, about)).find((m) => isMeetingOf(m.description, b.id))
        : undefined;
      if (!earlier && !opts.create) return undefined;
      let id = earlier?.id;
      if (!id) {
        // The send is marked on the claim inside the call's slot, just before it leaves (fenced).
        sent.value = true;
        id = await createMeeting(
          deps,
          e,
          fenced(auth, [claim]),
          settings,
          meetingOf(b, settings, about, people),
        );
      }
      const record = { module: 'Events', id };
      const message = opts.stale
        ? `The meeting PepoSmart had added was deleted in Zoho CRM; added “${meetingTitle(b)}” to Zoho CRM's calendar again.`
        : `Created the meeting “${meetingTitle(b)}” in Zoho CRM's calendar, with ${people.length === 1 ? 'the attendee' : `${people.length} attendees`} as participants.`;
      if (opts.stale && (await fx.replaceRef(e, KIND, b.id, { id: opts.stale }, record)))
        await fx.activity(e, 'created', message, record);
      else await fx.keep(e, KIND, b.id, 'Events', id, { action: 'created', message, record });
      return { id, made: true };
    }),
  );
  return out?.value;
}

/** The Meeting as first written (without the user's field rows: createMeeting adds them). */
function meetingOf(b: Booking, settings: Settings, about: Person, people: readonly MeetingPeople[]): Meeting {
  return {
    title: meetingTitle(b),
    start: b.start_time,
    end: b.end_time,
    timeZone: b.timezone,
    venue: meetingVenue(b),
    description: meetingDescription(b),
    ownerId: settings.zohoUserId,
    about,
    participants: people.map((p) => p.person),
  };
}

/**
 * Adds the Meeting with the values of the user's field rows for Meetings (field-write.ts: checked
 * against the org's cached Events fields; a value Zoho refuses naming its field is left out and
 * the Meeting written again). Every row left out is a line on the Activity page, never a failure.
 */
async function createMeeting(
  deps: MeetingDeps,
  e: EventRow & { payload: BookingEvent },
  auth: AuthSource,
  settings: Settings,
  meeting: Meeting,
): Promise<string> {
  const rv = await rowValuesFor(deps, e, auth, settings.fieldRows, 'Events');
  const { result, warnings } = await createWithRowValues(
    (fields) => deps.records.events.create(auth, { ...meeting, fields }, settings.trigger),
    rv.values,
    rv,
  );
  if (!result.ok) throw deps.fx.failure(result, "add the meeting to Zoho CRM's calendar");
  for (const w of warnings) await deps.fx.activity(e, 'skipped', w, { module: 'Events', id: result.id });
  return result.id;
}

/**
 * Changes the kept Meeting; false when Zoho no longer has it (deleted there). A refusal that
 * may mean it is gone is checked with one read, never read from the message.
 */
async function update(
  deps: MeetingDeps,
  auth: AuthSource,
  id: string,
  fields: Record<string, unknown>,
  settings: Settings,
  what: string,
): Promise<boolean> {
  let result: RecordResult;
  try {
    result = await deps.records.events.update(auth, id, fields, settings.trigger);
  } catch (err) {
    if (err instanceof ZohoError && err.kind === 'not_found' && !(await deps.records.events.exists(auth, id)))
      return false;
    throw err;
  }
  if (result.ok) return true;
  if (mayBeGoneMeeting(result.code) && !(await deps.records.events.exists(auth, id))) return false;
  throw deps.fx.failure(result, `${what} the meeting in Zoho CRM's calendar`);
}
