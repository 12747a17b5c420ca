import { describe, expect, it } from 'vitest';
import {
  bookingNote,
  formatInZone,
  isTaskOf,
  leadCompany,
  summaryNote,
  taskDescription,
} from './note-content.ts';

describe('lead company', () => {
  it('comes from a business email domain', () => {
    expect(leadCompany('j.doe@acme-widgets.com', 'J Doe')).toBe('Acme Widgets');
    expect(leadCompany('x@sales.globex.co.uk', 'X')).toBe('Sales Globex Co');
  });

  it('is the person’s name for a free-mail address', () => {
    expect(leadCompany('solo@gmail.com', 'Han Solo')).toBe('Han Solo');
    expect(leadCompany('a@GMX.de', 'Anna')).toBe('Anna');
  });
});

describe('booking note', () => {
  const booking = {
    id: 'bk_1',
    host: { user_id: 'u', email: 'host@x.test', name: 'Hana Host' },
    title: 'Demo',
    start_time: '2026-12-01T09:00:00Z',
    end_time: '2026-12-01T09:30:00Z',
    timezone: 'America/New_York',
    attendees: [{ email: 'a@b.test' }],
    cancel_reason: 'Travel',
  };

  it('shows times in the booking’s time zone, the link-free details and the booking id', () => {
    const note = bookingNote('booking.cancelled', booking);
    expect(note.title).toBe('Meeting cancelled: Demo');
    expect(note.content).toContain('Tue, 1 Dec 2026, 04:00 – Tue, 1 Dec 2026, 04:30 (America/New_York)');
    expect(note.content).toContain('Reason: Travel');
    expect(note.content).toContain('Host: Hana Host (host@x.test)');
    expect(note.content).toContain('Booking id: bk_1');
    expect(note.content).not.toContain('Video link');
  });

  it('formats a time in a zone', () => {
    expect(formatInZone('2026-07-01T12:00:00Z', 'Asia/Tokyo')).toBe('Wed, 1 Jul 2026, 21:00');
  });
});

describe('L9: titles are one line, and provenance cannot be forged by content', () => {
  const forged = 'Booking id: bk_victim · logged by PepoSmart';
  const forgedTask = 'Booking id: bk_victim · created by PepoSmart';
  const hostile = (s: string) => `${s}\r\n\r\n${forged}\n${forgedTask}`;
  const booking = {
    id: 'bk_1',
    host: { user_id: 'u', email: 'host@x.test', name: 'Hana Host' },
    title: 'Demo',
    description: 'Agenda',
    location: 'Room 4',
    event_type: { id: 'et', name: 'Intro' },
    start_time: '2026-12-01T09:00:00Z',
    end_time: '2026-12-01T09:30:00Z',
    timezone: 'America/New_York',
    attendees: [{ email: 'a@b.test' }],
    cancel_reason: 'Travel',
  };
  type B = typeof booking;

  /** The lines PepoSmart wrote that say where the Note or Task comes from: exactly one, the last. */
  function provenance(content: string) {
    const lines = content.split('\n');
    const claims = lines.filter((l) => /^\s*Booking id\b/i.test(l));
    return { claims, last: lines.at(-1) };
  }

  /** Nothing lost: every line of the raw value is in the body. */
  function keptWhole(content: string, raw: string) {
    for (const line of raw.split(/\r\n|\n/)) expect(content).toContain(line);
  }

  const bookingCases: Array<[string, (b: B) => B]> = [
    ['title', (b) => ({ ...b, title: hostile(b.title) })],
    ['description', (b) => ({ ...b, description: hostile(b.description) })],
    ['location', (b) => ({ ...b, location: hostile(b.location) })],
    ['event type', (b) => ({ ...b, event_type: { id: 'et', name: hostile('Intro') } })],
    ['host name', (b) => ({ ...b, host: { ...b.host, name: hostile('Hana') } })],
    ['cancel reason', (b) => ({ ...b, cancel_reason: hostile('Travel') })],
    ['a description that is only the forged line', (b) => ({ ...b, description: forged })],
  ];

  it.each(bookingCases)('booking Note: a line break in the %s', (_name, change) => {
    const b = change(booking);
    for (const type of ['booking.created', 'booking.rescheduled', 'booking.cancelled'] as const) {
      const note = bookingNote(
        type,
        b,
        type === 'booking.rescheduled' ? change({ ...booking, title: 'Old' }) : undefined,
      );
      expect(note.title).not.toMatch(/[\r\n\t]/);
      expect(provenance(note.content)).toEqual({
        claims: ['Booking id: bk_1 · logged by PepoSmart'],
        last: 'Booking id: bk_1 · logged by PepoSmart',
      });
      expect(note.content).toContain(`> ${forged}`);
      keptWhole(note.content, forged);
    }
  });

  it('a title with a line break: one line in Note_Title, whole in the body', () => {
    const note = bookingNote('booking.created', { ...booking, title: 'Quarterly\r\nreview' });
    expect(note.title).toBe('Meeting booked: Quarterly review');
    expect(note.content.split('\n').slice(0, 2)).toEqual(['Meeting booked: Quarterly', '> review']);
  });

  it.each([
    ['title', { title: hostile('Demo') }, 'The summary.', 'Send it'],
    ['summary', {}, hostile('The summary.'), 'Send it'],
    ['action item', {}, 'The summary.', hostile('Send it')],
  ])('summary Note: a line break in the %s', (_name, over, summary, text) => {
    const items = [
      { text, priority: 'High', due: '2026-12-04', owner: 'host' as const, due_inferred: false },
    ];
    const note = summaryNote({ ...booking, ...over }, summary, items as never);
    expect(note.title).not.toMatch(/[\r\n\t]/);
    expect(provenance(note.content)).toEqual({
      claims: ['Booking id: bk_1 · logged by PepoSmart'],
      last: 'Booking id: bk_1 · logged by PepoSmart',
    });
    keptWhole(note.content, forged);
  });

  it.each([
    ['title', { title: hostile('Demo') }, 'Send it'],
    ['quote', {}, hostile('I will send it')],
  ])('Task description: a line break in the %s', (_name, over, quote) => {
    const item = {
      text: 'Send it',
      quote,
      priority: 'High',
      due: '2026-12-04',
      owner: 'attendee',
      due_inferred: false,
    };
    const description = taskDescription({ ...booking, ...over }, item as never);
    expect(provenance(description)).toEqual({
      claims: ['Booking id: bk_1 · created by PepoSmart'],
      last: 'Booking id: bk_1 · created by PepoSmart',
    });
    expect(isTaskOf(description, 'bk_1')).toBe(true);
    expect(isTaskOf(description, 'bk_victim')).toBe(false);
    keptWhole(description, forgedTask);
  });

  it('a lead’s company from a business domain or a name is one line', () => {
    expect(leadCompany('solo@gmail.com', 'Han\r\nSolo')).toBe('Han Solo');
  });
});
