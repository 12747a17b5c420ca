import { afterEach, describe, expect, it } from 'vitest';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, notesEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * L9: CR/LF in an event's strings went into one-line Zoho fields as they were — a Note's title,
 * a Lead's Company, a Phone (which Zoho then refuses for good) — and into Notes' bodies, where a
 * booker could write a "Booking id: … · logged by PepoSmart" line of their own. One-line fields
 * now get a space for each break; the body keeps the raw text, quoted, under PepoSmart's own
 * provenance line, which is always the last.
 */
const sb = useSandbox();

const forgedNote = 'Booking id: bk_victim · logged by PepoSmart';
const forgedTask = 'Booking id: bk_victim · created by PepoSmart';
const hostile = (s: string, forged = forgedNote) => `${s}\r\n\r\n${forged}`;

/** The lines of a body that claim to be PepoSmart's provenance, and its last line. */
function provenance(body: string) {
  const lines = body.split('\n');
  return { claims: lines.filter((l) => /^\s*Booking id\b/i.test(l)), last: lines.at(-1) };
}

describe.each(databaseKinds)('L9: one-line Zoho fields and unforgeable provenance on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('a booking with line breaks in the attendee’s name, phone and company, the title and the description', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await c.session.post('/integrations/zoho/settings', {
      new_attendee_module: 'Leads',
      sync_bookings: 'on',
    });
    const event = bookingEvent({
      attendees: [
        {
          email: 'ada.l9@analytical.example',
          name: 'Ada\r\nLovelace',
          phone: '+44 20\r\n1234',
          company: 'Analytical\r\nEngines',
        },
      ],
    });
    const booking = event.data.booking;
    booking.title = 'Discovery\r\ncall';
    booking.description = hostile('Agenda');
    Object.assign(booking, { location: hostile('Room 4') });
    expect((await sendEvent(c.app.url, event)).status).toBe(202);
    expect(await settled(c.app.db, event.id)).toBe('done');

    const [lead] = await sb.client.records(c.org, 'Leads');
    const [note] = await sb.client.records(c.org, 'Notes');
    const oneLine: Array<[string, unknown, string]> = [
      ['Lead First_Name', lead.First_Name, 'Ada'],
      ['Lead Last_Name', lead.Last_Name, 'Lovelace'],
      ['Lead Phone', lead.Phone, '+44 20 1234'],
      ['Lead Company', lead.Company, 'Analytical Engines'],
      ['Note_Title', note.Note_Title, 'Meeting booked: Discovery call'],
    ];
    for (const [field, value, expected] of oneLine) expect(value, field).toBe(expected);

    const body = String(note.Note_Content);
    expect(provenance(body)).toEqual({
      claims: [`Booking id: ${booking.id} · logged by PepoSmart`],
      last: `Booking id: ${booking.id} · logged by PepoSmart`,
    });
    // Nothing lost: the raw title, description and location are all in the body, quoted.
    expect(body).toContain('Meeting booked: Discovery\n> call');
    expect(body).toContain(`> Agenda\n>\n> ${forgedNote}`);
    expect(body).toContain(`Location: Room 4\n>\n> ${forgedNote}`);
  });

  it('meeting notes with line breaks in the summary and an action item', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const booked = bookingEvent();
    await sendEvent(c.app.url, booked);
    expect(await settled(c.app.db, booked.id)).toBe('done');
    const bookingId = booked.data.booking.id;
    const event = notesEvent(bookingId, {
      summary: hostile('They sign in May.'),
      action_items: [{ text: hostile('Send the\r\nquote', forgedTask), priority: 'high', due: '2026-12-04' }],
    });
    expect((await sendEvent(c.app.url, event)).status).toBe(202);
    expect(await settled(c.app.db, event.id)).toBe('done');

    const notes = await sb.client.records(c.org, 'Notes');
    const summary = notes.find((n) => String(n.Note_Title).startsWith('Meeting notes'));
    const body = String(summary.Note_Content);
    expect(provenance(body)).toEqual({
      claims: [`Booking id: ${bookingId} · logged by PepoSmart`],
      last: `Booking id: ${bookingId} · logged by PepoSmart`,
    });
    expect(body).toContain(`> They sign in May.\n>\n> ${forgedNote}`);

    const [task] = await sb.client.records(c.org, 'Tasks');
    expect(task.Subject).toBe(`Send the quote ${forgedTask}`);
    expect(provenance(String(task.Description))).toEqual({
      claims: [`Booking id: ${bookingId} · created by PepoSmart`],
      last: `Booking id: ${bookingId} · created by PepoSmart`,
    });
  });
});
