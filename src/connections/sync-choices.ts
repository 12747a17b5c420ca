import type { Queryable } from '../db/port.ts';
import { isFreeMail } from '../sync/email-domains.ts';
import type { EventTypeChoice } from './repo.ts';

/** At most this many internal domains per connection. */
export const MAX_INTERNAL_DOMAINS = 50;

const domainPattern =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * The internal domains a user typed: separated by commas, semicolons or spaces; "@acme.com"
 * and "*.acme.com" read as acme.com (subdomains count anyway); lower case, each once. Refused,
 * with a message naming it, when one is not a domain name or is a free-mail domain (whose users
 * are not colleagues).
 */
export function parseInternalDomains(
  text: string,
): { ok: true; domains: string[] } | { ok: false; message: string } {
  const domains: string[] = [];
  for (const raw of text.split(/[\s,;]+/)) {
    if (!raw) continue;
    const d = raw
      .toLowerCase()
      .replace(/^(?:\*\.|@)/, '')
      .replace(/\.$/, '');
    if (!domainPattern.test(d))
      return { ok: false, message: `“${raw.slice(0, 100)}” is not a domain name such as acme.com.` };
    if (isFreeMail(d))
      return {
        ok: false,
        message: `${d} is a free-mail domain: people on it are not your colleagues, so it cannot be internal.`,
      };
    if (!domains.includes(d)) domains.push(d);
  }
  if (domains.length > MAX_INTERNAL_DOMAINS)
    return { ok: false, message: `List at most ${MAX_INTERNAL_DOMAINS} domains.` };
  return { ok: true, domains };
}

/**
 * The event types the user's recent bookings (the last 2,000 events) have named, with the latest
 * name of each, most recently booked first, plus any chosen earlier that no recent booking names: what the card offers.
 */
export async function knownEventTypes(
  q: Queryable,
  workspaceId: string,
  userId: string,
  chosen: readonly EventTypeChoice[] | null,
): Promise<EventTypeChoice[]> {
  const { rows } = await q.query<{ id: string; name: string }>(
    `SELECT id, name FROM (
       SELECT DISTINCT ON (t.id) t.id, t.name, e.received_at
         FROM (SELECT payload, received_at FROM events
                WHERE workspace_id = $1 AND user_id = $2 AND type <> 'meeting.notes_processed'
                ORDER BY received_at DESC LIMIT 2000) e
        CROSS JOIN LATERAL (SELECT e.payload #>> '{data,booking,event_type,id}' AS id,
                                   e.payload #>> '{data,booking,event_type,name}' AS name) t
        WHERE t.id IS NOT NULL
        ORDER BY t.id, e.received_at DESC) latest
      ORDER BY received_at DESC LIMIT 50`,
    [workspaceId, userId],
  );
  const out = rows.map((r) => ({ id: r.id, name: r.name ?? r.id }));
  for (const c of chosen ?? []) if (!out.some((t) => t.id === c.id)) out.push(c);
  return out;
}
