import { afterEach, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { bookingEvent, notesEvent, refuseNextContactInsert, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * The Activity page in a browser: a failed booking explained, Retry, then the synced records;
 * every status at a desktop's and a phone's width; the empty page's way to Integrations.
 */
const sb = useSandbox();
const b = useBrowser();

describe('Activity page in a browser', () => {
  let c: Connected | undefined;
  afterEach(async () => {
    await sb.client.json('DELETE', '/__sandbox/faults');
    await c?.app.close();
    c = undefined;
  });

  it('shows a failure with what to do, retries it, and links the synced records', async () => {
    c = await connectedApp(sb, 'pglite', {}, { sync: true });
    await refuseNextContactInsert(sb.client, c.org, {
      code: 'INVALID_DATA',
      message: 'Rule: no test domains',
      details: { api_name: 'Email' },
    });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('failed');

    await b.page.goto(`${c.app.url}/signin?next=/activity`);
    await b.page.getByRole('button', { name: 'Alex Morgan' }).click();
    await b.page.waitForURL(`${c.app.url}/activity`);
    const card = b.page.locator(`#event-${event.id}`);
    expect(await card.getAttribute('data-status')).toBe('failed');
    expect(await card.locator('.problem').textContent()).toContain('Rule: no test domains');
    expect(await card.locator('.problem').textContent()).toContain('What to do:');

    await card.getByRole('button', { name: 'Retry' }).click();
    await b.page.waitForURL(`${c.app.url}/activity`);
    await settled(c.app.db, event.id);
    await b.page.reload();
    expect(await card.getAttribute('data-status')).toBe('done');
    const links = card.getByRole('link', { name: 'Open in Zoho CRM' });
    expect(await links.count()).toBe(2);
    await links.first().click();
    await b.page.waitForURL((u) => u.pathname.includes('/view/Contacts/'));
    expect(await b.page.content()).toContain('ada.lovelace@analytical.example');
  });

  it('every status reads at 1280 and 390 px wide: labelled badges, long titles and addresses wrap, filters by link, ids on request', async () => {
    c = await connectedApp(sb, 'pglite', {}, { sync: true, worker: false });
    const longEmail =
      'ada.lovelace.head.of.procurement.and.vendor.management@analytical-engines-and-difference-machines.example';
    const events = Array.from({ length: 5 }, () =>
      bookingEvent({ attendees: [{ email: longEmail, name: 'Ada Lovelace' }] }),
    );
    events[0]!.data.booking.title = `Quarterly-business-review-${'with-the-analytical-engines-procurement-team-'.repeat(5)}`;
    for (const e of events) await sendEvent(c.app.url, e);
    const notes = notesEvent(events[0]!.data.booking.id, { summary: 'Talked about the rollout.' });
    await sendEvent(c.app.url, notes);
    const [done, failed, waiting, skipped, queued] = events.map((e) => e.id) as [
      string,
      string,
      string,
      string,
      string,
    ];
    const status = (id: string, s: string, detail: string | null = null, code: string | null = null) =>
      c!.app.db.query('UPDATE events SET status = $2, detail = $3, error_code = $4 WHERE id = $1', [
        id,
        s,
        detail,
        code,
      ]);
    await status(done, 'done');
    await status(notes.id, 'done');
    await status(
      failed,
      'failed',
      'Zoho CRM refused: see https://crm.zoho.example/crm/org8812345678/settings/validation-rules/Contacts/4567890123456789012345?tab=rules&highlight=no-test-domains',
      'INVALID_DATA',
    );
    await status(waiting, 'waiting', 'reconnect needed');
    await status(skipped, 'skipped', 'disconnected');
    const expected: Array<[string, string]> = [
      [done, 'Synced'],
      [failed, 'Failed'],
      [waiting, 'Waiting for reconnect'],
      [skipped, 'Skipped'],
      [queued, 'In progress'],
      [notes.id, 'Synced'],
    ];

    await b.page.goto(`${c.app.url}/signin?next=/activity`);
    await b.page.getByRole('button', { name: 'Alex Morgan' }).click();
    await b.page.waitForURL(`${c.app.url}/activity`);
    // Everything from one look at the page.
    const look = () =>
      b.page.evaluate<{ overflow: number; badges: Array<[string, string]>; headings: string[] }>(`(() => {
        const cards = [...document.querySelectorAll('section.event')];
        return {
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          badges: cards.map((c) => [c.id.slice('event-'.length), c.querySelector('.card-head .badge').textContent]),
          headings: cards.map((c) => c.querySelector('h3').textContent),
        };
      })()`);
    for (const width of [1280, 390]) {
      await b.page.setViewportSize({ width, height: 900 });
      await b.page.goto(`${c.app.url}/activity`);
      const seen = await look();
      expect(seen.overflow, `sideways scroll at ${width} px`).toBeLessThanOrEqual(0);
      expect(seen.badges.sort()).toEqual([...expected].sort());
      // Meeting notes are headed by their booking's title.
      expect(seen.headings.filter((h) => h.startsWith('Quarterly-business-review'))).toHaveLength(2);
    }

    // Nothing reloads the page under the clicks below (it refreshes itself only when asked to).
    await b.page.goto(`${c.app.url}/activity`);
    await b.page.getByRole('link', { name: 'Failed (1)' }).click();
    await b.page.waitForURL(`${c.app.url}/activity?status=failed`);
    expect(await b.page.locator('section.event').count()).toBe(1);
    const card = b.page.locator(`#event-${failed}`);
    expect(await card.locator('.problem').textContent()).toContain('validation-rules');
    const bookingId = card.locator('details.more dd', { hasText: events[1]!.data.booking.id });
    expect(await bookingId.isVisible()).toBe(false);
    await card.locator('details.more summary').click();
    await bookingId.waitFor({ state: 'visible' });
    expect(await look()).toMatchObject({ overflow: 0 });
    expect(await b.page.getByRole('link', { name: 'Failed (1)' }).getAttribute('aria-current')).toBe('page');
    await b.page.getByRole('link', { name: 'All (6)' }).click();
    await b.page.waitForURL(`${c.app.url}/activity`);
    expect(await b.page.locator('section.event').count()).toBe(6);
  });

  it('with nothing yet and Zoho CRM not connected, the page leads to Integrations (390 px)', async () => {
    c = await connectedApp(sb, 'pglite', {}, { sync: true, worker: false });
    await c.session.post('/integrations/zoho/disconnect');
    await b.page.setViewportSize({ width: 390, height: 800 });
    await b.page.goto(`${c.app.url}/signin?next=/activity`);
    await b.page.getByRole('button', { name: 'Alex Morgan' }).click();
    await b.page.waitForURL(`${c.app.url}/activity`);
    const empty = b.page.locator('#no-activity');
    expect(await empty.getByRole('heading').textContent()).toBe('Connect Zoho CRM first');
    expect(
      await b.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
    ).toBeLessThanOrEqual(0);
    await empty.getByRole('link', { name: 'Connect on Integrations' }).click();
    await b.page.waitForURL(`${c.app.url}/integrations`);
    expect(await b.page.locator('#zoho-card').getAttribute('data-status')).toBe('not_connected');
  });
});
