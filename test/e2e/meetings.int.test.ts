import { afterEach, describe, expect, it } from 'vitest';
import { findConnection } from '../../src/connections/repo.ts';
import { meetingScopes, requestedScopes } from '../../src/connections/scopes.ts';
import { zohoEmail } from '../helpers/app.ts';
import { clearFaults } from '../helpers/connect-steps.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { authorize } from '../helpers/oauth-flow.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Meetings in Zoho CRM's calendar (issue 16 item 1): off by default and without the Events
 * scopes; turned on from the card, Zoho's consent again for those scopes; then each booking is
 * one Meeting (Events record) with its attendees as participants, moved on a reschedule and
 * marked — never deleted — on a cancellation, made exactly once.
 */
const sb = useSandbox();
const events = (c: Connected) => sb.client.records(c.org, 'Events');
const ada = { email: 'ada.lovelace@analytical.example', name: 'Ada Lovelace' };
const grace = { email: 'grace.hopper@navy.example', name: 'Grace Hopper' };
const eventsScopes = meetingScopes.map((s) => s.scope);
/**
 * A datetime as an instant: Zoho answers in the Zoho user's zone, not the offset written
 * (src/zoho/events.test.ts checks what is written).
 */
const instant = (zoho: string) => new Date(zoho).toISOString();

/** The scopes an authorization request started from the card asks Zoho for. */
async function consentScopes(c: Connected): Promise<string[]> {
  const start = await c.session.get('/integrations/zoho/connect');
  expect(start.status).toBe(303);
  return start.location!.searchParams.get('scope')!.split(',');
}

/** The card's Meetings form ticked, then Zoho's consent accepted; returns the scopes asked for. */
async function turnOnMeetings(c: Connected): Promise<string[]> {
  const saved = await c.session.post('/integrations/zoho/meetings', { sync_meetings: 'on' });
  expect(saved.status).toBe(303);
  expect(saved.location?.pathname).toBe('/integrations/zoho/meetings');
  const step = await c.session.get('/integrations/zoho/meetings');
  expect(step.status).toBe(200);
  expect(step.html).toContain('Zoho asks you once more');
  expect(step.html).toContain('href="/integrations/zoho/connect"');
  const start = await c.session.get('/integrations/zoho/connect');
  const asked = start.location!.searchParams.get('scope')!.split(',');
  const back = await authorize(sb.base, Object.fromEntries(start.location!.searchParams), zohoEmail(c.org));
  const done = await c.session.get(back.toString());
  expect(done.location?.search).toBe('?done=connected');
  return asked;
}

async function sync(c: Connected, event: ReturnType<typeof bookingEvent>) {
  expect((await sendEvent(c.app.url, event)).status).toBe(202);
  expect(await settled(c.app.db, event.id, 60_000)).toBe('done');
}

async function activity(c: Connected, eventId: string): Promise<string[]> {
  const { rows } = await c.app.db.query<{ message: string }>(
    'SELECT message FROM activity WHERE event_id = $1 ORDER BY id',
    [eventId],
  );
  return rows.map((r) => r.message);
}

describe.each(databaseKinds)('meetings in Zoho CRM’s calendar on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await clearFaults(sb.client);
    await c?.app.close();
    c = undefined;
  });

  it('off by default: no Meeting, and no Events scope in the consent request', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    expect(await consentScopes(c)).toEqual([...requestedScopes]);
    const event = bookingEvent({ attendees: [ada] });
    await sync(c, event);
    expect(await sb.client.records(c.org, 'Notes')).toHaveLength(1);
    expect(await events(c)).toEqual([]);
    expect((await activity(c, event.id)).join('\n')).not.toMatch(/calendar/);
  });

  it('turning it on asks Zoho for the Events scopes added to the default ones; until accepted, bookings sync without a Meeting', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const saved = await c.session.post('/integrations/zoho/meetings', { sync_meetings: 'on' });
    expect(saved.location?.pathname).toBe('/integrations/zoho/meetings');
    const waiting = bookingEvent({ attendees: [ada] });
    await sync(c, waiting);
    expect(await events(c)).toEqual([]);
    expect(await sb.client.records(c.org, 'Notes')).toHaveLength(1);
    expect((await activity(c, waiting.id)).join('\n')).toContain(
      'Zoho has not granted PepoSmart the permission for meetings yet',
    );
    // A later normal reconnect keeps asking for them while the setting is on.
    expect(await consentScopes(c)).toEqual([...requestedScopes, ...eventsScopes]);

    expect(await turnOnMeetings(c)).toEqual([...requestedScopes, ...eventsScopes]);
    const conn = (await findConnection(c.app.db, 'ws_demo', 'usr_alex'))!;
    for (const s of eventsScopes) expect(conn.scopes).toContain(s);
    const booked = bookingEvent({ attendees: [ada] });
    await sync(c, booked);
    expect(await events(c)).toHaveLength(1);

    // Off again: no consent, no Meeting; the grant is left as it is.
    const off = await c.session.post('/integrations/zoho/meetings', {});
    expect(off.location?.search).toBe('?done=saved');
    expect(await consentScopes(c)).toEqual([...requestedScopes]);
    await sync(c, bookingEvent({ attendees: [ada] }));
    expect(await events(c)).toHaveLength(1);
  });

  it('declining Zoho’s request for the Meetings permissions keeps the connection as it was: no problem on the card, bookings still sync', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await c.session.post('/integrations/zoho/meetings', { sync_meetings: 'on' });
    const start = await c.session.get('/integrations/zoho/connect');
    const back = await authorize(
      sb.base,
      Object.fromEntries(start.location!.searchParams),
      zohoEmail(c.org),
      'deny',
    );
    const done = await c.session.get(back.toString());
    expect(done.location?.search).toBe('?failed=denied_kept');
    const page = await c.session.get(`/integrations${done.location!.search}`);
    expect(page.html).toContain('so your connection stays as it was.');
    expect(page.html).toContain('id="zoho-status">Connected</span>');
    expect(page.html).not.toContain('id="zoho-problem"');
    const conn = (await findConnection(c.app.db, 'ws_demo', 'usr_alex'))!;
    expect(conn.problem).toBeNull();
    expect(conn.status).toBe('connected');
    await sync(c, bookingEvent({ attendees: [ada] }));
    expect(await sb.client.records(c.org, 'Notes')).toHaveLength(1);
    expect(await events(c)).toEqual([]);
  });

  it('the choice is the signed-in user’s own: another user, of this workspace or another, changes nothing of Alex’s', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    for (const other of ['usr_sam', 'usr_olga']) {
      const session = await c.app.signIn(other);
      const res = await session.post('/integrations/zoho/meetings', { sync_meetings: 'on' });
      expect(res.status).toBe(303);
      expect(res.location?.pathname).toBe('/integrations');
      expect((await session.get('/integrations/zoho/meetings')).location?.pathname).toBe('/integrations');
    }
    expect((await findConnection(c.app.db, 'ws_demo', 'usr_alex'))!.settings.syncMeetings).toBe(false);
    expect(await consentScopes(c)).toEqual([...requestedScopes]);
  });

  it('a booking is one Meeting with every attendee as a participant; a reschedule moves it; a cancellation marks it and keeps it', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sb.client.seed(c.org, 'Leads', [
      { Last_Name: 'Hopper', First_Name: 'Grace', Email: grace.email, Company: 'US Navy' },
    ]);
    await turnOnMeetings(c);
    const created = bookingEvent({ bookingId: 'bk_meeting', attendees: [ada, grace] });
    await sync(c, created);

    const [contact] = await sb.client.records(c.org, 'Contacts');
    const [lead] = await sb.client.records(c.org, 'Leads');
    const [meeting, ...more] = await events(c);
    expect(more).toEqual([]);
    expect(meeting).toMatchObject({
      Event_Title: 'Discovery call',
      Venue: 'https://meet.example.com/abc-defg',
      Owner: { id: c.org.users[0]!.id },
      Who_Id: { id: contact.id },
    });
    expect(instant(meeting.Start_DateTime)).toBe('2026-12-01T09:00:00.000Z');
    expect(instant(meeting.End_DateTime)).toBe('2026-12-01T09:30:00.000Z');
    expect(meeting.Description).toContain('Talk about the rollout.');
    expect(meeting.Description).toMatch(/Booking id: bk_meeting · added by PepoSmart$/);
    expect(
      meeting.Participants.map((p: { type: string; participant: string }) => [p.type, p.participant]),
    ).toEqual([
      ['contact', contact.id],
      ['lead', lead.id],
    ]);
    expect(await activity(c, created.id)).toContain(
      "Created the meeting “Discovery call” in Zoho CRM's calendar, with 2 attendees as participants.",
    );

    const moved = bookingEvent({
      type: 'booking.rescheduled',
      bookingId: 'bk_meeting',
      attendees: [ada, grace],
    });
    moved.data.booking.start_time = '2026-12-02T14:00:00Z';
    moved.data.booking.end_time = '2026-12-02T14:30:00Z';
    await sync(c, moved);
    const [after] = await events(c);
    expect(await events(c)).toHaveLength(1);
    expect(after).toMatchObject({ id: meeting.id, Event_Title: 'Discovery call' });
    expect(instant(after.Start_DateTime)).toBe('2026-12-02T14:00:00.000Z');
    expect(instant(after.End_DateTime)).toBe('2026-12-02T14:30:00.000Z');
    expect((await activity(c, moved.id)).join('\n')).toContain('Moved the meeting “Discovery call”');
    // The Notes still say what changed.
    const notes = await sb.client.records(c.org, 'Notes');
    expect(notes.map((n) => n.Note_Title)).toContain('Meeting rescheduled: Discovery call');

    const cancelled = bookingEvent({
      type: 'booking.cancelled',
      bookingId: 'bk_meeting',
      attendees: [ada, grace],
    });
    Object.assign(cancelled.data.booking, { cancel_reason: 'Customer travelling' });
    await sync(c, cancelled);
    const kept = await events(c);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ id: meeting.id, Event_Title: 'Cancelled: Discovery call' });
    expect(kept[0].Description).toContain('Reason: Customer travelling');
    expect((await activity(c, cancelled.id)).join('\n')).toContain(
      'Marked the meeting “Discovery call” cancelled',
    );
    const calls = await sb.client.calls(c.org);
    expect(calls.filter((x) => x.method === 'DELETE')).toEqual([]);
  });

  it('field rows for Meetings land in the Meeting; a value the field cannot take is left out with a warning, the Meeting still written', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    expect(
      (await sb.client.addField(c.org, { module: 'Events', label: 'Meeting Source', type: 'text' })).status,
    ).toBe(201);
    expect(
      (await sb.client.addField(c.org, { module: 'Events', label: 'Seats', type: 'integer' })).status,
    ).toBe(201);
    await turnOnMeetings(c);
    expect((await c.session.post('/integrations/zoho/fields/refresh')).status).toBe(303);
    for (const row of [
      { field: 'Events.Meeting_Source', source: 'event_type' },
      { field: 'Events.Seats', source: 'response', question: 'Seats' },
    ]) {
      const res = await c.session.post('/integrations/zoho/field-rows', row);
      expect(res.status, `${row.field}: ${res.html}`).toBe(303);
    }
    const event = bookingEvent({ attendees: [ada] });
    Object.assign(event.data.booking, { responses: { Seats: 'a dozen' } });
    await sync(c, event);
    const [meeting, ...more] = await events(c);
    expect(more).toEqual([]);
    expect(meeting).toMatchObject({ Meeting_Source: '30 min intro', Event_Title: 'Discovery call' });
    expect(meeting.Seats ?? null).toBeNull();
    expect((await activity(c, event.id)).join('\n')).toMatch(/Seats/);
  });

  it('a Lead first links the Meeting with What_Id and $se_module Leads', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sb.client.seed(c.org, 'Leads', [
      { Last_Name: 'Hopper', First_Name: 'Grace', Email: grace.email, Company: 'US Navy' },
    ]);
    await turnOnMeetings(c);
    await sync(c, bookingEvent({ attendees: [grace] }));
    const [lead] = await sb.client.records(c.org, 'Leads');
    const [meeting] = await events(c);
    expect(meeting).toMatchObject({ What_Id: { id: lead.id }, $se_module: 'Leads' });
    expect(meeting.Who_Id ?? null).toBeNull();
  });

  it('a reschedule of a booking made before Meetings were on adds the Meeting; a cancellation of one never added writes nothing and says so', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sync(c, bookingEvent({ bookingId: 'bk_early', attendees: [ada] }));
    await sync(c, bookingEvent({ bookingId: 'bk_other', attendees: [ada] }));
    await turnOnMeetings(c);
    const moved = bookingEvent({ type: 'booking.rescheduled', bookingId: 'bk_early', attendees: [ada] });
    moved.data.booking.start_time = '2026-12-03T08:00:00Z';
    moved.data.booking.end_time = '2026-12-03T09:00:00Z';
    await sync(c, moved);
    const [meeting, ...more] = await events(c);
    expect(more).toEqual([]);
    expect(instant(meeting.Start_DateTime)).toBe('2026-12-03T08:00:00.000Z');

    const cancelled = bookingEvent({ type: 'booking.cancelled', bookingId: 'bk_other', attendees: [ada] });
    await sync(c, cancelled);
    expect(await events(c)).toHaveLength(1);
    expect((await activity(c, cancelled.id)).join('\n')).toContain(
      "No meeting in Zoho CRM's calendar to mark cancelled",
    );
  });

  it('a Meeting deleted in Zoho is added again on a reschedule; a cancellation of a deleted one deletes nothing', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await turnOnMeetings(c);
    await sync(c, bookingEvent({ bookingId: 'bk_gone', attendees: [ada] }));
    const [first] = await events(c);
    await sb.client.deleteRecord(c.org, 'Events', first.id);
    const moved = bookingEvent({ type: 'booking.rescheduled', bookingId: 'bk_gone', attendees: [ada] });
    await sync(c, moved);
    const [again, ...more] = await events(c);
    expect(more).toEqual([]);
    expect(again.id).not.toBe(first.id);
    expect((await activity(c, moved.id)).join('\n')).toContain('was deleted in Zoho CRM; added');

    await sb.client.deleteRecord(c.org, 'Events', again.id);
    const cancelled = bookingEvent({ type: 'booking.cancelled', bookingId: 'bk_gone', attendees: [ada] });
    await sync(c, cancelled);
    expect(await events(c)).toEqual([]);
    expect((await activity(c, cancelled.id)).join('\n')).toContain('nothing to mark cancelled');
  });

  it('exactly once: a Meeting Zoho saved but never answered is found among the attendee’s meetings, not added again', async () => {
    c = await connectedApp(
      sb,
      kind,
      {},
      {
        sync: true,
        syncRetry: { delaySeconds: 1 },
        zohoTimeoutMs: 1_000,
        claimTiming: { staleMs: 120_000, searchLagMs: 5_000, waitMs: 5_000 },
      },
    );
    await sb.client.seed(c.org, 'Contacts', [{ Last_Name: 'Lovelace', First_Name: 'Ada', Email: ada.email }]);
    await turnOnMeetings(c);
    // Zoho saves it after 2 s; PepoSmart stops waiting after 1 s.
    await sb.client.fault(c.org, 'POST', '/Events$', { latency_ms: 2_000, count: 1 });
    const event = bookingEvent({ attendees: [ada] });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id, 60_000)).toBe('done');
    expect(await events(c)).toHaveLength(1);
    const calls = await sb.client.calls(c.org);
    expect(calls.filter((x) => x.method === 'POST' && x.path.endsWith('/Events'))).toHaveLength(1);
    expect(calls.some((x) => x.method === 'GET' && /\/Contacts\/\d+\/Invited_Events$/.test(x.path))).toBe(
      true,
    );
  });
});
