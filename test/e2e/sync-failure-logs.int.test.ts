import { afterEach, describe, expect, it } from 'vitest';
import { clearFaults, manualClock } from '../helpers/connect-steps.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, refuseNextContactInsert, sendEvent, settled } from '../helpers/events.ts';
import { loggedLines } from '../helpers/logs.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * R6: what an operator sees in the service log when syncs fail. Before, a run with kills and
 * 5xx storms logged retries at info only: no warn or error line at all. Now: a warn line per
 * failed attempt (at most one a minute per connection and failure code), an error line for
 * every event that gives up; ids, codes and statuses only (the suite's log scan checks that no
 * attendee's address or name appears).
 */
const sb = useSandbox();
const WARN = 40;
const ERROR = 50;
const linesOf = (eventIds: string[], level: number) =>
  loggedLines((l) => l['level'] === level && eventIds.includes(l['eventId'] as string));
const internalError = {
  status: 500,
  body: { code: 'INTERNAL_ERROR', details: {}, message: 'Internal Server Error', status: 'error' },
};

describe.each(databaseKinds)('sync failures in the service log on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await clearFaults(sb.client);
    await c?.app.close();
    c = undefined;
  });

  it('R6: failed attempts are warn lines, one a minute per connection and code, naming the event and Zoho’s answer', async () => {
    // The clock never moves: every failure after the first falls in the same minute.
    c = await connectedApp(
      sb,
      kind,
      {},
      { sync: true, syncRetry: { delaySeconds: 1 }, clock: manualClock() },
    );
    // Every search fails until the transport gives up (5 tries), for two attempts of each event.
    await sb.client.fault(c.org, 'GET', '/search', { ...internalError, count: 20 });
    const events = [1, 2].map((i) =>
      bookingEvent({ attendees: [{ email: `p${i}@firm.example`, name: `P ${i}` }] }),
    );
    for (const e of events) await sendEvent(c.app.url, e);
    for (const e of events) expect(await settled(c.app.db, e.id, 60_000)).toBe('done');
    const ids = events.map((e) => e.id);
    const warned = linesOf(ids, WARN);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({
      connectionId: c.connectionId,
      errorCode: 'INTERNAL_ERROR',
      status: 500,
      attempt: 1,
      suppressed: 0,
    });
    expect(linesOf(ids, ERROR)).toEqual([]);
  });

  it('R6: an event that gives up is an error line — refused by Zoho, or out of retries', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true, syncRetry: { limit: 1, delaySeconds: 1 } });
    await refuseNextContactInsert(sb.client, c.org, { code: 'INVALID_DATA', message: 'invalid data' });
    const refused = bookingEvent({ attendees: [{ email: 'refused@firm.example', name: 'Refused Person' }] });
    await sendEvent(c.app.url, refused);
    expect(await settled(c.app.db, refused.id, 60_000)).toBe('failed');
    expect(linesOf([refused.id], ERROR)).toEqual([
      expect.objectContaining({
        connectionId: c.connectionId,
        errorCode: 'INVALID_DATA',
        reason: 'not_retryable',
      }),
    ]);

    await sb.client.fault(c.org, 'GET', '/search', { ...internalError, count: 1_000 });
    const exhausted = bookingEvent({ attendees: [{ email: 'later@firm.example', name: 'Later Person' }] });
    await sendEvent(c.app.url, exhausted);
    expect(await settled(c.app.db, exhausted.id, 60_000)).toBe('failed');
    expect(linesOf([exhausted.id], ERROR)).toEqual([
      expect.objectContaining({
        connectionId: c.connectionId,
        errorCode: 'retries_exhausted',
        reason: 'retries_exhausted',
      }),
    ]);
    // Its first failed attempt was a warn line; the second, in the same minute, was left out.
    expect(linesOf([exhausted.id], WARN)).toEqual([
      expect.objectContaining({ errorCode: 'INTERNAL_ERROR', attempt: 1, attempts: 2 }),
    ]);
  });
});
