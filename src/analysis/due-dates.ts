import * as chrono from 'chrono-node';
import { wallClockIn } from '../zone-formats.ts';
import type { Priority } from './analysis.ts';

/**
 * Due dates in the meeting's local calendar (YYYY-MM-DD). A date that was said ("by Monday",
 * "tomorrow", "before the 15th") is read relative to the meeting's local date and time; when
 * none was said, the date follows urgency: High and Highest the next business day, Normal
 * three business days, Low and Lowest seven calendar days. Business days skip Saturday and
 * Sunday (public holidays are not known). Pure.
 */
const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** The wall-clock time of `iso` in `timeZone`, as a Date whose UTC fields hold it ("floating"). */
export function floatingLocal(iso: string, timeZone: string): Date {
  const parts = Object.fromEntries(
    wallClockIn(timeZone)
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return new Date(
    Date.UTC(
      +parts['year']!,
      +parts['month']! - 1,
      +parts['day']!,
      +parts['hour']!,
      +parts['minute']!,
      +parts['second']!,
    ),
  );
}

export const localDate = (iso: string, timeZone: string): string => ymd(floatingLocal(iso, timeZone));

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return ymd(d);
}

export function addBusinessDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return ymd(d);
}

export function dueFromUrgency(meetingDate: string, priority: Priority): string {
  if (priority === 'Highest' || priority === 'High') return addBusinessDays(meetingDate, 1);
  if (priority === 'Normal') return addBusinessDays(meetingDate, 3);
  return addDays(meetingDate, 7);
}

const units = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth'];
const ordinals = [
  ...units,
  'tenth',
  'eleventh',
  'twelfth',
  'thirteenth',
  'fourteenth',
  'fifteenth',
  'sixteenth',
  'seventeenth',
  'eighteenth',
  'nineteenth',
  'twentieth',
  ...units.map((u) => `twenty-${u}`),
  'thirtieth',
  'thirty-first',
];
function ordinalWords(): RegExp {
  return new RegExp(`\\bthe (${[...ordinals].sort((a, b) => b.length - a.length).join('|')})\\b`, 'i');
}

const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** Phrases chrono does not read the way people mean them, rewritten first. */
const rewrites: Array<[RegExp, (m: RegExpExecArray, ref: Date) => string]> = [
  // "end of (this) week" → Friday of this week; "end of next week" → Friday of next week.
  [/\b(?:by |before )?(?:the )?end of (?:the |this )?week\b/i, () => 'this friday'],
  [/\b(?:by |before )?(?:the )?end of next week\b/i, () => 'next friday'],
  [
    /\b(?:by )?(?:eod|end of (?:the )?day|close of business|cob|this afternoon|this morning|this evening|tonight|later today)\b/i,
    () => 'today',
  ],
  // "early next week" → its Tuesday; "next week" → its Friday; "(later) this week" → this Friday.
  [/\bearly next week\b/i, () => 'next tuesday'],
  [/\b(?:some ?time |during |in the course of )?next week\b/i, () => 'next friday'],
  // Not "not this week" / "can't this week": that says when it will not be.
  [/(?<!\b(?:not|can't|cannot|won't)\s+)\b(?:later |sometime |some time )?this week\b/i, () => 'this friday'],
  [/\b(?:by )?end of (?:the )?month\b/i, (_m, ref) => lastOfMonth(ref)],
  // "before the committee on the 18th (of June)": ready the day before the event, the 17th.
  [
    new RegExp(
      String.raw`\bbefore (?:the|your|our|their) (?:[\w-]+ ){1,4}?on the (\d{1,2}(?:st|nd|rd|th)?|${ordinals.join('|')})\b(?:(?:\s+of)?\s+(${months.join('|')}|${months.map((m) => m.slice(0, 3)).join('|')})\b)?`,
      'i',
    ),
    (m, ref) => {
      const n = /^\d/.test(m[1]!) ? Number.parseInt(m[1]!, 10) : ordinals.indexOf(m[1]!.toLowerCase()) + 1;
      const said = m[2] ? months.findIndex((x) => x.startsWith(m[2]!.toLowerCase().slice(0, 3))) : -1;
      const month = said >= 0 ? said : months.indexOf(nextDayOfMonth(ref, n).split(' ')[0]!);
      const event = new Date(Date.UTC(ref.getUTCFullYear(), month, n));
      if (event < new Date(Date.UTC(ref.getUTCFullYear(), ref.getUTCMonth(), ref.getUTCDate())))
        event.setUTCFullYear(event.getUTCFullYear() + 1);
      event.setUTCDate(event.getUTCDate() - 1);
      // The event is today: ready today.
      return ymd(event) < ymd(ref) ? ymd(ref) : ymd(event);
    },
  ],
  // "before the 15th" / "the fifteenth" → the next 15th on or after the meeting.
  [/\bthe (\d{1,2})(?:st|nd|rd|th)\b/i, (m, ref) => nextDayOfMonth(ref, Number(m[1]))],
  [ordinalWords(), (m, ref) => nextDayOfMonth(ref, ordinals.indexOf(m[1]!.toLowerCase()) + 1)],
];

function nextDayOfMonth(ref: Date, day: number): string {
  const month = day >= ref.getUTCDate() ? ref.getUTCMonth() : (ref.getUTCMonth() + 1) % 12;
  return `${months[month]} ${day}`;
}

function lastOfMonth(ref: Date): string {
  const d = new Date(Date.UTC(ref.getUTCFullYear(), ref.getUTCMonth() + 1, 0));
  return ymd(d);
}

/**
 * The date said in `text`, relative to the meeting's local start, or undefined when none was.
 * "Monday" means the next Monday after the meeting; "next Friday" the Friday of next week.
 */
export function statedDue(
  text: string,
  meeting: { start_time: string; timezone: string },
): string | undefined {
  const ref = floatingLocal(meeting.start_time, meeting.timezone);
  // "today's slides", "this morning's recording": a thing named by a time, not a due date.
  let phrase = text.replace(
    /\b(?:today|tomorrow|tonight|yesterday|this (?:morning|afternoon|evening|week|month)|last (?:week|month))['’]s\b/gi,
    'the',
  );
  for (const [pattern, to] of rewrites) {
    const m = pattern.exec(phrase);
    if (m) phrase = phrase.replace(pattern, to(m, ref));
  }
  const results = chrono.parse(phrase, { instant: ref, timezone: 0 }, { forwardDate: true });
  const r = results.find((x) => x.start.isCertain('day') || x.start.isCertain('weekday'));
  if (!r) return undefined;
  const date = ymd(r.start.date());
  // A date before the meeting is about the past ("we watched it Friday"), not a due date.
  return date >= ymd(ref) ? date : undefined;
}
