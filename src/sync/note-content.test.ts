import { describe, expect, it } from 'vitest';
import { bookingNote, formatInZone, leadCompany } from './note-content.ts';

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
