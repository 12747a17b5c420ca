import { afterEach, describe, expect, it } from 'vitest';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { ada, pipelines, quoteTranscript, seedRecords } from '../helpers/deals.ts';
import { bookingEvent, notesEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Records change in Zoho behind the sync's back: a sales team converts a Lead, merges two
 * duplicates or deletes a record between two meetings. The reference PepoSmart kept then names
 * a record that takes no more Notes or Tasks; the sync finds the person again, in the same job,
 * and never creates a second one (ZOHO-API.md §8; the admin API acts as a person in Zoho's UI).
 */
const sb = useSandbox();
const records = (org: { org_id: string }, module: string) => sb.client.records(org, module);

async function activityOf(c: Connected, eventId: string) {
  const { rows } = await c.app.db.query<{
    action: string;
    message: string;
    module: string | null;
    zoho_id: string | null;
  }>('SELECT action, message, module, zoho_id FROM activity WHERE event_id = $1 ORDER BY id', [eventId]);
  return rows;
}

async function personRef(c: Connected, email: string) {
  const { rows } = await c.app.db.query<{ module: string; zoho_id: string }>(
    `SELECT module, zoho_id FROM sync_refs WHERE connection_id = $1 AND kind = 'person' AND key = $2`,
    [c.connectionId, email],
  );
  return rows[0];
}

/** A booking with Ada, synced: the event's id. */
async function bookAda(c: Connected, bookingId?: string) {
  const event = bookingEvent({ attendees: [ada], ...(bookingId ? { bookingId } : {}) });
  await sendEvent(c.app.url, event);
  expect(await settled(c.app.db, event.id)).toBe('done');
  return event;
}

/** Person records made through the API, after the first booking's setup. */
async function createsAfter(c: Connected, since: number) {
  return (await sb.client.calls(c.org))
    .slice(since)
    .filter((x) => x.method === 'POST' && /\/(Contacts|Leads)$/.test(x.path));
}

/**
 * A person found nowhere after their record went is looked for once more after the search lag
 * (Zoho's index may not show the record that took their place yet): quick retries and a short
 * lag keep that within the test.
 */
const quickRetries = {
  sync: true,
  syncRetry: { delaySeconds: 1 },
  claimTiming: { staleMs: 60_000, searchLagMs: 200, waitMs: 5_000 },
};

describe.each(databaseKinds)('records changed in Zoho between meetings, on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('a Lead converted to a Contact: the next meeting is logged on the Contact, nobody new is created', async () => {
    c = await connectedApp(sb, kind, { pipelines }, { sync: true });
    const [leadId] = await seedRecords(sb.client, c.org, 'Leads', [
      { First_Name: 'Ada', Last_Name: 'Lovelace', Email: ada.email, Company: 'Analytical Engines' },
    ]);
    const first = await bookAda(c);
    expect(await personRef(c, ada.email)).toEqual({ module: 'Leads', zoho_id: leadId });

    const converted = await sb.client.convertLead(c.org, leadId!, {});
    expect(converted.status).toBe(200);
    const contactId = converted.body.Contacts as string;
    const callsBefore = (await sb.client.calls(c.org)).length;

    const second = await bookAda(c);
    expect(await personRef(c, ada.email)).toEqual({ module: 'Contacts', zoho_id: contactId });
    const notes = await records(c.org, 'Notes');
    expect(notes.filter((n) => n.Parent_Id.id === contactId)).toHaveLength(2); // the Lead's, moved, and the new one
    expect(await records(c.org, 'Leads')).toEqual([]);
    expect(await records(c.org, 'Contacts')).toHaveLength(1);
    expect(await createsAfter(c, callsBefore)).toEqual([]);
    const lines = await activityOf(c, second.id);
    expect(lines).toContainEqual({
      action: 'found',
      message: `${ada.email} was converted to a Contact in Zoho CRM; logging on the Contact.`,
      module: 'Contacts',
      zoho_id: contactId,
    });
    expect(lines.at(-1)).toMatchObject({ action: 'logged', module: 'Contacts', zoho_id: contactId });
    expect(first.id).not.toBe(second.id);

    // The Activity page says it in words.
    const page = (await c.session.get('/activity')).html;
    expect(page).toContain('was converted to a Contact in Zoho CRM; logging on the Contact.');
  });

  it('a Contact merged into its duplicate: the next meeting is logged on the surviving record', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const [loser] = await seedRecords(sb.client, c.org, 'Contacts', [
      { First_Name: 'Ada', Last_Name: 'Lovelace', Email: ada.email },
    ]);
    await bookAda(c);
    expect(await personRef(c, ada.email)).toEqual({ module: 'Contacts', zoho_id: loser });
    const [master] = await seedRecords(sb.client, c.org, 'Contacts', [
      { First_Name: 'Ada', Last_Name: 'King', Email: ada.email },
    ]);
    const merged = await sb.client.mergeRecords(c.org, 'Contacts', master!, { ids: [loser!] });
    expect(merged.status).toBe(200);
    const callsBefore = (await sb.client.calls(c.org)).length;

    const second = await bookAda(c);
    expect(await personRef(c, ada.email)).toEqual({ module: 'Contacts', zoho_id: master });
    expect((await records(c.org, 'Contacts')).map((r) => r.id)).toEqual([master]);
    expect((await records(c.org, 'Notes')).map((n) => n.Parent_Id.id)).toEqual([master, master]);
    expect(await createsAfter(c, callsBefore)).toEqual([]);
    expect(await activityOf(c, second.id)).toContainEqual({
      action: 'found',
      message: `The Contact PepoSmart had for ${ada.email} is no longer in Zoho CRM (merged into another record or deleted); found ${ada.email} as another Contact and logging there.`,
      module: 'Contacts',
      zoho_id: master,
    });
  });

  it('a Contact deleted in Zoho: the next meeting adds the person again, once, after looking twice, and logs there', async () => {
    c = await connectedApp(sb, kind, {}, quickRetries);
    await bookAda(c);
    const gone = (await personRef(c, ada.email))!.zoho_id;
    expect((await sb.client.deleteRecord(c.org, 'Contacts', gone)).status).toBe(200);

    const second = await bookAda(c);
    const [again] = await records(c.org, 'Contacts');
    expect(again.id).not.toBe(gone);
    expect(await records(c.org, 'Contacts')).toHaveLength(1);
    expect(await personRef(c, ada.email)).toEqual({ module: 'Contacts', zoho_id: again.id });
    expect((await records(c.org, 'Notes')).filter((n) => n.Parent_Id.id === again.id)).toHaveLength(1);
    expect(await activityOf(c, second.id)).toContainEqual({
      action: 'created',
      message: `The Contact PepoSmart had for ${ada.email} was deleted in Zoho CRM; added ${ada.email} again as a new Contact.`,
      module: 'Contacts',
      zoho_id: again.id,
    });

    // Nobody had the address: before adding them again the sync looked a second time, after
    // Zoho's search lag, in case the index had not caught up with a record that took their place.
    const searches = (await sb.client.calls(c.org)).filter((x) => x.path.endsWith('/Contacts/search'));
    expect(searches.length).toBeGreaterThanOrEqual(3); // the first booking's, then twice for the stale one
    // A third meeting uses the new record straight away: one Note more, no search, no create.
    const callsBefore = (await sb.client.calls(c.org)).length;
    await bookAda(c);
    const calls = (await sb.client.calls(c.org)).slice(callsBefore).filter((x) => !x.path.includes('oauth'));
    expect(calls.map((x) => `${x.method} ${x.path}`)).toEqual(['POST /crm/v8/Notes']);
  });

  it('deleted, with “only log on people already in Zoho” on: nothing is created, and the Activity page says why', async () => {
    c = await connectedApp(sb, kind, {}, quickRetries);
    await bookAda(c);
    const gone = (await personRef(c, ada.email))!.zoho_id;
    await c.session.post('/integrations/zoho/settings', {
      new_attendee_module: 'Contacts',
      sync_bookings: 'on',
      only_existing: 'on',
    });
    await sb.client.deleteRecord(c.org, 'Contacts', gone);

    const second = await bookAda(c);
    expect(await records(c.org, 'Contacts')).toEqual([]);
    expect(await personRef(c, ada.email)).toBeUndefined();
    expect(await activityOf(c, second.id)).toContainEqual({
      action: 'skipped',
      message: `The Contact PepoSmart had for ${ada.email} was deleted in Zoho CRM and nobody there has this address; the setting “only log on existing records” is on, so nothing is logged.`,
      module: null,
      zoho_id: null,
    });
  });

  it('Tasks Zoho carried over in a conversion are not made again when the meeting’s notes come once more', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const [leadId] = await seedRecords(sb.client, c.org, 'Leads', [
      { First_Name: 'Ada', Last_Name: 'Lovelace', Email: ada.email, Company: 'Analytical Engines' },
    ]);
    const booking = await bookAda(c);
    const items = [{ text: 'Send the formal quote' }, { text: 'Share the onboarding plan', priority: 'low' }];
    const first = notesEvent(booking.data.booking.id, {
      summary: 'Quote and onboarding.',
      action_items: items,
    });
    await sendEvent(c.app.url, first);
    expect(await settled(c.app.db, first.id)).toBe('done');
    expect(await records(c.org, 'Tasks')).toHaveLength(2);

    const converted = await sb.client.convertLead(c.org, leadId!, {});
    const contactId = converted.body.Contacts as string;
    const again = notesEvent(booking.data.booking.id, {
      summary: 'Quote and onboarding.',
      action_items: items,
    });
    await sendEvent(c.app.url, again);
    expect(await settled(c.app.db, again.id)).toBe('done');
    const tasks = await records(c.org, 'Tasks');
    expect(tasks).toHaveLength(2);
    expect(tasks.map((t) => t.Who_Id?.id)).toEqual([contactId, contactId]);
    const summaries = (await records(c.org, 'Notes')).filter((n) => n.Note_Title.startsWith('Meeting notes'));
    expect(summaries.map((n) => n.Parent_Id.id)).toEqual([contactId, contactId]);
  });

  it('a Lead converted before its meeting notes arrive: notes and Tasks go to the Contact, and its deal gets the stage suggestion', async () => {
    c = await connectedApp(sb, kind, { pipelines }, { sync: true });
    const [leadId] = await seedRecords(sb.client, c.org, 'Leads', [
      { First_Name: 'Ada', Last_Name: 'Lovelace', Email: ada.email, Company: 'Analytical Engines' },
    ]);
    const booking = await bookAda(c);
    const converted = await sb.client.convertLead(c.org, leadId!, {
      deal: { Deal_Name: 'Analytical Engines', Stage: 'Value Proposition', Pipeline: 'Sales' },
    });
    expect(converted.status).toBe(200);
    const { Contacts: contactId, Deals: dealId } = converted.body as { Contacts: string; Deals: string };

    const notes = notesEvent(booking.data.booking.id, { transcript: quoteTranscript });
    await sendEvent(c.app.url, notes);
    expect(await settled(c.app.db, notes.id)).toBe('done');

    const summary = (await records(c.org, 'Notes')).filter((n) => n.Note_Title.startsWith('Meeting notes'));
    expect(summary.map((n) => n.Parent_Id.id)).toEqual([contactId]);
    const tasks = await records(c.org, 'Tasks');
    expect(tasks.length).toBeGreaterThan(0);
    expect(new Set(tasks.map((t) => t.Who_Id?.id))).toEqual(new Set([contactId]));
    const { rows } = await c.app.db.query<{ deal_id: string; contact_id: string; suggested_stage: string }>(
      'SELECT deal_id, contact_id, suggested_stage FROM suggestions WHERE event_id = $1',
      [notes.id],
    );
    expect(rows).toEqual([
      { deal_id: dealId, contact_id: contactId, suggested_stage: 'Proposal/Price Quote' },
    ]);
    expect(await records(c.org, 'Leads')).toEqual([]);
    expect(await records(c.org, 'Contacts')).toHaveLength(1);
  });
});
