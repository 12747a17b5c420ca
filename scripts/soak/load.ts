import crypto from 'node:crypto';
import { signEvent } from '../../src/sync/signature.ts';
import type { Random } from './random.ts';
import { SOAK_WORKSPACE, type SoakUser } from './users.ts';

/**
 * The soak's bookings, sent signed to POST /api/v1/events as the scheduling platform would.
 * Most are new bookings with one or two attendees, nearly half of them people the host
 * met before (recent ones first, so their syncs overlap); some are a reschedule or a
 * cancellation of an earlier booking. A send that fails (the process is down or stalled)
 * is sent again with the same id until the API accepts it.
 */
export type BookingType = 'booking.created' | 'booking.rescheduled' | 'booking.cancelled';

export interface PlannedEvent {
  id: string;
  type: BookingType;
  bookingId: string;
  user: SoakUser;
  attendees: string[];
  body: string;
}

export interface SendResult {
  planned: PlannedEvent;
  /** 202, or 200 "duplicate" after an attempt whose answer was lost: the app has it. */
  accepted: boolean;
  attempts: number;
  /** Answers of 500 or more from the event API. */
  serverErrors: number;
  acceptedAt: number;
}

interface Booking {
  id: string;
  user: SoakUser;
  attendees: string[];
  start: number;
  rescheduled: boolean;
  cancelled: boolean;
}

export function planEvents(n: number, users: SoakUser[], rng: Random, runTag: string): PlannedEvent[] {
  const pools = new Map<string, string[]>(users.map((u) => [u.id, []]));
  const bookings: Booking[] = [];
  let people = 0;
  const attendee = (user: SoakUser) => {
    const pool = pools.get(user.id)!;
    if (pool.length > 0 && rng.chance(0.45)) return pool[Math.max(0, pool.length - 1 - rng.int(0, 12))]!;
    people += 1;
    const email = `guest${people}.${runTag}@client${people % 97}.example`;
    pool.push(email);
    return email;
  };
  return Array.from({ length: n }, (_, i) => {
    const user = users[i % users.length]!;
    const open = bookings.filter((b) => b.user === user && !b.cancelled);
    const followUp = open.length > 0 && rng.chance(0.15) ? rng.pick(open) : undefined;
    let booking = followUp;
    let type: BookingType = 'booking.created';
    if (booking) {
      type = booking.rescheduled || rng.chance(0.4) ? 'booking.cancelled' : 'booking.rescheduled';
      if (type === 'booking.rescheduled') {
        booking.rescheduled = true;
        booking.start += 86_400_000;
      } else booking.cancelled = true;
    } else {
      const attendees = new Set([attendee(user)]);
      if (rng.chance(0.25)) attendees.add(attendee(user));
      booking = {
        id: `bk_soak_${runTag}_${bookings.length + 1}`,
        user,
        attendees: [...attendees],
        start: Date.parse('2026-12-01T09:00:00Z') + rng.int(0, 60) * 3_600_000,
        rescheduled: false,
        cancelled: false,
      };
      bookings.push(booking);
    }
    const id = `evt_soak_${runTag}_${i + 1}`;
    return {
      id,
      type,
      bookingId: booking.id,
      user,
      attendees: booking.attendees,
      body: eventBody(id, type, booking),
    };
  });
}

function eventBody(id: string, type: BookingType, b: Booking): string {
  const name = (email: string) => `Guest ${email.split('.')[0]!.replace('guest', 'Number')}`;
  return JSON.stringify({
    id,
    type,
    created_at: new Date().toISOString(),
    workspace_id: SOAK_WORKSPACE.id,
    data: {
      booking: {
        id: b.id,
        host: { user_id: b.user.id, email: b.user.email, name: b.user.name },
        title: 'Discovery call',
        description: 'Talk about the rollout.',
        start_time: new Date(b.start).toISOString(),
        end_time: new Date(b.start + 30 * 60_000).toISOString(),
        timezone: 'Europe/Berlin',
        video_url: 'https://meet.example.com/abc-defg',
        event_type: { id: 'et_1', name: '30 min intro' },
        attendees: b.attendees.map((email) => ({ email, name: name(email), phone: '+44 20 1234' })),
        ...(type === 'booking.cancelled' ? { cancel_reason: 'Something came up.' } : {}),
      },
    },
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One event sent until the API has it, or `until` passes. */
export async function sendUntilAccepted(
  appUrl: string,
  secret: string,
  planned: PlannedEvent,
  until: number,
): Promise<SendResult> {
  const result: SendResult = { planned, accepted: false, attempts: 0, serverErrors: 0, acceptedAt: 0 };
  while (Date.now() < until) {
    result.attempts += 1;
    try {
      const res = await fetch(`${appUrl}/api/v1/events`, {
        method: 'POST',
        signal: AbortSignal.timeout(20_000),
        headers: {
          'content-type': 'application/json',
          'peposmart-signature': signEvent(secret, planned.body, Math.floor(Date.now() / 1000)),
        },
        body: planned.body,
      });
      await res.body?.cancel();
      if (res.status === 202 || (res.status === 200 && result.attempts > 1)) {
        result.accepted = true;
        result.acceptedAt = Date.now();
        return result;
      }
      if (res.status >= 500) result.serverErrors += 1;
      else throw new Error(`event ${planned.id}: HTTP ${res.status} on attempt ${result.attempts}`);
    } catch (err) {
      if ((err as Error).message.startsWith(`event ${planned.id}`)) throw err;
    }
    // Backing off like a platform would: from 0.2 s up to 2 s between attempts.
    await pause(Math.min(2000, 200 * 1.5 ** (result.attempts - 1)) * (0.75 + Math.random() / 2));
  }
  return result;
}

/** Sends the plan spread evenly over `spreadMs`, at most `inFlight` requests at once. */
export async function sendPlan(
  appUrl: string,
  secret: string,
  plan: PlannedEvent[],
  options: { spreadMs: number; inFlight: number; until: number },
): Promise<SendResult[]> {
  const start = Date.now();
  const results: Promise<SendResult>[] = [];
  let running = 0;
  const idle: Array<() => void> = [];
  for (const [i, planned] of plan.entries()) {
    const due = start + (i * options.spreadMs) / plan.length;
    if (due > Date.now()) await pause(due - Date.now());
    while (running >= options.inFlight) await new Promise<void>((r) => idle.push(r));
    running += 1;
    results.push(
      sendUntilAccepted(appUrl, secret, planned, options.until).finally(() => {
        running -= 1;
        idle.shift()?.();
      }),
    );
  }
  return Promise.all(results);
}

export const newRunTag = () => crypto.randomBytes(3).toString('hex');
