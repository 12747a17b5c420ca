import { afterEach, describe, expect, it } from 'vitest';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const sb = useSandbox();

const records = (org: { org_id: string }, module: string) => sb.client.records(org, module);

describe.each(databaseKinds)('booking sync on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('a signed booking creates the Contact and the Note with every field', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const event = bookingEvent();
    const res = await sendEvent(c.app.url, event);
    expect(res).toEqual({ status: 202, body: { id: event.id, status: 'accepted' } });
    expect(await settled(c.app.db, event.id)).toBe('done');

    const [contact] = await records(c.org, 'Contacts');
    expect(contact).toMatchObject({
      First_Name: 'Ada',
      Last_Name: 'Lovelace',
      Email: 'ada.lovelace@analytical.example',
      Phone: '+44 20 1234',
    });
    expect(contact.Description).toContain('PepoSmart');
    expect(contact.Owner.id).toBe(c.org.users[0]!.id);
    const notes = await records(c.org, 'Notes');
    expect(notes).toHaveLength(1);
    expect(notes[0].Parent_Id.id).toBe(contact.id);
    expect(notes[0].Note_Title).toBe('Meeting booked: Discovery call');
    expect(notes[0].Note_Content).toContain(
      'Tue, 1 Dec 2026, 10:00 – Tue, 1 Dec 2026, 10:30 (Europe/Berlin)',
    );
    expect(notes[0].Note_Content).toContain('https://meet.example.com/abc-defg');
    expect(notes[0].Note_Content).toContain(event.data.booking.id);
  });

  it('the same event twice: one Contact, one Note; two bookings of one attendee: one Contact, two Notes', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const first = bookingEvent();
    expect((await sendEvent(c.app.url, first)).status).toBe(202);
    expect(await settled(c.app.db, first.id)).toBe('done');
    expect(await sendEvent(c.app.url, first)).toEqual({
      status: 200,
      body: { id: first.id, status: 'duplicate' },
    });
    const second = bookingEvent();
    await sendEvent(c.app.url, second);
    expect(await settled(c.app.db, second.id)).toBe('done');
    expect(await records(c.org, 'Contacts')).toHaveLength(1);
    expect(await records(c.org, 'Notes')).toHaveLength(2);
  });

  it('a reschedule and a cancellation add Notes saying what changed, on the same record', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const created = bookingEvent({ bookingId: 'bk_moving' });
    await sendEvent(c.app.url, created);
    expect(await settled(c.app.db, created.id)).toBe('done');
    const moved = bookingEvent({ type: 'booking.rescheduled', bookingId: 'bk_moving' });
    moved.data.booking.start_time = '2026-12-02T14:00:00Z';
    moved.data.booking.end_time = '2026-12-02T14:30:00Z';
    await sendEvent(c.app.url, moved);
    expect(await settled(c.app.db, moved.id)).toBe('done');
    const cancelled = bookingEvent({ type: 'booking.cancelled', bookingId: 'bk_moving' });
    Object.assign(cancelled.data.booking, { cancel_reason: 'Customer travelling' });
    await sendEvent(c.app.url, cancelled);
    expect(await settled(c.app.db, cancelled.id)).toBe('done');

    const contacts = await records(c.org, 'Contacts');
    expect(contacts).toHaveLength(1);
    const notes = await records(c.org, 'Notes');
    expect(notes.map((n) => n.Parent_Id.id)).toEqual([contacts[0].id, contacts[0].id, contacts[0].id]);
    const byTitle = Object.fromEntries(notes.map((n) => [n.Note_Title, n.Note_Content as string]));
    expect(byTitle['Meeting rescheduled: Discovery call']).toContain(
      'Now: Wed, 2 Dec 2026, 15:00 – Wed, 2 Dec 2026, 15:30 (Europe/Berlin)',
    );
    expect(byTitle['Meeting rescheduled: Discovery call']).toContain(
      'Was: Tue, 1 Dec 2026, 10:00 – Tue, 1 Dec 2026, 10:30 (Europe/Berlin)',
    );
    expect(byTitle['Meeting cancelled: Discovery call']).toContain('Reason: Customer travelling');
    expect(byTitle['Meeting cancelled: Discovery call']).toContain('bk_moving');
  });

  it('an attendee who is an existing Lead gets the Note on the Lead and no Contact', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sb.client.json('POST', `/__sandbox/orgs/${c.org.org_id}/records`, {
      module: 'Leads',
      data: [
        { Last_Name: 'Hopper', First_Name: 'Grace', Email: 'Grace.Hopper@Navy.example', Company: 'US Navy' },
      ],
    });
    const event = bookingEvent({ attendees: [{ email: 'grace.hopper@navy.example', name: 'Grace Hopper' }] });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    const [lead] = await records(c.org, 'Leads');
    expect(await records(c.org, 'Contacts')).toEqual([]);
    const notes = await records(c.org, 'Notes');
    expect(notes.map((x) => x.Parent_Id.id)).toEqual([lead.id]);
  });

  it('the Leads setting creates Leads with a Company (the booking’s, else from the email); an email-only attendee gets a Last_Name', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await c.session.post('/integrations/zoho/settings', {
      new_attendee_module: 'Leads',
      sync_bookings: 'on',
    });
    const event = bookingEvent({
      attendees: [
        { email: 'j.doe@acme-widgets.example' },
        { email: 'solo@gmail.com' },
        { email: 'rita@gmail.com', name: 'Rita Rao', company: 'Rao Consulting GmbH' },
      ],
    });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    const leads = (await records(c.org, 'Leads')).sort((a, b) => a.Email.localeCompare(b.Email));
    expect(leads.map((l) => [l.First_Name ?? null, l.Last_Name, l.Company])).toEqual([
      ['J', 'Doe', 'Acme Widgets'],
      ['Rita', 'Rao', 'Rao Consulting GmbH'],
      [null, 'Solo', 'Solo'],
    ]);
    expect(await records(c.org, 'Contacts')).toEqual([]);
  });

  it('“only log on existing records”: an unknown attendee is not created, a known one gets the Note', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await c.session.post('/integrations/zoho/settings', {
      new_attendee_module: 'Contacts',
      sync_bookings: 'on',
      only_existing: 'on',
    });
    await sb.client.json('POST', `/__sandbox/orgs/${c.org.org_id}/records`, {
      module: 'Contacts',
      data: [{ Last_Name: 'Known', Email: 'known@client.example' }],
    });
    const event = bookingEvent({
      attendees: [{ email: 'known@client.example' }, { email: 'new@client.example' }],
    });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    expect((await records(c.org, 'Contacts')).map((x) => x.Email)).toEqual(['known@client.example']);
    expect(await records(c.org, 'Notes')).toHaveLength(1);
    expect((await c.session.get('/activity')).html).toContain('new@client.example is not in Zoho CRM');
  });

  it('Zoho workflow rules fire on our writes only when the user allows it', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sb.client.json('POST', `/__sandbox/orgs/${c.org.org_id}/workflow-rules`, {
      name: 'Welcome',
      module: 'Contacts',
    });
    const runs = async () =>
      (await sb.client.json('GET', `/__sandbox/orgs/${c!.org.org_id}/workflow-runs`)).body.runs;
    const quiet = bookingEvent({ attendees: [{ email: 'quiet@client.example' }] });
    await sendEvent(c.app.url, quiet);
    expect(await settled(c.app.db, quiet.id)).toBe('done');
    expect(await runs()).toEqual([]);

    await c.session.post('/integrations/zoho/settings', {
      new_attendee_module: 'Contacts',
      sync_bookings: 'on',
      fire_workflows: 'on',
    });
    const loud = bookingEvent({ attendees: [{ email: 'loud@client.example' }] });
    await sendEvent(c.app.url, loud);
    expect(await settled(c.app.db, loud.id)).toBe('done');
    expect((await runs()).length).toBe(1);
  });

  it('refuses a bad or stale signature and an invalid body, recording nothing', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const event = bookingEvent();
    expect((await sendEvent(c.app.url, event, { secret: 'wrong-secret-wrong-secret-wrong!!' })).status).toBe(
      401,
    );
    expect((await sendEvent(c.app.url, event, { signature: null })).status).toBe(401);
    expect((await sendEvent(c.app.url, event, { at: Math.floor(Date.now() / 1000) - 400 })).status).toBe(401);
    const bad = await sendEvent(c.app.url, {
      ...event,
      data: { booking: { ...event.data.booking, start_time: 'soon' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toContain('data.booking.start_time');
    expect((await sendEvent(c.app.url, null, { raw: '{not json' })).status).toBe(400);
    const big = await sendEvent(c.app.url, null, { raw: JSON.stringify({ pad: 'x'.repeat(1_100_000) }) });
    expect(big.status).toBe(413);
    const { rows } = await c.app.db.query('SELECT id FROM events');
    expect(rows).toEqual([]);
  });

  it('serves the OpenAPI document of the event API', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const doc = (await (await fetch(`${c.app.url}/api/v1/openapi.json`)).json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    const post = doc.paths['/api/v1/events'].post;
    expect(Object.keys(post.responses).sort()).toEqual(['200', '202', '400', '401', '413']);
    expect(JSON.stringify(post.requestBody)).toContain('booking.created');
  });

  it('a disconnected host’s booking is recorded as skipped and makes no Zoho call', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await c.session.post('/integrations/zoho/disconnect');
    const before = (await sb.client.calls(c.org)).length;
    const event = bookingEvent();
    expect((await sendEvent(c.app.url, event)).status).toBe(202);
    expect(await settled(c.app.db, event.id)).toBe('skipped');
    expect((await sb.client.calls(c.org)).length).toBe(before);
  });
});
