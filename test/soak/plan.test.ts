import { describe, expect, it } from 'vitest';
import { planEvents } from '../../scripts/soak/load.ts';
import { seededRandom } from '../../scripts/soak/random.ts';

/** The soak's bookings (scripts/soak/load.ts): what it promises to exercise is in the plan. */
const users = [1, 2, 3].map((i) => ({
  id: `usr_${i}`,
  email: `host${i}@soak.test`,
  name: `Host ${i}`,
  orgId: `org${i}`,
}));

describe('soak plan', () => {
  const plan = planEvents(600, users, seededRandom(7), 'abc');

  it('sends unique, valid-looking events, each from its booking’s own host, never with the host as attendee', () => {
    expect(new Set(plan.map((p) => p.id)).size).toBe(600);
    for (const p of plan) {
      const body = JSON.parse(p.body);
      expect(body.id).toBe(p.id);
      expect(body.data.booking.id).toBe(p.bookingId);
      expect(body.data.booking.host.user_id).toBe(p.user.id);
      expect(p.attendees).not.toContain(p.user.email);
      expect(new Set(p.attendees).size).toBe(p.attendees.length);
    }
  });

  it('has repeat attendees, two-attendee bookings, and reschedules and cancellations of earlier bookings', () => {
    const created = plan.filter((p) => p.type === 'booking.created');
    const seen = new Set<string>();
    let repeats = 0;
    for (const p of created)
      for (const a of p.attendees) {
        if (seen.has(a)) repeats += 1;
        seen.add(a);
      }
    expect(repeats).toBeGreaterThan(100);
    expect(created.filter((p) => p.attendees.length === 2).length).toBeGreaterThan(50);
    const followUps = plan.filter((p) => p.type !== 'booking.created');
    expect(followUps.length).toBeGreaterThan(30);
    const createdIds = new Set(created.map((p) => p.bookingId));
    for (const f of followUps) expect(createdIds.has(f.bookingId)).toBe(true);
  });

  it('is the same plan for the same seed', () => {
    const again = planEvents(600, users, seededRandom(7), 'abc');
    expect(again.map((p) => [p.type, p.bookingId, p.attendees])).toEqual(
      plan.map((p) => [p.type, p.bookingId, p.attendees]),
    );
  });
});
