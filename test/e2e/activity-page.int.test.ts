import { afterEach, describe, expect, it } from 'vitest';
import { utcMinute } from '../../src/web/views/ui.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { textOf } from '../helpers/connect-steps.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { pipelines, suggestionFor } from '../helpers/deals.ts';
import { bookingEvent, notesEvent, sendEvent } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * The Activity page as a sales team reads it (issue 14): statuses as labelled badges, event
 * kinds in words, the meeting's title and attendees first with internal ids tucked away,
 * filters with counts, a suggestion's line as the suggestion stands now, and empty states
 * that say what to do next.
 */
const sb = useSandbox();

/** One event's card in a page. */
function cardOf(page: string, eventId: string): string {
  const start = page.indexOf(`<section class="card event" id="event-${eventId}"`);
  expect(start, `card of ${eventId}`).toBeGreaterThanOrEqual(0);
  return page.slice(start, page.indexOf('</section>', start) + '</section>'.length);
}
const cardIds = (page: string) =>
  [...page.matchAll(/<section class="card event" id="event-([^"]+)"/g)].map((m) => m[1]);
/** A card without its "Details for support". */
const outsideDetails = (card: string) => card.replace(/<details class="more">[\s\S]*?<\/details>/, '');
const detailsOf = (card: string) => /<details class="more">[\s\S]*?<\/details>/.exec(card)?.[0] ?? '';

/** Events put in each state as the sync would leave them (no worker runs in these apps). */
async function setStatus(app: TestApp, eventId: string, status: string, fields: Record<string, string> = {}) {
  await app.db.query('UPDATE events SET status = $2, detail = $3, error_code = $4 WHERE id = $1', [
    eventId,
    status,
    fields['detail'] ?? null,
    fields['error_code'] ?? null,
  ]);
}

describe.each(databaseKinds)('Activity page states on %s', (kind) => {
  let c: Connected | undefined;
  let plain: TestApp | undefined;
  afterEach(async () => {
    await c?.app.close();
    await plain?.close();
    c = undefined;
    plain = undefined;
  });

  /** Six bookings: one synced, one failed, one waiting, one skipped, two in progress. */
  async function eachStatus() {
    c = await connectedApp(sb, kind, {}, { sync: true, worker: false });
    const events = Array.from({ length: 6 }, () => bookingEvent());
    for (const e of events) expect((await sendEvent(c.app.url, e)).status).toBe(202);
    const [done, failed, waiting, skipped, queued1, queued2] = events.map((e) => e.id) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    await setStatus(c.app, done, 'done');
    await setStatus(c.app, failed, 'failed', { detail: 'Rule: no test domains', error_code: 'INVALID_DATA' });
    await setStatus(c.app, waiting, 'waiting', { detail: 'reconnect needed' });
    await setStatus(c.app, skipped, 'skipped', { detail: 'disconnected' });
    return { done, failed, waiting, skipped, queued: [queued1, queued2] };
  }

  it('shows each status as a labelled badge, and filters by status with counts', async () => {
    const ids = await eachStatus();
    const page = (await c!.session.get('/activity')).html;
    expect(cardOf(page, ids.done)).toContain('<span class="badge ok">Synced</span>');
    expect(cardOf(page, ids.failed)).toContain('<span class="badge failed">Failed</span>');
    expect(cardOf(page, ids.waiting)).toContain('<span class="badge waiting">Waiting for reconnect</span>');
    expect(cardOf(page, ids.skipped)).toContain('<span class="badge skipped">Skipped</span>');
    expect(textOf(cardOf(page, ids.skipped))).toContain('Zoho CRM was disconnected');
    for (const id of ids.queued)
      expect(cardOf(page, id)).toContain('<span class="badge progress">In progress</span>');

    const filters = /<ul class="filters" id="activity-filters">[\s\S]*?<\/ul>/.exec(page)?.[0] ?? '';
    expect(textOf(filters)).toBe('All (6) Failed (1) In progress (2) Waiting for reconnect (1)');
    expect(filters).toContain('<a href="/activity" data-filter="all" aria-current="page">');
    expect(filters).toContain('href="/activity?status=failed"');
    expect(filters).toContain('href="/activity?status=in_progress"');
    expect(filters).toContain('href="/activity?status=waiting"');

    // The Zoho card on Integrations links exactly here.
    const failedOnly = (await c!.session.get('/activity?status=failed')).html;
    expect(cardIds(failedOnly)).toEqual([ids.failed]);
    expect(failedOnly).toContain(
      '<a href="/activity?status=failed" data-filter="failed" aria-current="page">',
    );
    expect(failedOnly).not.toContain('http-equiv="refresh"');
    const inProgress = (await c!.session.get('/activity?status=in_progress')).html;
    expect(cardIds(inProgress).sort()).toEqual([...ids.queued].sort());
    expect(inProgress).not.toContain('http-equiv="refresh"');
    const auto = (await c!.session.get('/activity?status=in_progress&refresh=auto')).html;
    expect(auto).toContain('<meta http-equiv="refresh" content="5">');
    expect(auto).toContain('<a href="/activity?status=failed&amp;refresh=auto" data-filter="failed">');
    expect(auto).toContain('<a href="/activity?status=in_progress">Stop refreshing</a>');
    expect(cardIds((await c!.session.get('/activity?status=waiting')).html)).toEqual([ids.waiting]);

    // An unknown or repeated value is "All", not an error.
    for (const q of ['?status=bogus', '?status=failed&status=waiting', '?status=']) {
      const all = await c!.session.get(`/activity${q}`);
      expect(all.status).toBe(200);
      expect(cardIds(all.html)).toHaveLength(6);
      expect(all.html).toContain('<a href="/activity" data-filter="all" aria-current="page">');
    }
  });

  it('an empty filter says so and links back to All; "Waiting for reconnect" is offered only when something waits', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true, worker: false });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    await setStatus(c.app, event.id, 'done');
    const page = (await c.session.get('/activity')).html;
    expect(page).not.toContain('data-filter="waiting"');
    const failed = (await c.session.get('/activity?status=failed')).html;
    expect(cardIds(failed)).toEqual([]);
    const empty = /<div class="empty" id="no-matching-activity">[\s\S]*?<\/div>/.exec(failed)?.[0] ?? '';
    expect(textOf(empty)).toContain('Nothing failed');
    expect(empty).toContain('<a class="button" href="/activity">Show all events</a>');
    expect(failed).not.toContain('id="no-activity"');
  });

  it('a card is headed by the meeting and who it is with, says what kind of event it was, and tucks ids away', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true, worker: false });
    const grace = { email: 'grace.hopper@navy.example', name: 'Grace Hopper' };
    const booked = bookingEvent({
      attendees: [{ email: 'ada.lovelace@analytical.example', name: 'Ada Lovelace' }, grace],
    });
    const bookingId = booked.data.booking.id;
    const moved = bookingEvent({ type: 'booking.rescheduled', bookingId });
    const cancelled = bookingEvent({ type: 'booking.cancelled', bookingId });
    const notes = notesEvent(bookingId, { summary: 'Talked about the rollout.' });
    const stray = notesEvent('bk_never_booked', { summary: 'x' });
    for (const e of [booked, moved, cancelled, notes, stray]) await sendEvent(c.app.url, e);
    const page = (await c.session.get('/activity')).html;

    const card = cardOf(page, booked.id);
    expect(card).toMatch(/<div class="card-head"><h3>Discovery call<\/h3><span class="badge /);
    expect(textOf(card)).toContain(
      'With Ada Lovelace (ada.lovelace@analytical.example), Grace Hopper (grace.hopper@navy.example)',
    );
    const { rows } = await c.app.db.query<{ received_at: string }>(
      'SELECT received_at FROM events WHERE id = $1',
      [booked.id],
    );
    expect(textOf(card)).toContain(
      `Meeting booked · scheduled 2026-12-01 09:00 UTC · received ${utcMinute(new Date(rows[0]!.received_at))}`,
    );
    expect(outsideDetails(card)).not.toContain(bookingId);
    expect(outsideDetails(card)).not.toContain('booking.created');
    expect(textOf(detailsOf(card))).toContain(`Event id ${booked.id} Booking id ${bookingId}`);
    expect(detailsOf(card)).toContain('<summary>Details for support</summary>');

    expect(textOf(cardOf(page, moved.id))).toContain('Meeting rescheduled');
    expect(textOf(cardOf(page, cancelled.id))).toContain('Meeting cancelled');
    // Notes carry no title: the booking's is shown, with its attendees.
    const notesCard = cardOf(page, notes.id);
    expect(notesCard).toContain('<h3>Discovery call</h3>');
    expect(textOf(notesCard)).toContain('With Ada Lovelace');
    expect(textOf(notesCard)).toContain('AI meeting notes');
    expect(outsideDetails(notesCard)).not.toContain('meeting.notes_processed');
    expect(outsideDetails(notesCard)).not.toContain('Meeting notes</h3>');
    // Notes for a booking never received (skipped at intake, so only an admin sees them).
    expect(cardOf(page, stray.id)).toContain(
      '<h3>Meeting notes for a booking PepoSmart has no record of</h3>',
    );
  });

  it('a suggestion’s line says it was rejected once it was, not "waiting for your approval"', async () => {
    c = await connectedApp(sb, kind, { pipelines }, { sync: true });
    const { id } = await suggestionFor(sb.client, c);
    const notesId = await eventOf(c, id!);
    const before = cardOf((await c.session.get('/activity')).html, notesId);
    expect(before).toContain('data-suggestion="open"');
    expect(textOf(before)).toContain(
      'Suggested moving the deal “Analytical Engines” from “Value Proposition” to “Proposal/Price Quote”: waiting for your approval.',
    );
    expect(before).toContain(`<a href="/suggestions/${id}">Open the suggestion</a>`);

    expect((await c.session.post(`/suggestions/${id}/reject`)).status).toBe(303);
    const after = (await c.session.get('/activity')).html;
    expect(cardOf(after, notesId)).toContain('data-suggestion="rejected"');
    expect(textOf(cardOf(after, notesId))).toContain('rejected, so nothing was written to Zoho CRM');
    expect(after).not.toContain('waiting for your approval');
  });

  it('a suggestion’s line says what was written once it was approved', async () => {
    c = await connectedApp(sb, kind, { pipelines }, { sync: true });
    const { id } = await suggestionFor(sb.client, c);
    const notesId = await eventOf(c, id!);
    expect(
      (await c.session.post(`/suggestions/${id}/approve`, { stage: 'Proposal/Price Quote' })).status,
    ).toBe(303);
    const page = (await c.session.get('/activity')).html;
    expect(cardOf(page, notesId)).toContain('data-suggestion="approved"');
    expect(textOf(cardOf(page, notesId))).toContain(
      'approved. Moved “Analytical Engines” from “Value Proposition” to “Proposal/Price Quote”.',
    );
    expect(page).not.toContain('waiting for your approval');
  });

  it('with no events and Zoho CRM not connected: connect first, with the way to Integrations', async () => {
    plain = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base, sync: true });
    const page = (await (await plain.signIn('usr_alex')).get('/activity')).html;
    const empty = /<div class="empty" id="no-activity">[\s\S]*?<\/div>/.exec(page)?.[0] ?? '';
    expect(textOf(empty)).toContain('Connect Zoho CRM first');
    expect(textOf(empty)).toContain('Zoho CRM must be connected');
    expect(empty).toContain('<a class="button" href="/integrations">Connect on Integrations</a>');
    expect(page).not.toContain('id="activity-filters"');
  });

  it('with no events and Zoho CRM connected: events appear as meetings are booked; in sandbox mode, Try it', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true, worker: false });
    const sandbox = (await c.session.get('/activity')).html;
    const empty = /<div class="empty" id="no-activity">[\s\S]*?<\/div>/.exec(sandbox)?.[0] ?? '';
    expect(textOf(empty)).toContain('Events appear here as meetings are booked');
    expect(textOf(empty)).toContain('Try it panel on Integrations');
    expect(empty).toContain('href="/integrations#try-it"');

    await c.app.db.query(`UPDATE connections SET status = 'reconnect_needed' WHERE id = $1`, [
      c.connectionId,
    ]);
    const reconnect = (await c.session.get('/activity')).html;
    expect(textOf(reconnect)).toContain('Zoho CRM needs to be reconnected');
    expect(reconnect).toContain('<a class="button" href="/integrations">Reconnect on Integrations</a>');
  });

  it('with no events, connected, outside sandbox mode: no Try it', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true, worker: false, sandboxMode: false });
    const page = (await c.session.get('/activity')).html;
    const empty = /<div class="empty" id="no-activity">[\s\S]*?<\/div>/.exec(page)?.[0] ?? '';
    expect(textOf(empty)).toContain('Events appear here as meetings are booked');
    expect(empty).not.toContain('Try it');
  });
});

async function eventOf(c: Connected, suggestionId: string): Promise<string> {
  const { rows } = await c.app.db.query<{ event_id: string }>(
    'SELECT event_id FROM suggestions WHERE id = $1',
    [suggestionId],
  );
  return rows[0]!.event_id;
}
