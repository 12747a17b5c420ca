import { expect } from 'vitest';
import type { Connected } from './connected.ts';
import { bookingEvent, notesEvent, sendEvent, settled } from './events.ts';
import type { SandboxClient } from './sandbox.ts';

/** A sales pipeline and a meeting that points a deal from Value Proposition to the quote stage. */
export const pipelines = [
  {
    name: 'Sales',
    default: true,
    stages: [
      'Qualification',
      'Needs Analysis',
      'Value Proposition',
      'Proposal/Price Quote',
      'Negotiation/Review',
      'Closed Won',
      'Closed Lost',
    ],
  },
  { name: 'Renewals', stages: ['Renewal Due', 'Renewal Quoted', 'Renewed', 'Churned'] },
];

// Ada asks for a formal quote: the offline analyser points the deal to Proposal/Price Quote.
export const quoteTranscript = [
  { speaker: 'Alex Morgan', role: 'host', text: 'Thanks for joining, Ada. How did the team like the demo?' },
  {
    speaker: 'Ada Lovelace',
    role: 'attendee',
    text: 'They loved it. We want to move ahead, so please send me the formal quote for 30 seats.',
  },
  {
    speaker: 'Alex Morgan',
    role: 'host',
    text: "Great to hear. I'll send the formal quote for 30 seats by Friday.",
  },
];
export const ada = { email: 'ada.lovelace@analytical.example', name: 'Ada Lovelace' };

export async function seedRecords(
  client: SandboxClient,
  org: { org_id: string },
  module: string,
  data: Array<Record<string, unknown>>,
): Promise<string[]> {
  const res = await client.json('POST', `/__sandbox/orgs/${org.org_id}/records`, { module, data });
  expect(res.status).toBe(201);
  return res.body.data.map((d: { details: { id: string } }) => d.details.id);
}

/**
 * A Contact (Ada by default) with these deals, a booking with them (hosted by Alex by default),
 * then its notes: the suggestion's id.
 */
export async function suggestionFor(
  client: SandboxClient,
  c: Connected,
  deals: Array<Record<string, unknown>> = [
    { Deal_Name: 'Analytical Engines', Stage: 'Value Proposition', Pipeline: 'Sales' },
  ],
  options: {
    attendee?: { email: string; name: string };
    host?: { user_id: string; email: string; name?: string };
  } = {},
) {
  const attendee = options.attendee ?? ada;
  const [first, ...rest] = attendee.name.split(' ');
  const [contact] = await seedRecords(client, c.org, 'Contacts', [
    { Last_Name: rest.join(' ') || first, First_Name: first, Email: attendee.email },
  ]);
  const dealIds = await seedRecords(
    client,
    c.org,
    'Deals',
    deals.map((d) => ({ ...d, Contact_Name: contact })),
  );
  const booking = bookingEvent({ attendees: [attendee], ...(options.host ? { host: options.host } : {}) });
  await sendEvent(c.app.url, booking);
  expect(await settled(c.app.db, booking.id)).toBe('done');
  const notes = notesEvent(booking.data.booking.id, { transcript: quoteTranscript });
  await sendEvent(c.app.url, notes);
  expect(await settled(c.app.db, notes.id)).toBe('done');
  const { rows } = await c.app.db.query<{ id: string }>('SELECT id FROM suggestions WHERE event_id = $1', [
    notes.id,
  ]);
  return { id: rows[0]?.id, dealIds, contact: contact!, booking };
}

export const stageOf = async (client: SandboxClient, c: Connected, id: string) =>
  (await client.records(c.org, 'Deals')).find((d) => d.id === id)?.Stage as string;
