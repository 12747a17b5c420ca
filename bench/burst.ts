import crypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Database } from '../src/db/port.ts';
import type { demoUsers } from '../src/workspaces/demo.ts';
import type { SendOrder, SendReply } from './send-thread.ts';

/**
 * A burst of booking.created events sent at once, as the scheduling platform would send them,
 * and the wait until every one has left the queue. Bookings alternate between a new attendee
 * and one who booked `REPEAT_GAP + 1` bookings earlier in the same burst (the first
 * `REPEAT_GAP` are all new), so a repeat's first booking has usually been synced already. Phase A
 * counts as new whichever of a person's bookings the service took up first (bench/phases.ts).
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

let sender: Worker | undefined;

/**
 * Sends every event at once; throws unless each is accepted (202). The requests leave from a
 * thread of their own (bench/send-thread.ts), not from the service's event loop: until issue 13's
 * second round they were sent from the same thread as the service answered them, and building,
 * sending and reading 500 requests took that thread's time from the service it measured.
 */
export async function sendBurst(url: string, secret: string, planned: Planned[]): Promise<Sent[]> {
  sender ??= new Worker(new URL('./send-thread.ts', import.meta.url));
  sender.unref();
  const thread = sender;
  const order: SendOrder = {
    url,
    secret,
    events: planned.map((p) => ({ id: p.event.id, raw: JSON.stringify(p.event) })),
  };
  const reply = await new Promise<SendReply>((resolve, reject) => {
    const failed = (err: Error) => reject(err);
    thread.once('error', failed);
    thread.once('message', (r: SendReply) => {
      thread.off('error', failed);
      resolve(r);
    });
    thread.postMessage(order);
  });
  if (!reply.ok) throw new Error(reply.message);
  return planned.map((p, i) => ({ ...p, ...reply.times[i]! }));
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
