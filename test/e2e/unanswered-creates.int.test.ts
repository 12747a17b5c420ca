import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/port.ts';
import { clearFaults } from '../helpers/connect-steps.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, notesEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * After an unanswered create (sent, then a 5xx, a timeout or a dropped connection) the event's
 * retry must find out whether Zoho saved it before sending it again. Notes and Tasks are looked
 * for among their record's Notes and Tasks, read directly: no wait for Zoho's search index
 * (R3). A person is looked for by an email search, which lags a new record: that wait stays,
 * and the Activity page says that is what the event is waiting for (R2).
 */
const sb = useSandbox();
const ada = { email: 'ada.lovelace@analytical.example', name: 'Ada Lovelace' };
const internalError = {
  status: 500,
  body: { code: 'INTERNAL_ERROR', details: {}, message: 'Internal Server Error', status: 'error' },
};

/** Every `detail` the event shows while it is retried, until it leaves the queue. */
async function detailsUntilSettled(db: Database, eventId: string, timeoutMs = 40_000) {
  const seen = new Set<string>();
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query<{ status: string; detail: string | null }>(
      'SELECT status, detail FROM events WHERE id = $1',
      [eventId],
    );
    if (rows[0]?.detail) seen.add(rows[0].detail);
    if (rows[0] && rows[0].status !== 'queued') return { status: rows[0].status, details: [...seen] };
    if (Date.now() > until) return { status: rows[0]?.status ?? 'missing', details: [...seen] };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(databaseKinds)('unanswered creates on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await clearFaults(sb.client);
    await c?.app.close();
    c = undefined;
  });

  /**
   * Zoho's search lag set far beyond the test (10 minutes): an event whose retry waited for it
   * would never finish here. `settleMs`: the short wait for a write Zoho may still be saving.
   */
  async function app(settleMs = 500, zohoTimeoutMs?: number) {
    c = await connectedApp(
      sb,
      kind,
      {},
      {
        sync: true,
        syncRetry: { delaySeconds: 1 },
        ...(zohoTimeoutMs ? { zohoTimeoutMs } : {}),
        claimTiming: { staleMs: 120_000, searchLagMs: 600_000, settleMs, waitMs: 5_000 },
      },
    );
    // Ada is in Zoho already (searchable at once): the Note is the only create.
    await sb.client.seed(c.org, 'Contacts', [{ Last_Name: 'Lovelace', First_Name: 'Ada', Email: ada.email }]);
    return c;
  }

  it('R3: a Note whose create got a 5xx is looked for among the Contact’s Notes without waiting for the search lag', async () => {
    const conn = await app();
    await sb.client.fault(conn.org, 'POST', '/Notes$', { ...internalError, count: 1 });
    const event = bookingEvent({ attendees: [ada] });
    await sendEvent(conn.app.url, event);
    const { status, details } = await detailsUntilSettled(conn.app.db, event.id);
    expect(status).toBe('done');
    expect(details.join('\n')).not.toContain('another sync');
    expect(await sb.client.records(conn.org, 'Notes')).toHaveLength(1);
    const calls = await sb.client.calls(conn.org);
    expect(
      calls.filter((x) => x.method === 'POST' && x.path.endsWith('/Notes')).map((x) => x.status),
    ).toEqual([500, 201]);
    // The retry read the Contact's Notes before sending again.
    expect(calls.filter((x) => x.method === 'GET' && /\/Contacts\/\d+\/Notes$/.test(x.path))).toHaveLength(1);
  });

  it('R3: a Note Zoho saved but never answered is found among the Notes and not sent again', async () => {
    // Zoho saves it after 2 s; we stop waiting after 1 s, and look again 5 s after sending.
    const conn = await app(5_000, 1_000);
    await sb.client.fault(conn.org, 'POST', '/Notes$', { latency_ms: 2_000, count: 1 });
    const event = bookingEvent({ attendees: [ada] });
    await sendEvent(conn.app.url, event);
    expect(await settled(conn.app.db, event.id, 60_000)).toBe('done');
    expect(await sb.client.records(conn.org, 'Notes')).toHaveLength(1);
    const posts = (await sb.client.calls(conn.org)).filter((x) => x.method === 'POST');
    expect(posts.filter((x) => x.path.endsWith('/Notes'))).toHaveLength(1);
  });

  it('R3: Tasks whose create got a 5xx are looked for among the Contact’s Tasks without waiting for the search lag', async () => {
    const conn = await app();
    const booking = bookingEvent({ attendees: [ada] });
    await sendEvent(conn.app.url, booking);
    expect(await settled(conn.app.db, booking.id)).toBe('done');
    await sb.client.fault(conn.org, 'POST', '/Tasks$', { ...internalError, count: 1 });
    const event = notesEvent(booking.data.booking.id, {
      summary: 'Ada wants a quote.',
      action_items: [{ text: 'Send the formal quote for 30 seats' }, { text: 'Share the onboarding plan' }],
    });
    await sendEvent(conn.app.url, event);
    const { status, details } = await detailsUntilSettled(conn.app.db, event.id);
    expect(status).toBe('done');
    expect(details.join('\n')).not.toContain('another sync');
    expect(await sb.client.records(conn.org, 'Tasks')).toHaveLength(2);
  });

  it('R2: the retry of an unanswered Contact says it is checking Zoho’s search for it, not waiting for another sync', async () => {
    c = await connectedApp(
      sb,
      kind,
      {},
      {
        sync: true,
        syncRetry: { delaySeconds: 1 },
        claimTiming: { staleMs: 120_000, searchLagMs: 4_000, waitMs: 500 },
      },
    );
    await sb.client.fault(c.org, 'POST', '/Contacts$', { ...internalError, count: 1 });
    const event = bookingEvent({ attendees: [ada] });
    await sendEvent(c.app.url, event);
    const { status, details } = await detailsUntilSettled(c.app.db, event.id);
    expect(status).toBe('done');
    expect(details.join('\n')).not.toContain('another sync');
    expect(details).toContain(
      `Checking whether Zoho CRM saved the Contact for ${ada.email}, sent earlier without an answer, before sending it again: Zoho’s search shows a new record only after up to 4 s.`,
    );
    expect(await sb.client.records(c.org, 'Contacts')).toHaveLength(1);
  });
});
