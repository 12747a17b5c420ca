import { demoUsers } from '../src/workspaces/demo.ts';
import { type BareTimes, measureBareCalls, measureBareIntake, percentile } from './bare.ts';
import { type Kind, planBurst, type Sent, type Settled, sendBurst, waitSettled } from './burst.ts';
import type { Org, Stack } from './stack.ts';

/**
 * Phase A: a burst at sandbox latency 0 — calls per booking, latency to the Note, throughput,
 * each against a baseline measured in the same run. Phase B: a burst against an org with a
 * fixed latency and concurrency limit — run time against the bound those impose, and 429s.
 */
export interface PhaseResult {
  sent: Sent[];
  settled: Settled[];
  /** First send to the last event's final status, in ms. */
  runMs: number;
}

async function runBurst(stack: Stack, hostIndex: 0 | 1, label: string, n: number, timeoutMs: number) {
  const host = demoUsers[hostIndex];
  const planned = planBurst(n, label, host);
  const before = stack.statements.totals();
  const firstSend = Date.now();
  const sent = await sendBurst(stack.url, stack.secret, planned);
  const settled = await waitSettled(stack.db, host.id, timeoutMs);
  const runMs = Math.max(...settled.map((s) => s.doneAt)) - firstSend;
  const after = stack.statements.totals();
  const statements = Object.fromEntries(
    Object.entries(after).map(([kind, total]) => [kind, total - before[kind as keyof typeof before]]),
  );
  const ids = new Set(sent.map((s) => s.event.id));
  const ends = stack.observed.filter((c) => ids.has(c.eventId)).map((c) => c.at);
  return {
    sent,
    settled,
    runMs,
    /** The app's database statements from the first send until every event had settled, by kind. */
    statements,
    lastAcceptedMs: Math.max(...sent.map((s) => s.acceptedAt)) - firstSend,
    ...longestGap([firstSend, ...ends], firstSend),
  };
}

/** The longest time between two Zoho replies (or the first send and the first reply), and when it began. */
function longestGap(times: number[], origin: number) {
  const sorted = [...times].sort((x, y) => x - y);
  let best = { longestGapMs: 0, longestGapFromMs: 0 };
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]! - sorted[i - 1]! > best.longestGapMs)
      best = { longestGapMs: sorted[i]! - sorted[i - 1]!, longestGapFromMs: sorted[i - 1]! - origin };
  return best;
}

/** Contacts sharing one email: the same attendee created twice. */
async function duplicateContacts(stack: Stack, org: Org): Promise<number> {
  const emails = (await stack.records(org, 'Contacts')).map((c) => String(c['Email']).toLowerCase());
  return emails.length - new Set(emails).size;
}

export async function phaseA(
  stack: Stack,
  options: { bookings: number; bareRounds: number; idleBookings: number; timeoutMs: number },
) {
  const org = await stack.createOrg('Bench A (latency 0)');
  const connectionId = await stack.connect(demoUsers[0].id, org);
  await stack.admin('DELETE', `/orgs/${org.org_id}/calls`);
  const run = await runBurst(stack, 0, 'a', options.bookings, options.timeoutMs);
  const sandboxCalls = await stack.crmCalls(org);
  const duplicates = await duplicateContacts(stack, org);
  const auth = await stack.deps.tokens.source(connectionId, 'ws_demo').get();
  const bare = await measureBareCalls(auth, options.bareRounds);
  const idle = await idleBookings(stack, options.idleBookings);

  // A booking is a new attendee's when it is the first of that attendee's the service took up
  // (its first Zoho call came first): under a burst a later booking may be taken up before an
  // earlier one of the same person, and then it is the one that finds or creates them.
  const firstCall = new Map<string, number>();
  for (const c of stack.observed) if (!firstCall.has(c.eventId)) firstCall.set(c.eventId, c.at);
  const firstOfAttendee = new Map<string, { id: string; at: number }>();
  for (const s of run.sent) {
    const email = s.event.data.booking.attendees[0]!.email;
    const at = firstCall.get(s.event.id) ?? Number.POSITIVE_INFINITY;
    const seen = firstOfAttendee.get(email);
    if (!seen || at < seen.at) firstOfAttendee.set(email, { id: s.event.id, at });
  }
  const kindOf = (s: (typeof run.sent)[number]): Kind =>
    firstOfAttendee.get(s.event.data.booking.attendees[0]!.email)?.id === s.event.id ? 'new' : 'repeat';
  const byKind = (kind: Kind) => {
    const sent = run.sent.filter((s) => kindOf(s) === kind);
    const calls = sent.map((s) => stack.observed.filter((c) => c.eventId === s.event.id));
    const latencies = sent.flatMap((s, i) => {
      const note = calls[i]!.findLast((c) => c.path === '/Notes' && c.status < 300);
      return note ? [note.at - s.acceptedAt] : [];
    });
    return {
      bookings: sent.length,
      callsPerBooking: calls.reduce((sum, c) => sum + c.length, 0) / sent.length,
      latency: { p50: percentile(latencies, 50), p99: percentile(latencies, 99) },
    };
  };
  const observedCalls = stack.observed.filter((c) => run.sent.some((s) => s.event.id === c.eventId)).length;
  return {
    ...run,
    orgId: org.org_id,
    bare,
    duplicates,
    sandboxCalls: sandboxCalls.length,
    tooManyRequests: sandboxCalls.filter((c) => c.status === 429).length,
    observedCalls,
    idle,
    new: byKind('new'),
    repeat: byKind('repeat'),
  };
}

export async function phaseB(
  stack: Stack,
  options: { bookings: number; edition: string; latencyMs: number; concurrency: number; timeoutMs: number },
) {
  // Free is the edition whose limit is 5 calls at once, so the app knows the limit it must keep.
  const org = await stack.createOrg('Bench B (fixed latency)', { edition: options.edition });
  await stack.connect(demoUsers[1].id, org);
  await stack.admin('PATCH', `/orgs/${org.org_id}`, {
    latency_ms: options.latencyMs,
    concurrency_limit: options.concurrency,
  });
  await stack.admin('DELETE', `/orgs/${org.org_id}/calls`);
  const run = await runBurst(stack, 1, 'b', options.bookings, options.timeoutMs);
  const calls = await stack.crmCalls(org);
  const tooMany = calls.filter((c) => c.status === 429).length;
  // A refused call is answered before the latency, so only served calls take a slot for it.
  const served = calls.length - tooMany;
  const boundMs = (served * options.latencyMs) / options.concurrency;
  return { ...run, ...options, calls: calls.length, served, tooManyRequests: tooMany, boundMs };
}

/**
 * Bookings of new attendees sent one at a time to the idle service (Alex's org, latency 0), each
 * once the previous one's Note was logged: the time to 202, and from 202 to the Note's reply.
 */
export async function idleBookings(stack: Stack, n: number) {
  const toAccept: number[] = [];
  const toNote: number[] = [];
  for (let i = 0; i < n; i++) {
    const [planned] = planBurst(1, `idle${i}`, demoUsers[0]);
    const [sent] = await sendBurst(stack.url, stack.secret, [planned!]);
    const until = Date.now() + 30_000;
    let note: number | undefined;
    while (note === undefined && Date.now() < until) {
      note = stack.observed.find(
        (c) => c.eventId === sent!.event.id && c.path === '/Notes' && c.status < 300,
      )?.at;
      if (note === undefined) await new Promise((r) => setTimeout(r, 2));
    }
    if (note === undefined) throw new Error(`idle booking ${sent!.event.id} logged no Note`);
    toAccept.push(sent!.acceptedAt - sent!.sentAt);
    toNote.push(note - sent!.acceptedAt);
  }
  return {
    bookings: n,
    acceptP50: percentile(toAccept, 50),
    noteP50: percentile(toNote, 50),
  };
}

/**
 * Phase I: intake while the sync drains. A burst of `bookings` new attendees to Alex's org with
 * its sandbox latency set to `latencyMs`: each request's time from send to 202, and the same
 * times for the same burst sent a moment before to a bare node:http server (the floor this
 * machine and sender allow).
 */
export async function phaseI(
  stack: Stack,
  orgId: string,
  options: { bookings: number; latencyMs: number; timeoutMs: number; label?: string },
) {
  await stack.admin('PATCH', `/orgs/${orgId}`, { latency_ms: options.latencyMs });
  // The baseline, a moment before: the same burst to a bare server (bench/bare.ts).
  const bare = await measureBareIntake(planBurst(options.bookings, 'bare', demoUsers[0]));
  // The label names the burst's attendees: a warm-up burst under another label leaves the
  // measured burst's attendees all new.
  const run = await runBurst(stack, 0, options.label ?? 'i', options.bookings, options.timeoutMs);
  const toAccept = run.sent.map((s) => s.acceptedAt - s.sentAt);
  return {
    ...run,
    latencyMs: options.latencyMs,
    acceptP50: percentile(toAccept, 50),
    acceptP99: percentile(toAccept, 99),
    bare,
  };
}

export type PhaseI = Awaited<ReturnType<typeof phaseI>>;
export type PhaseA = Awaited<ReturnType<typeof phaseA>>;
export type PhaseB = Awaited<ReturnType<typeof phaseB>>;
export type { BareTimes };
