import { afterEach, describe, expect, it } from 'vitest';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, notesEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Zoho's heavy calls — writes of more than 10 records, and searches as the sandbox counts them
 * — share a sub-limit of 10 at once per org, below the org's own limit (ZOHO-API.md §8). A burst
 * of meetings with a dozen action items each, in an Enterprise org (20 calls at once) synced by
 * a worker running 16 jobs at once, never meets that 429: the Zoho client holds heavy calls to
 * 10 per org (on PostgreSQL across processes, through the same leases as the org's limit).
 */
const sb = useSandbox();
const MEETINGS = 14;
const ITEMS = 11;

describe.each(databaseKinds)('heavy calls in a burst, on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('meetings with more than 10 Tasks each and their searches stay within the heavy sub-limit: no 429', async () => {
    c = await connectedApp(
      sb,
      kind,
      { edition: 'enterprise', latency_ms: 40, search_lag_ms: 0 },
      { sync: true, syncConcurrency: 16 },
    );
    const bookings = Array.from({ length: MEETINGS }, (_, i) =>
      bookingEvent({ attendees: [{ email: `buyer${i}@heavy.example`, name: `Buyer ${i}` }] }),
    );
    await Promise.all(bookings.map((b) => sendEvent(c!.app.url, b)));
    for (const b of bookings) expect(await settled(c.app.db, b.id, 60_000)).toBe('done');

    const notes = bookings.map((b) =>
      notesEvent(b.data.booking.id, {
        summary: 'A long list of follow-ups.',
        action_items: Array.from({ length: ITEMS }, (_, j) => ({ text: `Follow-up number ${j + 1}` })),
      }),
    );
    await Promise.all(notes.map((n) => sendEvent(c!.app.url, n)));
    for (const n of notes) expect(await settled(c.app.db, n.id, 60_000)).toBe('done');

    const calls = await sb.client.calls(c.org);
    expect(calls.filter((x) => x.status === 429)).toEqual([]);
    const searches = calls.filter((x) => x.path.endsWith('/search'));
    expect(searches).toHaveLength(MEETINGS * 2);
    const taskInserts = calls.filter((x) => x.method === 'POST' && x.path.endsWith('/Tasks'));
    expect(taskInserts).toHaveLength(MEETINGS);
    expect(await sb.client.records(c.org, 'Tasks')).toHaveLength(MEETINGS * ITEMS);
  });
});
