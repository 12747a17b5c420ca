import type { ActionItem } from '../analysis/analysis.ts';
import { formatsPerZone } from '../zone-formats.ts';
import { domainOf, isFreeMail } from './email-domains.ts';
import type { BookingEvent } from './event-schema.ts';
import { singleLine } from './names.ts';

/** The Note logged for a booking: what a sales person wants to see in the CRM. Pure. */
type Booking = BookingEvent['data']['booking'];

/**
 * L9: what the booker, the platform or the meeting wrote (a title, a description, a name, a
 * summary, an action item) is kept whole in a Note's or Task's body, but can never pass for a
 * line PepoSmart wrote. The provenance line ("Booking id: … · logged by PepoSmart") is always
 * the last line, and every line of such text that could stand on a line of its own is quoted
 * ("> "): a description holding "Booking id: bk_other · logged by PepoSmart" shows as
 * "> Booking id: …", plainly the booker's words. Quoting rather than dropping such lines, as
 * look-alikes (another alphabet's letters) would slip past any test for "a line that looks like
 * ours"; the booking id itself is one line (the event schema refuses a break in an id).
 */
const lineBreak = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;

/** A block of text, every line of it quoted. */
export function quoted(text: string): string {
  return text
    .split(lineBreak)
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');
}

/** A value after a label ("Location: …"): its first line there, any further lines quoted. */
export function inline(text: string): string {
  const [first = '', ...rest] = text.split(lineBreak);
  return [first, ...rest.map((line) => (line ? `> ${line}` : '>'))].join('\n');
}

const noteProvenance = (bookingId: string) => `Booking id: ${bookingId} · logged by PepoSmart`;
const taskProvenance = (bookingId: string) => `Booking id: ${bookingId} · created by PepoSmart`;

/** Whether a Task's description is one PepoSmart wrote for this booking: its last line says so. */
export function isTaskOf(description: string, bookingId: string): boolean {
  return description.trimEnd().split(lineBreak).at(-1) === taskProvenance(bookingId);
}

const noteFormat = formatsPerZone('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export function formatInZone(iso: string, timeZone: string): string {
  return noteFormat(timeZone).format(new Date(iso));
}

const verbs: Record<BookingEvent['type'], string> = {
  'booking.created': 'Meeting booked',
  'booking.rescheduled': 'Meeting rescheduled',
  'booking.cancelled': 'Meeting cancelled',
};

const when = (b: Pick<Booking, 'start_time' | 'end_time' | 'timezone'>) =>
  `${formatInZone(b.start_time, b.timezone)} – ${formatInZone(b.end_time, b.timezone)} (${b.timezone})`;

/**
 * `previous` is the booking as its last earlier event had it: a rescheduled Note then says
 * what changed (times shown in the booking's current zone, so old and new compare at a glance).
 */
export function bookingNote(
  type: BookingEvent['type'],
  b: Booking,
  previous?: Booking,
): { title: string; content: string } {
  const moved =
    type === 'booking.rescheduled' && previous
      ? `Was: ${when({ ...previous, timezone: b.timezone })}`
      : type === 'booking.rescheduled'
        ? 'Was: (earlier time not known to PepoSmart)'
        : undefined;
  const renamed =
    previous && previous.title !== b.title ? `Previously titled: ${inline(previous.title)}` : undefined;
  const lines = [
    `${verbs[type]}: ${inline(b.title)}`,
    `${type === 'booking.rescheduled' ? 'Now' : 'When'}: ${when(b)}`,
    moved,
    renamed,
    b.video_url ? `Video link: ${b.video_url}` : undefined,
    b.location ? `Location: ${inline(b.location)}` : undefined,
    b.event_type ? `Event type: ${inline(b.event_type.name)}` : undefined,
    b.host.name ? `Host: ${inline(b.host.name)} (${b.host.email})` : `Host: ${b.host.email}`,
    b.cancel_reason ? `Reason: ${inline(b.cancel_reason)}` : undefined,
    b.description ? `\n${quoted(b.description)}` : undefined,
    `\n${noteProvenance(b.id)}`,
  ];
  return {
    title: singleLine(`${verbs[type]}: ${b.title}`).slice(0, 120),
    content: lines.filter(Boolean).join('\n'),
  };
}

/** The meeting summary as a Note, with the action items listed (each also becomes a Task). */
export function summaryNote(
  b: Booking,
  summary: string,
  items: readonly ActionItem[],
): { title: string; content: string } {
  const lines = [
    `Meeting notes: ${inline(b.title)}`,
    `When: ${when(b)}`,
    '',
    quoted(summary.trim()),
    items.length
      ? `\nAction items:\n${items.map((i) => `- ${inline(i.text)} (${i.owner === 'host' ? 'us' : 'them'}, ${i.priority}, due ${i.due})`).join('\n')}`
      : undefined,
    `\n${noteProvenance(b.id)}`,
  ];
  return {
    title: singleLine(`Meeting notes: ${b.title}`).slice(0, 120),
    content: lines.filter((l) => l !== undefined).join('\n'),
  };
}

/** A Task's description: where it comes from and who said it. */
export function taskDescription(b: Booking, item: ActionItem): string {
  return [
    `From the meeting “${inline(b.title)}” on ${formatInZone(b.start_time, b.timezone)} (${b.timezone}).`,
    item.owner === 'attendee' ? 'The attendee committed to this: follow up with them.' : undefined,
    item.quote && item.quote !== item.text ? `Said: “${inline(item.quote)}”` : undefined,
    item.due_inferred ? 'No date was said: the due date follows the priority.' : undefined,
    taskProvenance(b.id),
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * Zoho requires Company on Leads. The email's domain ("acme-corp.com" → "Acme Corp") unless it
 * is a free-mail domain; then the person's own name, as Zoho's web forms do for individuals.
 */
export function leadCompany(email: string, fullName: string): string {
  const domain = email.includes('@') ? domainOf(email) : '';
  if (!domain || isFreeMail(domain)) return singleLine(fullName);
  const label = domain.split('.').slice(0, -1).join(' ') || domain;
  return label
    .split(/[-_.\s]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}
