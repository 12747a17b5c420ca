import { afterEach, describe, expect, it } from 'vitest';
import { clearFaults } from '../helpers/connect-steps.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Booking sync when Zoho misbehaves: storms of 5xx and 429, answers that never come, bursts
 * of one attendee, retries that run out. Each time: every booking ends synced or failed with
 * its cause, and nothing is created twice.
 */
const sb = useSandbox();
const records = (org: { org_id: string }, module: string) => sb.client.records(org, module);
const zohoError = (status: number, code: string, message: string) => ({
  status,
  body: { code, details: {}, message, status: 'error' },
});
const attendee = (i: number) => ({ email: `person${i}@firm${i}.example`, name: `Person Number${i}` });

describe.each(databaseKinds)('sync resilience on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await clearFaults(sb.client);
    await c?.app.close();
    c = undefined;
  });

  it('through a storm of 5xx and 429 every booking is synced once, with no duplicate', async () => {
    // A create answered by a 5xx may have been applied: its retry waits out the search lag.
    c = await connectedApp(
      sb,
      kind,
      {},
      {
        sync: true,
        syncRetry: { delaySeconds: 1 },
        claimTiming: { staleMs: 120_000, searchLagMs: 1_500, waitMs: 5_000 },
      },
    );
    const org = c.org;
    await sb.client.fault(org, 'GET', '/search', {
      ...zohoError(429, 'TOO_MANY_REQUESTS', 'too many requests'),
      count: 14,
    });
    await sb.client.fault(org, 'POST', '/Contacts$', {
      ...zohoError(500, 'INTERNAL_ERROR', 'Internal Server Error'),
      count: 6,
    });
    await sb.client.fault(org, 'POST', '/Notes$', {
      status: 503,
      body: 'Service Unavailable',
      count: 6,
    });
    // Four attendees, each in two bookings, all at once.
    const events = [0, 1, 2, 3, 0, 1, 2, 3].map((i) => bookingEvent({ attendees: [attendee(i)] }));
    const sent = await Promise.all(events.map((e) => sendEvent(c!.app.url, e)));
    expect(sent.map((r) => r.status)).toEqual(events.map(() => 202));
    for (const e of events) expect(await settled(c.app.db, e.id, 90_000)).toBe('done');

    const contacts = await records(org, 'Contacts');
    expect(contacts.map((x) => x.Email).sort()).toEqual([0, 1, 2, 3].map((i) => attendee(i).email).sort());
    const notes = await records(org, 'Notes');
    expect(notes).toHaveLength(8);
    const calls = await sb.client.calls(org);
    expect(calls.filter((x) => x.status === 429).length).toBeGreaterThan(0);
    expect(calls.filter((x) => x.status >= 500).length).toBeGreaterThan(0);
  }, 120_000);

  it('a create whose answer never came is found in Zoho, after its search lag, not made twice', async () => {
    // Zoho applies the create after 1.5 s; we stop waiting at 0.7 s; its search shows the record
    // 3 s after that. A retry that searched at once would miss it and create a second one.
    c = await connectedApp(
      sb,
      kind,
      { search_lag_ms: 3_000 },
      {
        sync: true,
        syncRetry: { delaySeconds: 1 },
        zohoTimeoutMs: 700,
        claimTiming: { staleMs: 120_000, searchLagMs: 5_000, waitMs: 8_000 },
      },
    );
    await sb.client.fault(c.org, 'POST', '/Contacts$', { latency_ms: 1_500, count: 1 });
    await sb.client.fault(c.org, 'POST', '/Notes$', { latency_ms: 1_500, count: 1 });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id, 60_000)).toBe('done');
    expect(await records(c.org, 'Contacts')).toHaveLength(1);
    expect(await records(c.org, 'Notes')).toHaveLength(1);
    const posts = (await sb.client.calls(c.org)).filter((x) => x.method === 'POST');
    // Each create was sent once: the retry looked instead of sending again.
    expect(posts.filter((x) => x.path.endsWith('/Contacts'))).toHaveLength(1);
    expect(posts.filter((x) => x.path.endsWith('/Notes'))).toHaveLength(1);
  }, 90_000);

  it('many bookings of one new attendee at once: one Contact, a Note each', async () => {
    c = await connectedApp(sb, kind, { latency_ms: 50 }, { sync: true, syncRetry: { delaySeconds: 1 } });
    const events = Array.from({ length: 6 }, () => bookingEvent({ attendees: [attendee(7)] }));
    await Promise.all(events.map((e) => sendEvent(c!.app.url, e)));
    for (const e of events) expect(await settled(c.app.db, e.id, 60_000)).toBe('done');
    expect(await records(c.org, 'Contacts')).toHaveLength(1);
    expect(await records(c.org, 'Notes')).toHaveLength(6);
  }, 90_000);

  it('when the retries run out the booking ends failed with the cause, shown on the Activity page', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true, syncRetry: { limit: 1, delaySeconds: 1 } });
    await sb.client.fault(c.org, 'GET', '/search', {
      ...zohoError(500, 'INTERNAL_ERROR', 'Internal Server Error'),
      count: 1_000,
    });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id, 60_000)).toBe('failed');
    const { rows } = await c.app.db.query<{ detail: string; error_code: string }>(
      'SELECT detail, error_code FROM events WHERE id = $1',
      [event.id],
    );
    expect(rows[0]!.error_code).toBe('retries_exhausted');
    expect(rows[0]!.detail).toMatch(/^Gave up after 2 attempts: Zoho CRM: Internal Server Error/);
    const page = (await c.session.get('/activity')).html;
    expect(page).toContain('stopped retrying');
    expect(page).toContain('Gave up after 2 attempts');
    expect(await records(c.org, 'Contacts')).toEqual([]);
  }, 90_000);
});
