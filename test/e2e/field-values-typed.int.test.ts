import { afterEach, describe, expect, it } from 'vitest';
import { readFieldRows } from '../../src/connections/zoho-fields.ts';
import { loadFieldRowsView } from '../../src/web/routes/zoho-fields.ts';
import { fieldRowsSection } from '../../src/web/views/field-rows.ts';
import { zohoDateTime } from '../../src/zoho/events.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/** Field rows into an org's own custom fields, one of each type, through the card's forms. */
const sb = useSandbox();

const skippedLines = async (c: Connected, eventId: string) =>
  (
    await c.app.db.query<{ message: string }>(
      "SELECT message FROM activity WHERE event_id = $1 AND action = 'skipped' ORDER BY id",
      [eventId],
    )
  ).rows.map((r) => r.message);

async function addRows(c: Connected, rows: Array<Record<string, string>>) {
  expect((await c.session.post('/integrations/zoho/fields/refresh')).status).toBe(303);
  for (const row of rows) {
    const res = await c.session.post('/integrations/zoho/field-rows', row);
    expect(res.status, `${row['field']}: ${res.html}`).toBe(303);
  }
}

async function useLeads(c: Connected) {
  const saved = await c.session.post('/integrations/zoho/settings', {
    new_attendee_module: 'Leads',
    sync_bookings: 'on',
  });
  expect(saved.status).toBe(303);
}

describe.each(databaseKinds)('field values into custom fields on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('each value source lands in the Lead with its field’s type', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const org = c.org;
    const custom: Array<[string, Parameters<typeof sb.client.addField>[1]['type'], string[]?]> = [
      ['Booked On', 'date'],
      ['Booked At', 'datetime'],
      ['Seats', 'integer'],
      ['Newsletter', 'boolean'],
      ['Work Email', 'email'],
      ['Booking Page', 'url'],
      ['Budget', 'currency'],
      ['Topic', 'picklist', ['Pricing', 'Security', 'Onboarding']],
      ['Meeting Type', 'text'],
      ['Questions', 'textarea'],
    ];
    for (const [label, type, values] of custom) {
      const res = await sb.client.addField(org, {
        module: 'Leads',
        label,
        type,
        ...(values ? { values } : {}),
      });
      expect(res.status).toBe(201);
    }
    await useLeads(c);
    await addRows(c, [
      { field: 'Leads.Booked_On', source: 'booking_date' },
      { field: 'Leads.Booked_At', source: 'booking_date' },
      { field: 'Leads.Seats', source: 'response', question: 'Seats' },
      { field: 'Leads.Newsletter', source: 'fixed', fixed_value: 'true' },
      { field: 'Leads.Work_Email', source: 'response', question: 'Work email' },
      { field: 'Leads.Booking_Page', source: 'utm', utm_key: 'content' },
      { field: 'Leads.Budget', source: 'response', question: 'Budget (EUR)' },
      { field: 'Leads.Topic', source: 'utm', utm_key: 'term' },
      { field: 'Leads.Meeting_Type', source: 'event_type' },
      { field: 'Leads.Questions', source: 'response', question: 'Anything else?' },
    ]);
    const event = bookingEvent();
    Object.assign(event.data.booking, {
      responses: {
        Seats: ' 25 ',
        'Work email': 'ada@analytical.example',
        'Budget (EUR)': '1200.50',
        'Anything else?': 'Two things:\nSSO and audit logs.',
      },
      utm: { content: 'https://peposmart.example/book/ada', term: 'security' },
    });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    expect(await skippedLines(c, event.id)).toEqual([]);
    const [lead] = await sb.client.records(org, 'Leads');
    const bookedAt = zohoDateTime(event.created_at, 'Europe/Berlin');
    expect(lead).toMatchObject({
      Booked_On: bookedAt.slice(0, 10),
      Seats: 25,
      Newsletter: true,
      Work_Email: 'ada@analytical.example',
      Booking_Page: 'https://peposmart.example/book/ada',
      Budget: 1200.5,
      Topic: 'Security',
      Meeting_Type: '30 min intro',
      Questions: 'Two things:\nSSO and audit logs.',
    });
    // Zoho answers a datetime in its own zone: the same instant, sent with the booking's offset.
    expect(Date.parse(lead.Booked_At)).toBe(Date.parse(event.created_at.replace(/\.\d+Z$/, 'Z')));
  });

  it('answers that do not fit their field are left out with a warning each; the rest is written and the booking syncs', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    for (const [label, type] of [
      ['Seats', 'integer'],
      ['Booked On', 'text'],
    ] as const)
      await sb.client.addField(c.org, { module: 'Leads', label, type });
    await sb.client.addField(c.org, {
      module: 'Leads',
      label: 'Topic',
      type: 'picklist',
      values: ['Pricing'],
    });
    await useLeads(c);
    await addRows(c, [
      { field: 'Leads.Seats', source: 'response', question: 'Seats' },
      { field: 'Leads.Topic', source: 'response', question: 'Topic' },
      { field: 'Leads.Booked_On', source: 'booking_date' },
    ]);
    const event = bookingEvent();
    Object.assign(event.data.booking, { responses: { Seats: 'about twenty', Topic: 'Golf' } });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    const [lead] = await sb.client.records(c.org, 'Leads');
    expect(lead.Seats ?? null).toBeNull();
    expect(lead.Topic ?? null).toBeNull();
    expect(lead.Booked_On).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await skippedLines(c, event.id)).toEqual([
      'Field “Seats” of the new Lead left empty: “about twenty” is not a whole number (from the answer to “Seats”).',
      'Field “Topic” of the new Lead left empty: “Golf” is not one of the field’s picklist values (from the answer to “Topic”).',
    ]);
  });

  it('a custom field deleted in Zoho: the next sync over an hour after the last read warns and syncs the booking', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sb.client.addField(c.org, { module: 'Leads', label: 'Budget', type: 'currency' });
    await useLeads(c);
    await addRows(c, [
      { field: 'Leads.Budget', source: 'fixed', fixed_value: '100' },
      { field: 'Leads.Title', source: 'event_type' },
    ]);
    expect((await sb.client.deleteField(c.org, 'Leads', 'Budget')).status).toBe(200);
    await c.app.db.query(
      "UPDATE connections SET zoho_fields_read_at = now() - interval '61 minutes' WHERE id = $1",
      [c.connectionId],
    );
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    const [lead] = await sb.client.records(c.org, 'Leads');
    expect(lead.Title).toBe('30 min intro');
    expect(await skippedLines(c, event.id)).toEqual([
      'Field “Budget” of the new Lead left empty: the field Budget is no longer in Zoho CRM (deleted or renamed). Remove or replace the row on the Integrations page.',
    ]);
    expect(await sb.client.records(c.org, 'Notes')).toHaveLength(1);
    // The card marks the row for the user to remove.
    const conn = { id: c.connectionId, workspaceId: 'ws_demo', settings: { syncMeetings: false } };
    const section = fieldRowsSection(await loadFieldRowsView(c.app, conn), 'csrf').value;
    expect(section).toContain(
      '<strong>Budget</strong> of new leads ← “100” <span class="badge failed">No longer in Zoho CRM</span>',
    );
  });

  it('an org whose Lead Source list has “PepoSmart”: the card offers it, one click adds the row, new Leads get it', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sb.client.setPicklistValues(c.org, 'Leads', 'Lead_Source', ['-None-', 'Web Download', 'PepoSmart']);
    await useLeads(c);
    expect((await c.session.post('/integrations/zoho/fields/refresh')).status).toBe(303);
    const conn = { id: c.connectionId, workspaceId: 'ws_demo', settings: { syncMeetings: false } };
    const section = fieldRowsSection(await loadFieldRowsView(c.app, conn), 'csrf').value;
    expect(section).toContain('Your Lead Source list has “PepoSmart”');
    // The hint's form, as the card posts it.
    const added = await c.session.post('/integrations/zoho/field-rows', {
      field: 'Leads.Lead_Source',
      source: 'fixed',
      fixed_value: 'PepoSmart',
    });
    expect(added.status).toBe(303);
    expect(await readFieldRows(c.app.db, 'ws_demo', c.connectionId)).toMatchObject([
      {
        module: 'Leads',
        field: 'Lead_Source',
        label: 'Lead Source',
        source: { kind: 'fixed', value: 'PepoSmart' },
      },
    ]);
    const after = fieldRowsSection(await loadFieldRowsView(c.app, conn), 'csrf').value;
    expect(after).not.toContain('id="lead-source-hint"');
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    const [lead] = await sb.client.records(c.org, 'Leads');
    expect(lead.Lead_Source).toBe('PepoSmart');

    // The org's administrator takes the value out of the list: the row is refused at the next read.
    await sb.client.setPicklistValues(c.org, 'Leads', 'Lead_Source', ['-None-', 'Web Download']);
    expect((await c.session.post('/integrations/zoho/fields/refresh')).status).toBe(303);
    const next = bookingEvent({ attendees: [{ email: 'grace@hopper.example', name: 'Grace Hopper' }] });
    await sendEvent(c.app.url, next);
    expect(await settled(c.app.db, next.id)).toBe('done');
    expect(await skippedLines(c, next.id)).toEqual([
      'Field “Lead Source” of the new Lead left empty: “PepoSmart” is not one of the field’s picklist values (from “PepoSmart”).',
    ]);
  });
});
