import { afterEach, describe, expect, it } from 'vitest';
import { findConnection } from '../../src/connections/repo.ts';
import { textOf } from '../helpers/connect-steps.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, notesEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Issue 16 item 2 and 4: colleagues are never created or logged on in Zoho CRM (the host's
 * domain, listed domains; free-mail never counts), the Activity page says who was left out, a
 * meeting with only colleagues syncs nothing; and only the event types chosen on the card sync.
 */
const sb = useSandbox();
const records = (c: Connected, module: string) => sb.client.records(c.org, module);
const host = { user_id: 'usr_alex', email: 'alex@acme-sales.example', name: 'Alex Morgan' };

/** The card's settings form as the user saves it: everything as it was, `change` applied. */
function settingsForm(change: Record<string, string | undefined>): Record<string, string> {
  const form: Record<string, string | undefined> = {
    new_attendee_module: 'Contacts',
    sync_bookings: 'on',
    sync_notes: 'on',
    sync_tasks: 'on',
    skip_internal: 'on',
    ...change,
  };
  // An unticked checkbox is not sent at all.
  return Object.fromEntries(Object.entries(form).filter((f): f is [string, string] => f[1] !== undefined));
}

async function activityText(c: Connected): Promise<string> {
  return textOf((await c.session.get('/activity')).html);
}

describe.each(databaseKinds)('internal attendees and event types on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('a colleague of the host’s domain (or a subdomain) is neither created nor logged on; the customer is, and the Activity page says who was left out', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const event = bookingEvent({
      host,
      attendees: [
        { email: 'jo@ACME-sales.example', name: 'Jo Colleague' },
        { email: 'kim@eu.acme-sales.example', name: 'Kim Colleague' },
        { email: 'ada@customer.example', name: 'Ada Customer' },
      ],
    });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    const contacts = await records(c, 'Contacts');
    expect(contacts.map((r) => r.Email)).toEqual(['ada@customer.example']);
    expect(await records(c, 'Leads')).toEqual([]);
    const notes = await records(c, 'Notes');
    expect(notes.map((n) => n.Parent_Id.id)).toEqual([contacts[0].id]);
    // No Zoho call named a colleague: not even a search.
    const calls = await sb.client.json('GET', `/__sandbox/orgs/${c.org.org_id}/calls`);
    expect(JSON.stringify(calls.body)).not.toMatch(/acme-sales/i);
    expect(await activityText(c)).toContain(
      'Left out as internal, not added to Zoho CRM: jo@ACME-sales.example (the host’s own email domain (acme-sales.example)), kim@eu.acme-sales.example (the host’s own email domain (acme-sales.example)).',
    );
    // AI notes of that meeting are logged on the customer only.
    const notesOfMeeting = notesEvent(event.data.booking.id, { summary: 'We agreed on a pilot.' });
    await sendEvent(c.app.url, notesOfMeeting);
    expect(await settled(c.app.db, notesOfMeeting.id)).toBe('done');
    expect((await records(c, 'Notes')).map((n) => n.Parent_Id.id)).toEqual([contacts[0].id, contacts[0].id]);
    expect(await records(c, 'Contacts')).toHaveLength(1);
  });

  it('a meeting with only colleagues syncs nothing and says so', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const event = bookingEvent({ host, attendees: [{ email: 'jo@acme-sales.example' }] });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('skipped');
    expect(await records(c, 'Contacts')).toEqual([]);
    expect(await records(c, 'Notes')).toEqual([]);
    expect(await activityText(c)).toContain(
      'Only internal attendees (jo@acme-sales.example): nothing was synced to Zoho CRM.',
    );
  });

  it('domains listed on the card are internal too; a free-mail host makes nobody internal; the setting off syncs colleagues', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const saved = await c.session.post(
      '/integrations/zoho/settings',
      settingsForm({ internal_domains: '@Partner-Agency.example, sub.acme-sales.example' }),
    );
    expect(saved.status).toBe(303);
    const conn = await findConnection(c.app.db, 'ws_demo', 'usr_alex');
    expect(conn?.settings.internalDomains).toEqual(['partner-agency.example', 'sub.acme-sales.example']);
    const page = (await c.session.get('/integrations')).html;
    expect(page).toContain('value="partner-agency.example, sub.acme-sales.example"');

    const gmailHost = { user_id: 'usr_alex', email: 'alex.morgan@gmail.com', name: 'Alex Morgan' };
    const event = bookingEvent({
      host: gmailHost,
      attendees: [
        { email: 'pat@partner-agency.example' },
        { email: 'friend@gmail.com', name: 'Gmail Friend' },
      ],
    });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    expect((await records(c, 'Contacts')).map((r) => r.Email)).toEqual(['friend@gmail.com']);
    expect(await activityText(c)).toContain(
      'pat@partner-agency.example (partner-agency.example, a domain listed as internal)',
    );

    await c.session.post('/integrations/zoho/settings', settingsForm({ skip_internal: undefined }));
    expect((await findConnection(c.app.db, 'ws_demo', 'usr_alex'))?.settings.skipInternal).toBe(false);
    const off = bookingEvent({ host, attendees: [{ email: 'jo@acme-sales.example', name: 'Jo Colleague' }] });
    await sendEvent(c.app.url, off);
    expect(await settled(c.app.db, off.id)).toBe('done');
    expect((await records(c, 'Contacts')).map((r) => r.Email).sort()).toEqual([
      'friend@gmail.com',
      'jo@acme-sales.example',
    ]);
  });

  it('a free-mail or malformed internal domain is refused on its field, with what was typed kept and nothing saved', async () => {
    c = await connectedApp(sb, kind);
    const refused = await c.session.post(
      '/integrations/zoho/settings',
      settingsForm({ internal_domains: 'partner.example, Gmail.com', new_attendee_module: 'Leads' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.html).toContain(
      'gmail.com is a free-mail domain: people on it are not your colleagues, so it cannot be internal.',
    );
    expect(refused.html).toContain('value="partner.example, Gmail.com"');
    expect(refused.html).toMatch(
      /id="internal_domains"[^>]*aria-invalid="true" aria-describedby="internal-domains-error"/,
    );
    const malformed = await c.session.post(
      '/integrations/zoho/settings',
      settingsForm({ internal_domains: 'partner.example; acme_sales' }),
    );
    expect(malformed.status).toBe(400);
    expect(malformed.html).toContain('“acme_sales” is not a domain name such as acme.com.');
    const conn = await findConnection(c.app.db, 'ws_demo', 'usr_alex');
    expect(conn?.settings).toMatchObject({ internalDomains: [], newAttendeeModule: 'Contacts' });
  });

  it('only the event types chosen on the card sync; the rest are skipped with the reason, AI notes included', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const intro = bookingEvent();
    await sendEvent(c.app.url, intro);
    expect(await settled(c.app.db, intro.id)).toBe('done');
    const demo = bookingEvent({ attendees: [{ email: 'demo.person@client.example' }] });
    demo.data.booking.event_type = { id: 'et_demo', name: 'Product demo' };
    await sendEvent(c.app.url, demo);
    expect(await settled(c.app.db, demo.id)).toBe('done');

    // The card offers the types its bookings named.
    const card = (await c.session.get('/integrations')).html;
    expect(card).toContain('name="event_type" value="et_demo"> Product demo');
    expect(card).toContain('name="event_type" value="et_1"> 30 min intro');
    const none = await c.session.post(
      '/integrations/zoho/settings',
      settingsForm({ event_types_mode: 'chosen' }),
    );
    expect(none.status).toBe(400);
    expect(none.html).toContain('Tick at least one event type, or choose All event types.');
    const saved = await c.session.post(
      '/integrations/zoho/settings',
      settingsForm({ event_types_mode: 'chosen', event_type: 'et_demo' }),
    );
    expect(saved.status).toBe(303);
    expect((await findConnection(c.app.db, 'ws_demo', 'usr_alex'))?.settings.eventTypes).toEqual([
      { id: 'et_demo', name: 'Product demo' },
    ]);

    const notesBefore = (await records(c, 'Notes')).length;
    const skippedIntro = bookingEvent({ attendees: [{ email: 'intro.person@client.example' }] });
    await sendEvent(c.app.url, skippedIntro);
    expect(await settled(c.app.db, skippedIntro.id)).toBe('skipped');
    const introNotes = notesEvent(intro.data.booking.id, { summary: 'Intro went well.' });
    await sendEvent(c.app.url, introNotes);
    expect(await settled(c.app.db, introNotes.id)).toBe('skipped');
    const again = bookingEvent({ attendees: [{ email: 'demo.two@client.example' }] });
    again.data.booking.event_type = { id: 'et_demo', name: 'Product demo' };
    await sendEvent(c.app.url, again);
    expect(await settled(c.app.db, again.id)).toBe('done');
    expect((await records(c, 'Contacts')).map((r) => r.Email)).not.toContain('intro.person@client.example');
    expect((await records(c, 'Notes')).length).toBe(notesBefore + 1);
    expect(await activityText(c)).toContain(
      'The event type “30 min intro” is not among the event types synced to Zoho CRM (Zoho card setting).',
    );

    await c.session.post('/integrations/zoho/settings', settingsForm({ event_types_mode: 'all' }));
    expect((await findConnection(c.app.db, 'ws_demo', 'usr_alex'))?.settings.eventTypes).toBeNull();
  });
});
