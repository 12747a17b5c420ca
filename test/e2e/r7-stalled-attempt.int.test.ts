import { afterEach, describe, expect, it } from 'vitest';
import { buildAnalysis } from '../../src/analysis/build.ts';
import { systemClock } from '../../src/clock.ts';
import { createConnectionDeps } from '../../src/connections/build.ts';
import { createVault } from '../../src/crypto/vault.ts';
import { ClaimBusy, type ClaimTiming } from '../../src/sync/claims.ts';
import { createEventSync, type EventSync } from '../../src/sync/event-sync.ts';
import { sandboxDataCentres } from '../../src/zoho/datacentres.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, sendEvent } from '../helpers/events.ts';
import { testLogger } from '../helpers/logs.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * R7: claims are fenced per attempt. A worker that stalls (a GC pause, SIGSTOP) past its job's
 * heartbeat has its job handed to another worker; when it resumes after that one took its claim
 * over, it must not create the same record again. The stall is a held fetch in the stalled
 * worker's own Zoho client; the takeover is the event's next attempt in a second worker on the
 * same database, as the queue would start it. Both run the real sync and claim code.
 */
const sb = useSandbox();
const timing: ClaimTiming = { staleMs: 120_000, searchLagMs: 300, waitMs: 10_000 };

interface Held {
  reached: Promise<void>;
  open(): void;
}

/** A worker: its own Zoho client, whose next matching request can be held before or after it is sent. */
function worker(c: Connected) {
  const holds: Array<{
    method: string;
    path: RegExp;
    after: boolean;
    reached: () => void;
    gate: Promise<void>;
  }> = [];
  const gatedFetch: typeof fetch = async (input, init) => {
    const method = init?.method ?? 'GET';
    const path = new URL(String(input)).pathname;
    const i = holds.findIndex((h) => h.method === method && h.path.test(path));
    const hold = i >= 0 ? holds.splice(i, 1)[0] : undefined;
    if (hold && !hold.after) {
      hold.reached();
      await hold.gate;
    }
    const res = await fetch(input, init);
    if (hold?.after) {
      hold.reached();
      await hold.gate;
    }
    return res;
  };
  const logger = testLogger();
  const deps = createConnectionDeps({
    db: c.app.db,
    logger,
    clock: systemClock,
    vault: createVault(c.app.keys),
    client: c.app.client,
    dataCentres: sandboxDataCentres(sb.base),
    fetch: gatedFetch,
    retry: { baseMs: 5, maxMs: 50 },
  });
  const sync: EventSync = createEventSync({
    ...deps,
    analyze: buildAnalysis(undefined, logger).analyze,
    claimTiming: timing,
  });
  return {
    sync,
    /** Holds the next `method` request to a path matching `path`: before it leaves, or its reply. */
    hold(method: string, path: RegExp, when: 'before' | 'after' = 'before'): Held {
      let reached!: () => void;
      let open!: () => void;
      const reachedP = new Promise<void>((r) => (reached = r));
      const gate = new Promise<void>((r) => (open = r));
      holds.push({ method, path, after: when === 'after', reached, gate });
      return { reached: reachedP, open };
    },
  };
}

describe.each(databaseKinds)('R7: a stalled attempt resumed after a takeover, on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await sb.client.json('DELETE', '/__sandbox/faults');
    await c?.app.close();
    c = undefined;
  });

  async function queuedBooking() {
    // The queue holds the job; the test plays the workers that take it.
    c = await connectedApp(sb, kind, {}, { sync: true, worker: false });
    const event = bookingEvent({ attendees: [{ email: 'grace@stall.example', name: 'Grace Hopper' }] });
    expect((await sendEvent(c.app.url, event)).status).toBe(202);
    return { c, event };
  }

  async function outcome(c: Connected, eventId: string) {
    const { rows } = await c.app.db.query<{ status: string }>('SELECT status FROM events WHERE id = $1', [
      eventId,
    ]);
    return {
      status: rows[0]?.status,
      contacts: (await sb.client.records(c.org, 'Contacts')).length,
      notes: (await sb.client.records(c.org, 'Notes')).length,
      posts: (await sb.client.calls(c.org)).filter((x) => x.method === 'POST' && x.path.endsWith('/Contacts'))
        .length,
    };
  }

  it('R7: resumed before its create, the stalled attempt is refused; one Contact, one Note', async () => {
    const { c, event } = await queuedBooking();
    const stalled = worker(c);
    const next = worker(c);
    // Attempt 1 holds the person's claim and stalls in its look-up.
    const lookUp = stalled.hold('GET', /\/Contacts\/search$/);
    const first = stalled.sync.handle(event.id);
    first.catch(() => {});
    await lookUp.reached;
    // Its job is handed on: attempt 2 takes the claim over and is sending the create.
    const create = next.hold('POST', /\/Contacts$/);
    const second = next.sync.handle(event.id);
    await create.reached;
    // Attempt 1 resumes with its stale look-up (nobody yet): it may not create.
    lookUp.open();
    await expect(first).rejects.toBeInstanceOf(ClaimBusy);
    create.open();
    await second;
    expect(await outcome(c, event.id)).toEqual({ status: 'done', contacts: 1, notes: 1, posts: 1 });
  });

  it('R7: stalled between tries of its create (a 429), the attempt sends no second try once taken over', async () => {
    const { c, event } = await queuedBooking();
    const stalled = worker(c);
    const next = worker(c);
    await sb.client.fault(c.org, 'POST', '/Contacts$', {
      status: 429,
      body: { code: 'TOO_MANY_REQUESTS', details: {}, message: 'too many requests', status: 'error' },
      count: 1,
    });
    // Attempt 1 sends its create, is refused with a 429, and stalls before trying again.
    const refused = stalled.hold('POST', /\/Contacts$/, 'after');
    const first = stalled.sync.handle(event.id);
    first.catch(() => {});
    await refused.reached;
    // Attempt 2 takes over (the claim is uncertain: it looks first, finds nobody) and is sending.
    const create = next.hold('POST', /\/Contacts$/);
    const second = next.sync.handle(event.id);
    await create.reached;
    refused.open();
    await expect(first).rejects.toBeInstanceOf(ClaimBusy);
    create.open();
    await second;
    expect(await outcome(c, event.id)).toEqual({ status: 'done', contacts: 1, notes: 1, posts: 2 });
  });
});
