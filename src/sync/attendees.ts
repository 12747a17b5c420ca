import type { Attendee, Settings } from './effects.ts';
import { domainOf, isFreeMail, withinDomain } from './email-domains.ts';
import type { BookingEvent } from './event-schema.ts';

type Booking = BookingEvent['data']['booking'];

/** An attendee PepoSmart leaves out of Zoho CRM, and why, in words for the Activity page. */
export interface LeftOut {
  attendee: Attendee;
  why: string;
}

/**
 * Which of a booking's attendees are synced. The host never is. With `skipInternal` on (the
 * default), neither is a colleague: an attendee whose email domain is the host's (or one of its
 * subdomains), or one the user lists as internal. A free-mail domain never makes anyone
 * internal: two people on gmail.com are not colleagues. Each attendee is taken once (the same
 * address twice in a booking is one person).
 */
export function attendeesToSync(
  booking: Booking,
  s: Pick<Settings, 'skipInternal' | 'internalDomains'>,
): { synced: Attendee[]; leftOut: LeftOut[] } {
  const host = booking.host.email.toLowerCase();
  const hostDomain = domainOf(host);
  const ownDomain = s.skipInternal && !isFreeMail(hostDomain) ? hostDomain : undefined;
  const listed = s.skipInternal ? s.internalDomains.filter((d) => !isFreeMail(d)) : [];
  const synced: Attendee[] = [];
  const leftOut: LeftOut[] = [];
  const seen = new Set<string>([host]);
  for (const a of booking.attendees) {
    const email = a.email.toLowerCase();
    if (seen.has(email)) continue;
    seen.add(email);
    const domain = domainOf(email);
    if (ownDomain && withinDomain(domain, ownDomain))
      leftOut.push({ attendee: a, why: `the host’s own email domain (${ownDomain})` });
    else {
      const match = listed.find((d) => withinDomain(domain, d));
      if (match) leftOut.push({ attendee: a, why: `${match}, a domain listed as internal` });
      else synced.push(a);
    }
  }
  return { synced, leftOut };
}

/** Why this address would be left out of a booking `hostEmail` hosts; undefined: it would sync. */
export function internalAttendee(
  email: string,
  hostEmail: string,
  s: Pick<Settings, 'skipInternal' | 'internalDomains'>,
): LeftOut | undefined {
  const booking = { host: { email: hostEmail }, attendees: [{ email }] } as Booking;
  return attendeesToSync(booking, s).leftOut[0];
}

/** The Activity line for the attendees left out as internal; undefined when there are none. */
export function leftOutMessage(leftOut: readonly LeftOut[]): string | undefined {
  if (!leftOut.length) return undefined;
  const who = leftOut.map((l) => `${l.attendee.email} (${l.why})`).join(', ');
  return `Left out as internal, not added to Zoho CRM: ${who}. The setting “leave out internal attendees” is on.`;
}

/**
 * Why a booking's events are not synced under the connection's event-type choice; undefined
 * when they are (no choice made, or its type is chosen).
 */
export function eventTypeExcluded(booking: Booking, s: Pick<Settings, 'eventTypes'>): string | undefined {
  if (s.eventTypes === null) return undefined;
  const type = booking.event_type;
  if (!type)
    return 'This booking names no event type, and only chosen event types are synced (Zoho card setting).';
  if (s.eventTypes.includes(type.id)) return undefined;
  return `The event type “${type.name}” is not among the event types synced to Zoho CRM (Zoho card setting).`;
}

/** Why a booking with only internal attendees syncs nothing. */
export const onlyInternalMessage = (leftOut: readonly LeftOut[]): string =>
  `Only internal attendees (${leftOut.map((l) => l.attendee.email).join(', ')}): nothing was synced to Zoho CRM.`;
