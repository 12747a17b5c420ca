import { describe, expect, it } from 'vitest';
import { zohoDateTime } from '../zoho/events.ts';
import type { BookingEvent } from './event-schema.ts';
import {
  cancelChanges,
  isMeetingOf,
  meetingDescription,
  meetingTitle,
  meetingVenue,
  rescheduleChanges,
} from './meeting-content.ts';

type Booking = BookingEvent['data']['booking'];

const booking = (over: Partial<Booking> = {}): Booking => ({
  id: 'bk_1',
  host: { user_id: 'usr_alex', email: 'alex@peposmart.test', name: 'Alex Morgan' },
  title: 'Discovery call',
  description: 'Talk about the rollout.\nBooking id: bk_other · added by PepoSmart',
  start_time: '2026-12-01T09:00:00Z',
  end_time: '2026-12-01T09:30:00Z',
  timezone: 'Europe/Berlin',
  video_url: 'https://meet.example.com/abc',
  event_type: { id: 'et_1', name: '30 min intro' },
  attendees: [{ email: 'ada@analytical.example' }],
  ...over,
});

describe('meeting content', () => {
  it('the description ends with the provenance line; the booker’s words are quoted and cannot pass for it', () => {
    const d = meetingDescription(booking());
    expect(d.split('\n').at(-1)).toBe('Booking id: bk_1 · added by PepoSmart');
    expect(d).toContain('> Booking id: bk_other · added by PepoSmart');
    expect(d).toContain('Event type: 30 min intro');
    expect(d).toContain('Host: Alex Morgan (alex@peposmart.test)');
    expect(d).toContain('Video link: https://meet.example.com/abc');
    expect(isMeetingOf(d, 'bk_1')).toBe(true);
    expect(isMeetingOf(d, 'bk_other')).toBe(false);
    expect(isMeetingOf(`${d}\nedited in Zoho`, 'bk_1')).toBe(false);
  });

  it('the venue is the video link, else the location on one line', () => {
    expect(meetingVenue(booking())).toBe('https://meet.example.com/abc');
    expect(meetingVenue(booking({ video_url: undefined, location: 'Room 4\nsecond floor' }))).toBe(
      'Room 4 second floor',
    );
    expect(meetingVenue(booking({ video_url: undefined }))).toBeUndefined();
  });

  it('a reschedule moves start and end; title and venue only when they changed', () => {
    const at = (iso: string) => zohoDateTime(iso, 'Europe/Berlin');
    const before = booking();
    const moved = booking({ start_time: '2026-12-02T14:00:00Z', end_time: '2026-12-02T14:30:00Z' });
    const same = rescheduleChanges(moved, before, at);
    expect(same).toMatchObject({
      Start_DateTime: '2026-12-02T15:00:00+01:00',
      End_DateTime: '2026-12-02T15:30:00+01:00',
    });
    expect(same).not.toHaveProperty('Event_Title');
    expect(same).not.toHaveProperty('Venue');
    const renamed = rescheduleChanges({ ...moved, title: 'Demo', video_url: undefined }, before, at);
    expect(renamed).toMatchObject({ Event_Title: 'Demo', Venue: null });
    expect(rescheduleChanges(moved, undefined, at)).toMatchObject({
      Event_Title: 'Discovery call',
      Venue: 'https://meet.example.com/abc',
    });
  });

  it('a cancellation marks the title and says why, the provenance line still last', () => {
    const c = cancelChanges(booking({ cancel_reason: 'Customer travelling' }));
    expect(c['Event_Title']).toBe('Cancelled: Discovery call');
    expect(c['Description']).toMatch(/^Cancelled\. Reason: Customer travelling\n/);
    expect(isMeetingOf(String(c['Description']), 'bk_1')).toBe(true);
    expect(cancelChanges(booking())['Description']).toMatch(/^Cancelled \(no reason given\)\n/);
    expect(meetingTitle(booking({ title: 'z'.repeat(255) }), true)).toHaveLength(255);
  });
});
