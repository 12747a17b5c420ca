import { describe, expect, it } from 'vitest';
import { parseEvent } from './event-schema.ts';

const booking = {
  id: 'bk_1',
  host: { user_id: 'usr_alex', email: 'alex@peposmart.test', name: 'Alex' },
  title: 'Intro call',
  start_time: '2026-11-26T09:00:00Z',
  end_time: '2026-11-26T09:30:00Z',
  timezone: 'Europe/Berlin',
  video_url: 'https://meet.example.com/abc',
  attendees: [{ email: 'ada@example.com', name: 'Ada Lovelace' }],
};
const event = {
  id: 'evt_1',
  type: 'booking.created',
  created_at: '2026-11-25T10:00:00Z',
  workspace_id: 'ws_demo',
};

describe('parsing platform events', () => {
  it('accepts a booking event and ignores fields it does not know', () => {
    const r = parseEvent({ ...event, extra: true, data: { booking: { ...booking, color: 'blue' } } });
    expect(r.ok).toBe(true);
  });

  it('accepts notes with only a booking id', () => {
    expect(parseEvent({ ...event, type: 'meeting.notes_processed', data: { booking_id: 'bk_1' } }).ok).toBe(
      true,
    );
  });

  it('names every invalid field by its path', () => {
    const r = parseEvent({
      ...event,
      data: {
        booking: {
          ...booking,
          timezone: 'Mars/Olympus',
          end_time: '2026-11-26T08:00:00Z',
          attendees: [{ email: 'not-an-email' }],
        },
      },
    });
    expect(r.ok).toBe(false);
    const paths = !r.ok ? r.details.map((d) => d.path).sort() : [];
    expect(paths).toEqual([
      'data.booking.attendees.0.email',
      'data.booking.end_time',
      'data.booking.timezone',
    ]);
  });

  it('explains the end-before-start rule', () => {
    const r = parseEvent({ ...event, data: { booking: { ...booking, end_time: '2026-11-26T08:00:00Z' } } });
    expect(!r.ok && r.details).toEqual([
      { path: 'data.booking.end_time', message: 'must not be before start_time' },
    ]);
  });

  it('refuses an unknown type and a body that is not an object', () => {
    expect(parseEvent({ ...event, type: 'booking.deleted', data: {} }).ok).toBe(false);
    const r = parseEvent('hello');
    expect(!r.ok && r.details[0]?.path).toBe('(body)');
  });
});
