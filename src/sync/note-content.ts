import type { ActionItem } from '../analysis/analysis.ts';
import type { BookingEvent } from './event-schema.ts';

/** The Note logged for a booking: what a sales person wants to see in the CRM. Pure. */
type Booking = BookingEvent['data']['booking'];

export function formatInZone(iso: string, timeZone: string): string {
  const d = new Date(iso);
  const date = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
  return date;
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
  const renamed = previous && previous.title !== b.title ? `Previously titled: ${previous.title}` : undefined;
  const lines = [
    `${verbs[type]}: ${b.title}`,
    `${type === 'booking.rescheduled' ? 'Now' : 'When'}: ${when(b)}`,
    moved,
    renamed,
    b.video_url ? `Video link: ${b.video_url}` : undefined,
    b.location ? `Location: ${b.location}` : undefined,
    b.event_type ? `Event type: ${b.event_type.name}` : undefined,
    b.host.name ? `Host: ${b.host.name} (${b.host.email})` : `Host: ${b.host.email}`,
    b.cancel_reason ? `Reason: ${b.cancel_reason}` : undefined,
    b.description ? `\n${b.description}` : undefined,
    `\nBooking id: ${b.id} · logged by PepoSmart`,
  ];
  return { title: `${verbs[type]}: ${b.title}`.slice(0, 120), content: lines.filter(Boolean).join('\n') };
}

/** The meeting summary as a Note, with the action items listed (each also becomes a Task). */
export function summaryNote(
  b: Booking,
  summary: string,
  items: readonly ActionItem[],
): { title: string; content: string } {
  const lines = [
    `Meeting notes: ${b.title}`,
    `When: ${when(b)}`,
    '',
    summary.trim(),
    items.length
      ? `\nAction items:\n${items.map((i) => `- ${i.text} (${i.owner === 'host' ? 'us' : 'them'}, ${i.priority}, due ${i.due})`).join('\n')}`
      : undefined,
    `\nBooking id: ${b.id} · logged by PepoSmart`,
  ];
  return {
    title: `Meeting notes: ${b.title}`.slice(0, 120),
    content: lines.filter((l) => l !== undefined).join('\n'),
  };
}

/** A Task's description: where it comes from and who said it. */
export function taskDescription(b: Booking, item: ActionItem): string {
  return [
    `From the meeting “${b.title}” on ${formatInZone(b.start_time, b.timezone)} (${b.timezone}).`,
    item.owner === 'attendee' ? 'The attendee committed to this: follow up with them.' : undefined,
    item.quote && item.quote !== item.text ? `Said: “${item.quote}”` : undefined,
    item.due_inferred ? 'No date was said: the due date follows the priority.' : undefined,
    `Booking id: ${b.id} · created by PepoSmart`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** Free-mail domains: their domain names no company, so a new Lead's Company comes from elsewhere. */
const freeMail = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.co.uk',
  'hotmail.com',
  'outlook.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.com',
  'yandex.ru',
  'qq.com',
  '163.com',
  'zoho.com',
  'zohomail.com',
]);

/**
 * Zoho requires Company on Leads. The email's domain ("acme-corp.com" → "Acme Corp") unless it
 * is a free-mail domain; then the person's own name, as Zoho's web forms do for individuals.
 */
export function leadCompany(email: string, fullName: string): string {
  const domain = (email.split('@')[1] ?? '').toLowerCase();
  if (!domain || freeMail.has(domain)) return fullName;
  const label = domain.split('.').slice(0, -1).join(' ') || domain;
  return label
    .split(/[-_.\s]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}
