import { MEETING_TEXT_MAX } from '../zoho/events.ts';
import type { BookingEvent } from './event-schema.ts';
import { singleLine } from './names.ts';
import { inline, quoted } from './note-content.ts';

/**
 * What a booking's Meeting in Zoho CRM's calendar says. Pure. As in a Note (note-content.ts, L9),
 * the booker's words are quoted and the provenance line is always the description's last: it is
 * how an unanswered create is recognised among the attendee's meetings (isMeetingOf).
 */
type Booking = BookingEvent['data']['booking'];

const CANCELLED = 'Cancelled: ';

const provenance = (bookingId: string) => `Booking id: ${bookingId} · added by PepoSmart`;

/** Whether a meeting's description is one PepoSmart wrote for this booking: its last line says so. */
export function isMeetingOf(description: string, bookingId: string): boolean {
  return (
    description
      .trimEnd()
      .split(/\r\n|[\n\r]/)
      .at(-1) === provenance(bookingId)
  );
}

/** The title; a cancelled booking's starts with "Cancelled: ", kept within Zoho's 255. */
export function meetingTitle(b: Booking, cancelled = false): string {
  return singleLine(`${cancelled ? CANCELLED : ''}${b.title}`).slice(0, MEETING_TEXT_MAX);
}

/** Where it takes place: the video link, else the location (one line). */
export function meetingVenue(b: Booking): string | undefined {
  const venue = b.video_url ?? (b.location ? singleLine(b.location) : undefined);
  return venue ? venue.slice(0, MEETING_TEXT_MAX) : undefined;
}

/** The description: the booking's own words, its details, a cancellation's reason, provenance. */
export function meetingDescription(b: Booking, cancelled = false): string {
  const lines = [
    cancelled
      ? `Cancelled${b.cancel_reason ? `. Reason: ${inline(b.cancel_reason)}` : ' (no reason given)'}`
      : undefined,
    b.event_type ? `Event type: ${inline(b.event_type.name)}` : undefined,
    b.host.name ? `Host: ${inline(b.host.name)} (${b.host.email})` : `Host: ${b.host.email}`,
    b.video_url ? `Video link: ${b.video_url}` : undefined,
    b.location ? `Location: ${inline(b.location)}` : undefined,
    `Time zone: ${b.timezone}`,
    b.description ? `\n${quoted(b.description)}` : undefined,
    `\n${provenance(b.id)}`,
  ];
  return lines.filter(Boolean).join('\n');
}

/**
 * What a reschedule changes on the Meeting: start and end always; the title and the venue when
 * they changed since the booking as PepoSmart last had it (`previous`; unknown: both written),
 * so an edit made in Zoho to a field the booking did not change is kept.
 */
export function rescheduleChanges(
  b: Booking,
  previous: Booking | undefined,
  at: (iso: string) => string,
): Record<string, unknown> {
  const title = meetingTitle(b);
  const venue = meetingVenue(b);
  return {
    Start_DateTime: at(b.start_time),
    End_DateTime: at(b.end_time),
    ...(!previous || meetingTitle(previous) !== title ? { Event_Title: title } : {}),
    ...(!previous || meetingVenue(previous) !== venue ? { Venue: venue ?? null } : {}),
    Description: meetingDescription(b),
  };
}

/** What a cancellation changes: the title marked, the reason in the description; nothing deleted. */
export function cancelChanges(b: Booking): Record<string, unknown> {
  return { Event_Title: meetingTitle(b, true), Description: meetingDescription(b, true) };
}
