import http from 'node:http';
import { signEvent } from '../../src/sync/signature.ts';
import { bookingEvent, REPEAT_GAP } from '../burst.ts';
import { postEvent } from '../post-event.ts';
import type { Cluster } from './cluster.ts';
import { BENCH_WORKSPACE, type Host } from './hosts.ts';

/**
 * The burst: `booking.created` events spread evenly over the hosts, each host's own sequence
 * planned as phase A's (bench/burst.ts): after the first REPEAT_GAP bookings, every other one
 * is an attendee the same host met REPEAT_GAP + 1 bookings earlier (about 40 % at 100 a host).
 * The hosts' sequences are interleaved, so every org has work from the first event on. The
 * events are sent as a webhook sender's pool would: at most `inFlight` requests at once.
 */
export type Kind = 'new' | 'repeat';

export interface Planned {
  host: Host;
  kind: Kind;
  id: string;
  raw: string;
}

export interface Sent extends Planned {
  /** ms from the request's start to its 202. */
  acceptMs: number;
  /** Date.now() at the 202. */
  acceptedAt: number;
}

export function planLoad(hosts: Host[], bookings: number): Planned[] {
  const perHost = hosts.map((host, h) => {
    const n = Math.floor(bookings / hosts.length) + (h < bookings % hosts.length ? 1 : 0);
    const emails: string[] = [];
    return Array.from({ length: n }, (_, i): Planned => {
      const kind: Kind = i > REPEAT_GAP && i % 2 === 1 ? 'repeat' : 'new';
      const email =
        kind === 'repeat' ? emails[i - REPEAT_GAP - 1]! : `guest.${h + 1}.${i}@client${i}.example`;
      emails.push(email);
      return { host, kind, ...benchEvent(host, email, `Guest H${h + 1}N${i} Example`) };
    });
  });
  const longest = Math.max(...perHost.map((p) => p.length));
  return Array.from({ length: longest }, (_, i) => perHost.flatMap((p) => (p[i] ? [p[i]] : []))).flat();
}

function benchEvent(host: Host, email: string, name: string) {
  const event = bookingEvent(host, email, name, BENCH_WORKSPACE.id);
  return { id: event.id, raw: JSON.stringify(event) };
}

/**
 * Sends every event, `inFlight` at most at once, as phase I's sender does (bench/post-event.ts);
 * throws unless each is accepted (202).
 */
export async function sendLoad(cluster: Cluster, planned: Planned[], inFlight: number): Promise<Sent[]> {
  const url = new URL('/api/v1/events', cluster.appUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const sent: Sent[] = [];
  let next = 0;
  const sender = async () => {
    while (next < planned.length) {
      const p = planned[next++]!;
      const started = performance.now();
      const res = await postEvent(
        url,
        agent,
        p.raw,
        signEvent(cluster.eventsSecret, p.raw, Math.floor(Date.now() / 1000)),
      );
      const acceptMs = performance.now() - started;
      if (res.status !== 202) throw new Error(`event ${p.id}: ${res.status} ${res.body}`);
      sent.push({ ...p, acceptMs, acceptedAt: Date.now() });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(inFlight, planned.length) }, sender));
  } finally {
    agent.destroy();
  }
  return sent;
}

export interface Settled {
  id: string;
  /** The host (events.user_id). */
  hostId: string;
  status: string;
  detail: string | null;
  /** events.updated_at: when the job set the final status. */
  doneAt: number;
}

/** Waits until none of the workspace's events is queued (or the time is up), and reads them. */
export async function waitDrained(
  cluster: Cluster,
  timeoutMs: number,
): Promise<{ settled: Settled[]; timedOut: boolean }> {
  const until = Date.now() + timeoutMs;
  let timedOut = false;
  for (;;) {
    const { rows } = await cluster.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE workspace_id = $1 AND status = 'queued'",
      [BENCH_WORKSPACE.id],
    );
    if (rows[0]?.n === 0) break;
    if (Date.now() > until) {
      timedOut = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const { rows } = await cluster.db.query<{
    id: string;
    user_id: string;
    status: string;
    detail: string | null;
    updated_at: Date;
  }>('SELECT id, user_id, status, detail, updated_at FROM events WHERE workspace_id = $1', [
    BENCH_WORKSPACE.id,
  ]);
  const settled = rows.map((r) => ({
    id: r.id,
    hostId: r.user_id,
    status: r.status,
    detail: r.detail,
    doneAt: new Date(r.updated_at).getTime(),
  }));
  return { settled, timedOut };
}
