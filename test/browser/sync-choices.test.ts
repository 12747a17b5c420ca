import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { meetingScopes, requestedScopes } from '../../src/connections/scopes.ts';
import { zohoEmail } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { overflow, seriousViolations } from '../helpers/page-checks.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Issue 16 as a user sets it up, in a real browser: on the Zoho CRM card, Meetings turned on
 * (through Zoho's consent for the added permissions), an event-type choice and a field value
 * for Meetings; then bookings, and the result looked at in the sandbox's own pages.
 */
const sb = useSandbox();
const b = useBrowser();

const text = async (page: Page, selector: string) => (await page.locator(selector).textContent())?.trim();
const search = (page: Page) => new URL(page.url()).search;

/** Waits for the app's /integrations page, after a form or Zoho's redirect. */
const onIntegrations = (page: Page, url: string) =>
  page.waitForURL((u) => u.origin === url && u.pathname === '/integrations');

describe('the Zoho CRM card’s sync choices in a browser', { timeout: 120_000 }, () => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('Meetings on through Zoho’s consent, one event type chosen, a field value for Meetings: the sandbox shows the Meeting with its value, and the other type is skipped', async () => {
    c = await connectedApp(sb, 'pglite', {}, { sync: true });
    const app = c.app;
    await sb.client.addField(c.org, { module: 'Events', label: 'Booked Via', type: 'text' });
    // Bookings name the event types the card then offers.
    const intro = bookingEvent({ attendees: [{ email: 'first.intro@client.example' }] });
    const demo = bookingEvent({ attendees: [{ email: 'first.demo@client.example' }] });
    demo.data.booking.event_type = { id: 'et_demo', name: 'Product demo' };
    for (const e of [intro, demo]) {
      await sendEvent(app.url, e);
      expect(await settled(app.db, e.id)).toBe('done');
    }
    const page = b.page;
    try {
      await page.goto(`${app.url}/signin?next=/integrations`);
      await page.getByRole('button', { name: 'Alex Morgan' }).click();
      await onIntegrations(page, app.url);

      // 1. Meetings: the card says why Zoho asks again; Zoho's consent lists the added scopes.
      expect(await text(page, '#meetings-state')).toBe('Off');
      await page.check('#sync-meetings');
      await page.click('#zoho-save-meetings');
      await page.waitForURL((u) => u.pathname === '/integrations/zoho/meetings');
      expect(await page.locator('#meetings-scopes code').allTextContents()).toEqual(
        meetingScopes.map((s) => s.scope),
      );
      await page.click('#meetings-continue');
      await page.waitForURL((u) => u.href.startsWith(`${sb.base}/us/accounts/oauth/v2/auth`));
      await page.fill('input[name=email]', zohoEmail(c.org));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Accept' }).count()).toBe(1);
      expect(await page.locator('#scopes code').allTextContents()).toEqual([
        ...requestedScopes,
        ...meetingScopes.map((s) => s.scope),
      ]);
      await page.getByRole('button', { name: 'Accept' }).click();
      await onIntegrations(page, app.url);
      expect(search(page)).toBe('?done=connected');
      expect(await text(page, '#meetings-state')).toBe('On');

      // 2. Only the Product demo event type.
      await page.check('input[name=event_types_mode][value=chosen]');
      await page.check('input[name=event_type][value=et_demo]');
      await page.click('#zoho-save-settings');
      await onIntegrations(page, app.url);
      expect(search(page)).toBe('?done=saved');
      expect(await page.isChecked('input[name=event_type][value=et_demo]')).toBe(true);
      expect(await page.isChecked('input[name=event_type][value=et_1]')).toBe(false);

      // 3. Meetings' Booked Via field ← the event type's name.
      await page.click('#field-rows-read');
      await onIntegrations(page, app.url);
      await page.selectOption('#field-rows-field', 'Events.Booked_Via');
      await page.click('#field-rows-next');
      await page.waitForURL((u) => u.pathname === '/integrations/zoho/field-rows/new');
      await page.check('#value-source-event-type');
      await page.click('#value-save');
      await onIntegrations(page, app.url);
      expect(search(page)).toBe('?done=field_value_added');
      expect(await text(page, '#field-rows')).toContain('Booked Via');
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        expect(await overflow(page), `${width} px`).toEqual({ doc: 0, wide: [] });
        expect(await seriousViolations(page), `${width} px`).toEqual([]);
      }
      await page.setViewportSize({ width: 1280, height: 900 });

      // Bookings after: the intro type is skipped, the demo one becomes a Meeting.
      const skipped = bookingEvent({ attendees: [{ email: 'second.intro@client.example' }] });
      await sendEvent(app.url, skipped);
      expect(await settled(app.db, skipped.id)).toBe('skipped');
      const booked = bookingEvent({ attendees: [{ email: 'grace@client.example', name: 'Grace Hopper' }] });
      booked.data.booking.event_type = { id: 'et_demo', name: 'Product demo' };
      booked.data.booking.title = 'Product demo with Grace';
      await sendEvent(app.url, booked);
      expect(await settled(app.db, booked.id)).toBe('done');

      // The sandbox's page of the org, as a user looks at it.
      await page.goto(`${sb.base}/__sandbox/orgs/${encodeURIComponent(c.org.org_id)}/view`);
      const meetings = page.locator('table', { has: page.locator('th', { hasText: 'Event_Title' }) });
      expect(await meetings.locator('tr', { hasText: 'Product demo with Grace' }).count()).toBe(1);
      expect(await meetings.textContent()).toContain('Grace Hopper');
      expect(await meetings.textContent()).not.toContain('second.intro');
      await meetings.locator('tr', { hasText: 'Product demo with Grace' }).getByRole('link').first().click();
      await page.waitForURL((u) => u.pathname.includes('/view/Events/'));
      expect(
        await page.locator('tr', { has: page.locator('th', { hasText: 'Booked_Via' }) }).textContent(),
      ).toContain('Product demo');
      const contacts = (await sb.client.records(c.org, 'Contacts')).map((r) => r.Email);
      expect(contacts).toContain('grace@client.example');
      expect(contacts).not.toContain('second.intro@client.example');

      // The Activity page says why the intro booking was skipped.
      await page.goto(`${app.url}/activity`);
      expect(await text(page, `#event-${skipped.id}`)).toContain(
        'The event type “30 min intro” is not among the event types synced to Zoho CRM',
      );
    } catch (err) {
      mkdirSync('test-results', { recursive: true });
      await page.screenshot({ path: 'test-results/sync-choices.png', fullPage: true }).catch(() => {});
      throw err;
    }
  });
});
