import type { Database } from '../db/port.ts';
import type { ZohoRecords } from '../zoho/api.ts';
import type { AuthSource } from '../zoho/transport.ts';
import { attendeesToSync, eventTypeExcluded, leftOutMessage, onlyInternalMessage } from './attendees.ts';
import type { EventRow, Settings, SyncEffects } from './effects.ts';
import type { BookingEvent } from './event-schema.ts';
import { type MeetingPeople, syncMeeting } from './meetings.ts';
import { bookingNote } from './note-content.ts';
import { SkipEvent } from './notes-sync.ts';

/**
 * A booking event in Zoho: for each attendee (not the host, nor a colleague: attendeesToSync) find the Contact, else the Lead,
 * else create one in the module the user chose, then log a Note on it saying what happened
 * (booked; rescheduled, with the time before; cancelled, with the reason).
 */
export async function syncBooking(
  deps: { db: Database; fx: SyncEffects; records: ZohoRecords },
  e: EventRow & { payload: BookingEvent },
  auth: AuthSource,
  settings: Settings,
): Promise<void> {
  const booking = e.payload.data.booking;
  const excluded = eventTypeExcluded(booking, settings);
  if (excluded) throw new SkipEvent(excluded);
  const { synced, leftOut } = attendeesToSync(booking, settings);
  if (!synced.length && leftOut.length) throw new SkipEvent(onlyInternalMessage(leftOut));
  const internal = leftOutMessage(leftOut);
  if (internal) await deps.fx.activityOnce(e, 'skipped', internal);
  const previous = await previousBooking(deps.db, e);
  const note = bookingNote(e.payload.type, booking, previous);
  const people: MeetingPeople[] = [];
  for (const a of synced) {
    const person = await deps.fx.findOrCreate(e, auth, settings, a);
    if (!person) continue;
    const key = `${e.payload.type}:${booking.id}:${e.payload.id}:${a.email.toLowerCase()}`;
    const logged = await deps.fx.onPerson(e, auth, settings, a, person, (p) =>
      deps.fx.noteOnce(e, auth, p, key, note, settings.trigger),
    );
    if (logged) people.push({ attendee: a, person: logged.person });
  }
  // The Meeting in Zoho CRM's calendar, when the user turned Meetings on (meetings.ts).
  await syncMeeting(deps, e, auth, settings, people, previous);
}

/** The booking as the last earlier event of it had it (what a reschedule changed). */
async function previousBooking(db: Database, e: EventRow & { payload: BookingEvent }) {
  if (e.payload.type !== 'booking.rescheduled') return undefined;
  const { rows } = await db.query<{ payload: BookingEvent }>(
    `SELECT payload FROM events
      WHERE workspace_id = $1 AND booking_id = $2 AND id <> $3
        AND received_at <= (SELECT received_at FROM events WHERE workspace_id = $1 AND id = $3)
        AND type IN ('booking.created', 'booking.rescheduled')
      ORDER BY received_at DESC LIMIT 1`,
    [e.workspace_id, e.payload.data.booking.id, e.id],
  );
  return rows[0]?.payload.data.booking;
}
