import { describe, expect, it } from 'vitest';
import { addBusinessDays, dueFromUrgency, localDate, statedDue } from './due-dates.ts';

// Tuesday 3 March 2026, 10:00 in Chicago.
const meeting = { start_time: '2026-03-03T16:00:00Z', timezone: 'America/Chicago' };

describe('due dates', () => {
  it('reads the meeting’s local date, not UTC’s', () => {
    expect(localDate('2026-05-20T02:00:00Z', 'Asia/Tokyo')).toBe('2026-05-20');
    expect(localDate('2026-04-17T23:30:00Z', 'America/Los_Angeles')).toBe('2026-04-17');
    expect(localDate('2026-02-18T22:30:00Z', 'Australia/Sydney')).toBe('2026-02-19');
  });

  it('reads a said date relative to the meeting', () => {
    expect(statedDue('ideally by Monday', meeting)).toBe('2026-03-09');
    expect(statedDue('tomorrow', meeting)).toBe('2026-03-04');
    expect(statedDue('by Friday', meeting)).toBe('2026-03-06');
    expect(statedDue('by end of next week', meeting)).toBe('2026-03-13');
    expect(statedDue('by the end of the week', meeting)).toBe('2026-03-06');
    expect(statedDue('before the 15th', meeting)).toBe('2026-03-15');
    expect(statedDue('before the 2nd', meeting)).toBe('2026-04-02');
    expect(statedDue('nothing about dates', meeting)).toBeUndefined();
  });

  it('reads "before the committee on the 18th" as ready the day before the event', () => {
    expect(statedDue('completed before your committee on the eighteenth', meeting)).toBe('2026-03-17');
    expect(statedDue('before our board meeting on the 13th', meeting)).toBe('2026-03-12');
    // The event is on the meeting's own day: ready that day.
    expect(statedDue('before our board meeting on the 3rd', meeting)).toBe('2026-03-03');
    // The next 1st is in April: the day before is the last of March.
    expect(statedDue('before the steering group on the 1st', meeting)).toBe('2026-03-31');
    // A month said with it is that month's day.
    expect(statedDue('before the board meeting on the 3rd of June', meeting)).toBe('2026-06-02');
    expect(statedDue('before the committee on the 18 April', meeting)).toBe('2026-04-17');
    // A bare date keeps its day, as before.
    expect(statedDue('before the 15th', meeting)).toBe('2026-03-15');
  });

  it('follows urgency when no date was said, in business days', () => {
    // Friday 6 March 2026.
    expect(dueFromUrgency('2026-03-06', 'Highest')).toBe('2026-03-09');
    expect(dueFromUrgency('2026-03-06', 'High')).toBe('2026-03-09');
    expect(dueFromUrgency('2026-03-06', 'Normal')).toBe('2026-03-11');
    expect(dueFromUrgency('2026-03-06', 'Low')).toBe('2026-03-13');
    expect(addBusinessDays('2026-03-03', 3)).toBe('2026-03-06');
  });
});
