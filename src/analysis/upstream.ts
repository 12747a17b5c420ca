import type { ActionItem } from './analysis.ts';
import { dueFromUrgency, localDate, statedDue } from './due-dates.ts';
import { priorityFromText, zohoPriority } from './urgency.ts';

/**
 * Action items as the platform sent them (`text`, optional `priority`, `due`, `owner`), made
 * into what a Zoho Task needs: a Zoho priority (given, else read from the words, else Normal),
 * a due date (a given date, else a date said in `due` or in the text, else by urgency) and
 * the side that owns it (given, else the host). Pure.
 */
export function upstreamItems(
  items: ReadonlyArray<{
    text: string;
    priority?: string | undefined;
    due?: string | undefined;
    owner?: string | undefined;
  }>,
  meeting: { start_time: string; timezone: string },
): ActionItem[] {
  const day = localDate(meeting.start_time, meeting.timezone);
  return items.map((item) => {
    const priority = zohoPriority(item.priority) ?? priorityFromText(item.text) ?? 'Normal';
    const given = item.due?.trim();
    const stated = given
      ? /^\d{4}-\d{2}-\d{2}/.test(given)
        ? given.slice(0, 10)
        : statedDue(given, meeting)
      : statedDue(item.text, meeting);
    const owner = item.owner?.trim().toLowerCase();
    return {
      text: item.text.trim().slice(0, 255),
      owner: owner === 'attendee' || owner === 'guest' || owner === 'customer' ? 'attendee' : 'host',
      priority,
      due: stated ?? dueFromUrgency(day, priority),
      due_inferred: !stated,
      quote: item.text.trim(),
    };
  });
}
