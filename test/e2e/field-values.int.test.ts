import { afterEach, describe, expect, it } from 'vitest';
import { readFieldCache, readFieldRows } from '../../src/connections/zoho-fields.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, notesEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const sb = useSandbox();

const records = (org: { org_id: string }, module: string) => sb.client.records(org, module);
const fieldReads = async (c: Connected) =>
  (await sb.client.calls(c.org)).filter((x: { path: string }) => x.path.endsWith('/settings/fields')).length;
const activityLines = async (c: Connected, eventId: string) =>
  (
    await c.app.db.query<{ action: string; message: string }>(
      'SELECT action, message FROM activity WHERE event_id = $1 ORDER BY id',
      [eventId],
    )
  ).rows;

/** A booking whose form had answers and whose page carried UTM parameters. */
function richBooking() {
  const event = bookingEvent();
  Object.assign(event.data.booking, {
    responses: {
      'Your role': 'Head of Sales',
      'Company website': 'https://analytical.example',
      Stage: 'contacted',
    },
    utm: { source: 'newsletter', campaign: 'winter-2026' },
  });
  return event;
}

/** Leads for new attendees, the org's fields read, and the rows added through the card's forms. */
async function withRows(c: Connected, rows: Array<Record<string, string>>) {
  const saved = await c.session.post('/integrations/zoho/settings', {
    new_attendee_module: 'Leads',
    sync_bookings: 'on',
  });
  expect(saved.status).toBe(303);
  expect((await c.session.post('/integrations/zoho/fields/refresh')).status).toBe(303);
  for (const row of rows) {
    const res = await c.session.post('/integrations/zoho/field-rows', row);
    expect(res.status, res.html).toBe(303);
  }
}

describe.each(databaseKinds)('field values on create on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('each value source lands in the new Lead: fixed picklist value, answers, UTM; no Lead Source by default', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await withRows(c, [
      { field: 'Leads.Lead_Source', source: 'fixed', fixed_value: 'Web Download' },
      { field: 'Leads.Lead_Status', source: 'response', question: 'Stage' },
      { field: 'Leads.Title', source: 'utm', utm_key: 'campaign' },
      { field: 'Leads.Website', source: 'response', question: 'company website' },
    ]);
    const event = richBooking();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    const [lead] = await records(c.org, 'Leads');
    expect(lead).toMatchObject({
      Last_Name: 'Lovelace',
      Lead_Source: 'Web Download',
      Lead_Status: 'Contacted',
      Title: 'winter-2026',
      Website: 'https://analytical.example',
    });
    expect((await activityLines(c, event.id)).filter((l) => l.action === 'skipped')).toEqual([]);

    // Without rows nothing but PepoSmart's own fields is written: no fixed Lead_Source.
    const rows = await readFieldRows(c.app.db, 'ws_demo', c.connectionId);
    for (const r of rows) await c.session.post(`/integrations/zoho/field-rows/${r.id}/remove`);
    expect(await readFieldRows(c.app.db, 'ws_demo', c.connectionId)).toEqual([]);
    const plain = bookingEvent({ attendees: [{ email: 'grace@hopper.example', name: 'Grace Hopper' }] });
    await sendEvent(c.app.url, plain);
    expect(await settled(c.app.db, plain.id)).toBe('done');
    const grace = (await records(c.org, 'Leads')).find((l) => l.Email === 'grace@hopper.example');
    expect(grace.Lead_Source ?? null).toBeNull();
    expect(grace.Title ?? null).toBeNull();
  });

  it('the event type name goes to a Contact’s field; the fields are read once, not per booking, and again once an hour later', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    expect((await c.session.post('/integrations/zoho/fields/refresh')).status).toBe(303);
    const reads = await fieldReads(c);
    const added = await c.session.post('/integrations/zoho/field-rows', {
      field: 'Contacts.Department',
      source: 'event_type',
    });
    expect(added.status).toBe(303);
    for (const email of ['a@one.example', 'b@two.example']) {
      const event = bookingEvent({ attendees: [{ email, name: 'Someone New' }] });
      await sendEvent(c.app.url, event);
      expect(await settled(c.app.db, event.id)).toBe('done');
    }
    const contacts = await records(c.org, 'Contacts');
    expect(contacts.map((x) => x.Department)).toEqual(['30 min intro', '30 min intro']);
    expect(await fieldReads(c)).toBe(reads);

    // An hour later the lists are read again once (a field deleted since would otherwise go unseen).
    await c.app.db.query(
      "UPDATE connections SET zoho_fields_read_at = now() - interval '61 minutes' WHERE id = $1",
      [c.connectionId],
    );
    for (const email of ['c@three.example', 'd@four.example']) {
      const event = bookingEvent({ attendees: [{ email, name: 'Someone Else' }] });
      await sendEvent(c.app.url, event);
      expect(await settled(c.app.db, event.id)).toBe('done');
    }
    const hourLater = await fieldReads(c);
    expect(hourLater).toBeGreaterThan(reads);
    expect(hourLater - reads).toBeLessThanOrEqual(3);

    // Lists read from another org (the connection reconnected elsewhere) are not this org's.
    await c.app.db.query("UPDATE connections SET zoho_org_id = 'another-org' WHERE id = $1", [
      c.connectionId,
    ]);
    expect((await readFieldCache(c.app.db, 'ws_demo', c.connectionId)).readAt).toBeNull();
    const other = bookingEvent({ attendees: [{ email: 'e@five.example', name: 'Someone Else' }] });
    await sendEvent(c.app.url, other);
    expect(await settled(c.app.db, other.id)).toBe('done');
    expect(await fieldReads(c)).toBeGreaterThan(hourLater);
    expect(
      (await readFieldCache(c.app.db, 'ws_demo', c.connectionId)).lists.Contacts?.length,
    ).toBeGreaterThan(0);
  });

  it('a value that does not fit its field is left out with a warning, and the booking syncs', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    // Department holds 30 characters at Zoho (sandbox/modules.ts).
    await withRows(c, [{ field: 'Leads.Title', source: 'utm', utm_key: 'campaign' }]);
    await c.session.post('/integrations/zoho/settings', {
      new_attendee_module: 'Contacts',
      sync_bookings: 'on',
    });
    await c.session.post('/integrations/zoho/field-rows', {
      field: 'Contacts.Department',
      source: 'response',
      question: 'Your role',
    });
    const event = richBooking();
    Object.assign(event.data.booking, {
      responses: { 'Your role': 'Vice President of Worldwide Strategic Partnerships' },
    });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    const [contact] = await records(c.org, 'Contacts');
    expect(contact.Department ?? null).toBeNull();
    const skipped = (await activityLines(c, event.id)).filter((l) => l.action === 'skipped');
    expect(skipped.map((l) => l.message)).toEqual([
      'Field “Department” of the new Contact left empty: “Vice President of Worldwide Strategic Partnerships” is longer than the field’s 30 characters (from the answer to “Your role”).',
    ]);
    expect((await c.session.get('/activity')).html).toContain(
      'Field “Department” of the new Contact left empty',
    );
  });

  it('a value Zoho refuses (INVALID_DATA on the field) is left out, the Lead written again and the booking synced', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sb.client.json('POST', `/__sandbox/orgs/${c.org.org_id}/validation-rules`, {
      module: 'Leads',
      condition: { field: 'Title', operator: 'contains', value: 'Sales' },
      message: 'Titles are set by the sales team',
    });
    await withRows(c, [
      { field: 'Leads.Title', source: 'response', question: 'Your role' },
      { field: 'Leads.Website', source: 'response', question: 'Company website' },
    ]);
    const event = richBooking();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    const leads = await records(c.org, 'Leads');
    expect(leads).toHaveLength(1);
    expect(leads[0].Title ?? null).toBeNull();
    expect(leads[0].Website).toBe('https://analytical.example');
    expect(await records(c.org, 'Notes')).toHaveLength(1);
    const skipped = (await activityLines(c, event.id)).filter((l) => l.action === 'skipped');
    expect(skipped.map((l) => l.message)).toEqual([
      'Field “Title” of the new Lead left empty: Zoho CRM refused its value (Titles are set by the sales team).',
    ]);
  });

  it('the field list cannot be read at sync: each row warns and the booking syncs', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await withRows(c, [{ field: 'Leads.Title', source: 'event_type' }]);
    // Lists never read (or read from another org): the sync must read them, and Zoho refuses.
    await c.app.db.query(
      'UPDATE connections SET zoho_fields = NULL, zoho_fields_read_at = NULL WHERE id = $1',
      [c.connectionId],
    );
    await sb.client.fault(c.org, 'GET', '/settings/fields', {
      status: 403,
      count: 3,
      body: { code: 'NO_PERMISSION', details: {}, message: 'permission denied', status: 'error' },
    });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    await sb.client.json('DELETE', '/__sandbox/faults');
    const [lead] = await records(c.org, 'Leads');
    expect(lead.Title ?? null).toBeNull();
    expect(
      (await activityLines(c, event.id)).filter((l) => l.action === 'skipped').map((l) => l.message),
    ).toEqual([
      'Field “Title” of the new Lead left empty: PepoSmart could not read the field list from Zoho CRM.',
    ]);
  });

  it('a Lead first added with the meeting notes takes the values of its booking', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await withRows(c, [
      { field: 'Leads.Title', source: 'event_type' },
      { field: 'Leads.Website', source: 'response', question: 'Company website' },
    ]);
    // Bookings not synced: the attendee is added only when the notes arrive.
    await c.session.post('/integrations/zoho/settings', { new_attendee_module: 'Leads', sync_notes: 'on' });
    const booking = richBooking();
    await sendEvent(c.app.url, booking);
    expect(await settled(c.app.db, booking.id)).toBe('skipped');
    const notes = notesEvent(booking.data.booking.id, { summary: 'We talked about the rollout.' });
    await sendEvent(c.app.url, notes);
    expect(await settled(c.app.db, notes.id)).toBe('done');
    const [lead] = await records(c.org, 'Leads');
    expect(lead).toMatchObject({ Title: '30 min intro', Website: 'https://analytical.example' });
  });

  it('a field deleted in Zoho since the row was saved: read the fields again once, warn, and sync the booking', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await withRows(c, [{ field: 'Leads.Title', source: 'event_type' }]);
    // A row on a field the org no longer has, saved when it still had it.
    await c.app.db.query(
      `UPDATE connections SET field_rows = field_rows || $2::jsonb,
              zoho_fields_read_at = now() - interval '2 hours' WHERE id = $1`,
      [
        c.connectionId,
        JSON.stringify([
          {
            id: 'gone1',
            module: 'Leads',
            field: 'Budget_c',
            label: 'Budget',
            source: { kind: 'fixed', value: '10' },
          },
        ]),
      ],
    );
    const reads = await fieldReads(c);
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    // One read of the lists (one call per module), no more for the next booking within the hour.
    const afterFirst = await fieldReads(c);
    expect(afterFirst).toBeGreaterThan(reads);
    const [lead] = await records(c.org, 'Leads');
    expect(lead.Title).toBe('30 min intro');
    const skipped = (await activityLines(c, event.id)).filter((l) => l.action === 'skipped');
    expect(skipped.map((l) => l.message)).toEqual([
      'Field “Budget” of the new Lead left empty: the field Budget_c is no longer in Zoho CRM (deleted or renamed). Remove or replace the row on the Integrations page.',
    ]);
    const next = bookingEvent({ attendees: [{ email: 'grace@hopper.example', name: 'Grace Hopper' }] });
    await sendEvent(c.app.url, next);
    expect(await settled(c.app.db, next.id)).toBe('done');
    expect(await fieldReads(c)).toBe(afterFirst);
    const card = await c.session.get('/integrations/zoho/field-rows/new?field=Leads.Title');
    expect(card.status).toBe(200);
    expect((await readFieldCache(c.app.db, 'ws_demo', c.connectionId)).readAt).not.toBeNull();
  });
});
