import { afterEach, describe, expect, it } from 'vitest';
import { utcMinute } from '../../src/web/views/ui.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { textOf } from '../helpers/connect-steps.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { bookingEvent, refuseNextContactInsert, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * The Integrations page's Zoho CRM card in each state (issue 14): its state as a badge, what
 * connecting does, "Data we access" in every state, the last sync and the last 7 days' counts
 * from the events the connection really synced; the sandbox hint; the admins' team table.
 */
const sb = useSandbox();

/** The element with `id` in `html`, with what it holds (same-name tags nested inside counted). */
function element(html: string, id: string): string | undefined {
  const at = html.indexOf(` id="${id}"`);
  if (at < 0) return undefined;
  const start = html.lastIndexOf('<', at);
  const tag = /^<(\w+)/.exec(html.slice(start))?.[1];
  let depth = 0;
  for (const m of html.slice(start).matchAll(new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g'))) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return html.slice(start, start + m.index + m[0].length);
  }
  return undefined;
}
const textById = (html: string, id: string) => textOf(element(html, id) ?? '');

async function doneAt(c: Connected, eventId: string): Promise<Date> {
  const { rows } = await c.app.db.query<{ updated_at: Date | string }>(
    'SELECT updated_at FROM events WHERE id = $1',
    [eventId],
  );
  return new Date(rows[0]!.updated_at);
}

describe('the Zoho CRM card', () => {
  let app: TestApp | undefined;
  let c: Connected | undefined;
  afterEach(async () => {
    await sb.client.json('DELETE', '/__sandbox/faults');
    await app?.close();
    await c?.app.close();
    app = undefined;
    c = undefined;
  });

  it('not connected: a neutral badge, what connecting does, Connect with Data we access beside it, and no figures', async () => {
    app = await startTestApp({ kind: 'pglite', sandbox: sb.sandbox, sandboxBase: sb.base });
    const page = (await (await app.signIn('usr_sam')).get('/integrations')).html;
    expect(page).toContain('<span class="badge neutral" id="zoho-status">Not connected</span>');
    expect(textById(page, 'zoho-what')).toMatch(
      /^Connecting lets PepoSmart look up each meeting’s attendees in your Contacts and Leads .* Deal stages change only when you approve a suggestion\./,
    );
    const actions = /<div class="actions">([\s\S]*?)<\/div>/.exec(element(page, 'zoho-card')!)?.[1] ?? '';
    expect(actions).toContain('id="zoho-connect" href="/integrations/zoho/connect">Connect</a>');
    expect(actions).toContain(
      '<a id="zoho-permissions" href="/integrations/zoho/permissions">Data we access</a>',
    );
    expect(element(page, 'zoho-sync')).toBeUndefined();
  });

  it('connected with nothing synced: “Nothing synced yet” and zero counts, no link to failures', async () => {
    c = await connectedApp(sb, 'pglite', {}, { sync: true });
    const page = (await c.session.get('/integrations')).html;
    expect(page).toContain('<span class="badge ok" id="zoho-status">Connected</span>');
    expect(textById(page, 'zoho-last-sync')).toBe('Nothing synced yet');
    expect(textById(page, 'zoho-counts')).toBe('0 synced 0 failed');
    expect(page).not.toContain('/activity?status=failed');
    expect(element(page, 'zoho-card')).toContain(
      'id="zoho-permissions" href="/integrations/zoho/permissions"',
    );
    expect(element(page, 'zoho-what')).toBeUndefined();
  });

  it('connected: the last sync’s time and the last 7 days’ synced and failed meetings, failures linked to Activity', async () => {
    c = await connectedApp(sb, 'pglite', {}, { sync: true });
    const synced = [bookingEvent(), bookingEvent()];
    for (const e of synced) {
      await sendEvent(c.app.url, e);
      expect(await settled(c.app.db, e.id)).toBe('done');
    }
    await refuseNextContactInsert(sb.client, c.org, { code: 'INVALID_DATA', message: 'invalid data' });
    const failed = bookingEvent({ attendees: [{ email: 'grace@navy.example', name: 'Grace Hopper' }] });
    await sendEvent(c.app.url, failed);
    expect(await settled(c.app.db, failed.id)).toBe('failed');

    const page = (await c.session.get('/integrations')).html;
    const last = await doneAt(c, synced[1]!.id);
    expect(textById(page, 'zoho-last-sync')).toBe(`Last synced ${utcMinute(last)}`);
    expect(element(page, 'zoho-last-sync')).toContain(`<time datetime="${last.toISOString()}">`);
    expect(textById(page, 'zoho-counts-title')).toBe('Last 7 days');
    expect(textById(page, 'zoho-synced')).toBe('2 synced');
    expect(element(page, 'zoho-failed')).toBe(
      '<li id="zoho-failed"><a href="/activity?status=failed"><strong>1</strong> failed</a></li>',
    );
    expect(element(page, 'zoho-in-progress')).toBeUndefined();
    expect(element(page, 'zoho-waiting')).toBeUndefined();
    // Another member's page counts only their own connection's meetings.
    const sam = (await (await c.app.signIn('usr_sam')).get('/integrations')).html;
    expect(element(sam, 'zoho-sync')).toBeUndefined();
  });

  it('meetings still being synced are counted as in progress', async () => {
    c = await connectedApp(sb, 'pglite', {}, { sync: true, worker: false });
    await sendEvent(c.app.url, bookingEvent());
    const page = (await c.session.get('/integrations')).html;
    expect(textById(page, 'zoho-in-progress')).toBe('1 in progress');
    expect(textById(page, 'zoho-last-sync')).toBe('Nothing synced yet');
  });

  it('reconnect needed: a waiting badge, Reconnect and Data we access, and the meetings waiting for it', async () => {
    c = await connectedApp(sb, 'pglite', {}, { sync: true });
    await sb.client.json('POST', `/__sandbox/orgs/${c.org.org_id}/revoke-tokens`, {});
    const e = bookingEvent();
    await sendEvent(c.app.url, e);
    expect(await settled(c.app.db, e.id)).toBe('waiting');
    const page = (await c.session.get('/integrations')).html;
    expect(page).toContain('<span class="badge waiting" id="zoho-status">Reconnect needed</span>');
    expect(textById(page, 'zoho-waiting')).toBe('1 waiting for reconnect');
    const card = element(page, 'zoho-card')!;
    expect(card).toContain('id="zoho-reconnect"');
    expect(card).toContain('id="zoho-permissions" href="/integrations/zoho/permissions"');
  });
});

describe('around the card', () => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('the sandbox hint says what /__sandbox/ and each org’s page show', async () => {
    c = await connectedApp(sb, 'pglite', {}, { sync: true });
    const sam = (await (await c.app.signIn('usr_sam')).get('/integrations')).html;
    expect(textById(sam, 'sandbox-hint')).toContain(
      `${sb.base}/__sandbox/ lists the sandbox’s orgs; each org’s page shows its records and its latest API calls.`,
    );
    expect(sam).toContain(`<a href="${sb.base}/__sandbox/">`);
    // Connected: no hint; the Try it panel links the connected org's own page instead.
    const alex = (await c.session.get('/integrations')).html;
    expect(element(alex, 'sandbox-hint')).toBeUndefined();
    expect(element(alex, 'try-it')).toContain(
      `<a href="${sb.base}/__sandbox/orgs/${c.org.org_id}/view">your sandbox org’s page</a> (its records and the latest API calls it received)`,
    );
  });

  it('team connections: each member’s state as a badge, the table in a .table-wrap, for admins only', async () => {
    c = await connectedApp(sb, 'pglite');
    const alex = (await c.session.get('/integrations')).html;
    expect(alex).toMatch(/<div class="table-wrap"[^>]*><table id="team-connections">/);
    const table = element(alex, 'team-connections')!;
    const row = (name: string) =>
      [...table.matchAll(/<tr>[\s\S]*?<\/tr>/g)].find((m) => m[0].includes(name))?.[0];
    expect(row('Alex Morgan (alex@peposmart.test)')).toContain('<span class="badge ok">Connected</span>');
    expect(textOf(row('Alex Morgan')!)).toContain(`Zoho account ${c.org.users[0]!.email}`);
    expect(row('Sam Rivera (sam@peposmart.test)')).toContain(
      '<span class="badge neutral">Not connected</span>',
    );
    const sam = (await (await c.app.signIn('usr_sam')).get('/integrations')).html;
    expect(element(sam, 'team-connections')).toBeUndefined();
  });
});
