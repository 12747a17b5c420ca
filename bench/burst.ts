import crypto from 'node:crypto';
import type { Database } from '../src/db/port.ts';
import { signEvent } from '../src/sync/signature.ts';
import type { demoUsers } from '../src/workspaces/demo.ts';

/**
 * A burst of booking.created events sent at once, as the scheduling platform would send them,
 * and the wait until every one has left the queue. Bookings alternate between a new attendee
 * and one who booked `REPEAT_GAP + 1` bookings earlier in the same burst (the first
 * `REPEAT_GAP` are all new), so a repeat's first booking has usually been synced already.
 */
export const REPEAT_GAP = 20;

export type Kind = 'new' | 'repeat';

export interface Planned {
  event: ReturnType<typeof bookingEvent>;
  kind: Kind;
}

export interface Sent extends Planned {
  /** Date.now() just before the request was sent. */
  sentAt: number;
  /** Date.now() when the API answered 202. */
  acceptedAt: number;
}

export interface Settled {
  id: string;
  status: string;
  detail: string | null;
  /** events.updated_at: when the job set the final status. */
  doneAt: number;
}

type Host = (typeof demoUsers)[number];

export function planBurst(n: number, label: string, host: Host): Planned[] {
  const emails: string[] = [];
  return Array.from({ length: n }, (_, i) => {
    const kind: Kind = i > REPEAT_GAP && i % 2 === 1 ? 'repeat' : 'new';
    const email = kind === 'repeat' ? emails[i - REPEAT_GAP - 1]! : `guest.${label}.${i}@client${i}.example`;
    emails.push(email);
    return { kind, event: bookingEvent(host, email, `Guest ${label.toUpperCase()}${i} Example`) };
  });
}

/** A bench booking of one attendee in `workspaceId` (the demo workspace unless given). */
export function bookingEvent(
  host: { id: string; email: string; name: string },
  email: string,
  name: string,
  workspaceId = 'ws_demo',
) {
  const id = crypto.randomBytes(6).toString('hex');
  return {
    id: `evt_bench_${id}`,
    type: 'booking.created' as const,
    created_at: new Date().toISOString(),
    workspace_id: workspaceId,
    data: {
      booking: {
        id: `bk_bench_${id}`,
        host: { user_id: host.id, email: host.email, name: host.name },
        title: 'Discovery call',
        description: 'Talk about the rollout.',
        start_time: '2026-12-01T09:00:00Z',
        end_time: '2026-12-01T09:30:00Z',
        timezone: 'Europe/Berlin',
        video_url: 'https://meet.example.com/abc-defg',
        event_type: { id: 'et_1', name: '30 min intro' },
        attendees: [{ email, name, phone: '+44 20 1234' }],
      },
    },
  };
}

/** Sends every event at once; throws unless each is accepted (202). */
export async function sendBurst(url: string, secret: string, planned: Planned[]): Promise<Sent[]> {
  return Promise.all(
    planned.map(async (p) => {
      const raw = JSON.stringify(p.event);
      const sentAt = Date.now();
      const res = await fetch(`${url}/api/v1/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'peposmart-signature': signEvent(secret, raw, Math.floor(Date.now() / 1000)),
        },
        body: raw,
      });
      const acceptedAt = Date.now();
      if (res.status !== 202) throw new Error(`event ${p.event.id}: ${res.status} ${await res.text()}`);
      await res.body?.cancel();
      return { ...p, sentAt, acceptedAt };
    }),
  );
}

/** Waits until none of the host's events is queued (or the time is up), and reads them. */
export async function waitSettled(db: Database, hostId: string, timeoutMs: number): Promise<Settled[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE user_id = $1 AND status = 'queued'",
      [hostId],
    );
    if (rows[0]?.n === 0 || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const { rows } = await db.query<{ id: string; status: string; detail: string | null; updated_at: Date }>(
    'SELECT id, status, detail, updated_at FROM events WHERE user_id = $1',
    [hostId],
  );
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    detail: r.detail,
    doneAt: new Date(r.updated_at).getTime(),
  }));
}
