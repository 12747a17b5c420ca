import { afterEach, describe, expect, it } from 'vitest';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, refuseNextContactInsert, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const sb = useSandbox();

const records = (org: { org_id: string }, module: string) => sb.client.records(org, module);

describe.each(databaseKinds)('Activity page on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await sb.client.json('DELETE', '/__sandbox/faults');
    await c?.app.close();
    c = undefined;
  });

  it('shows what was created and logged, with links to the records', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    const page = await c.session.get('/activity');
    expect(page.html).toContain(`id="event-${event.id}" data-status="done"`);
    expect(page.html).toContain('Created ada.lovelace@analytical.example as a new Contact.');
    expect(page.html).toContain('Logged “Meeting booked: Discovery call” on the Contact.');
    expect(page.html).toContain(`${sb.base}/__sandbox/orgs/${c.org.org_id}/view/Contacts/`);
    expect(page.html).not.toContain('http-equiv="refresh"');
    // Asked to refresh itself, it stops once nothing is in progress.
    expect((await c.session.get('/activity?refresh=auto')).html).not.toContain('http-equiv="refresh"');
  });

  it('while a meeting is being synced: a Refresh link, and the page refreshes itself only when asked to', async () => {
    // No worker in this process: the event stays in progress.
    c = await connectedApp(sb, kind, {}, { sync: true, worker: false });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    const page = await c.session.get('/activity');
    expect(page.html).toContain(`id="event-${event.id}" data-status="queued"`);
    // A page reloading itself unasked loses a reader's place (WCAG 2.2.1; axe: meta-refresh).
    expect(page.html).not.toContain('http-equiv="refresh"');
    expect(page.html).toContain('A meeting is being synced. <a href="/activity">Refresh</a>');
    expect(page.html).toContain('<a href="/activity?refresh=auto" id="start-auto-refresh">');

    const auto = await c.session.get('/activity?refresh=auto');
    expect(auto.html).toContain('<meta http-equiv="refresh" content="5">');
    expect(auto.html).toContain(
      'This page refreshes itself every 5 seconds while a meeting is being synced.',
    );
    expect(auto.html).toContain('<a href="/activity">Stop refreshing</a>');
  });

  it('a validation rule: the cause and what to check are shown, and it is not retried in a loop', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sb.client.json('POST', `/__sandbox/orgs/${c.org.org_id}/validation-rules`, {
      module: 'Contacts',
      condition: { field: 'Last_Name', operator: 'equals', value: 'Lovelace' },
      message: 'No Lovelaces in this CRM',
    });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('failed');
    const page = await c.session.get('/activity');
    expect(page.html).toContain('No Lovelaces in this CRM');
    expect(page.html).toContain('Validation Rules');
    expect(page.html).toContain('class="retry"');
    const creates = (await sb.client.calls(c.org)).filter(
      (x) => x.method === 'POST' && x.path.endsWith('/Contacts'),
    );
    expect(creates).toHaveLength(1);
  });

  it('Retry queues a failed event again, and it then syncs', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await refuseNextContactInsert(sb.client, c.org, {
      code: 'MANDATORY_NOT_FOUND',
      message: 'required field not found',
      details: { api_name: 'Lead_Source' },
    });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('failed');
    expect((await c.session.get('/activity')).html).toContain('field Lead_Source');

    const retry = await c.session.post(`/activity/${event.id}/retry`);
    expect(retry.status).toBe(303);
    expect(await settled(c.app.db, event.id)).toBe('done');
    const page = await c.session.get('/activity');
    expect(page.html).toContain(`id="event-${event.id}" data-status="done"`);
    expect(page.html).toContain('Retry requested.');
  });

  it('Reconnect needed pauses a booking, and reconnecting resumes it', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sb.client.json('POST', `/__sandbox/orgs/${c.org.org_id}/revoke-tokens`, {});
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('waiting');
    const page = await c.session.get('/activity');
    expect(page.html).toContain(`id="event-${event.id}" data-status="waiting"`);
    expect(page.html).toContain('needs to be reconnected');
    expect(await records(c.org, 'Contacts')).toEqual([]);

    const again = await c.session.connect(sb.base, c.org.users[0]!.email);
    expect(again.location?.search).toBe('?done=connected');
    expect(await settled(c.app.db, event.id)).toBe('done');
    expect(await records(c.org, 'Contacts')).toHaveLength(1);
  });

  it('another workspace or another member cannot see or retry an event; a sign-in is required', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await refuseNextContactInsert(sb.client, c.org, { code: 'INVALID_DATA', message: 'invalid data' });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('failed');

    const other = await c.app.signIn('usr_olga');
    expect((await other.get('/activity')).html).not.toContain(event.id);
    const refused = await other.post(`/activity/${event.id}/retry`);
    expect(refused.status).toBe(404);
    // A page in the app's frame with the way back, not a bare text line.
    expect(refused.html).toContain('id="problem-page" data-status="404"');
    expect(refused.html).toContain('<h1>Nothing to retry</h1>');
    expect(refused.html).toContain('aria-label="Main"');
    expect(refused.html).toContain('<a class="button" href="/activity">Back to Activity</a>');
    const sam = await c.app.signIn('usr_sam');
    expect((await sam.get('/activity')).html).not.toContain(event.id);
    expect((await sam.post(`/activity/${event.id}/retry`)).status).toBe(404);
    const { rows } = await c.app.db.query<{ status: string }>('SELECT status FROM events WHERE id = $1', [
      event.id,
    ]);
    expect(rows[0]!.status).toBe('failed');

    const anon = await fetch(`${c.app.url}/activity`, { redirect: 'manual' });
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/signin?next=%2Factivity');
    const anonRetry = await fetch(`${c.app.url}/activity/${event.id}/retry`, {
      method: 'POST',
      redirect: 'manual',
    });
    expect(anonRetry.status).toBe(401);
  });
});
