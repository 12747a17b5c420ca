import { afterEach, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { bookingEvent, refuseNextContactInsert, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/** The Activity page in a browser: a failed booking explained, Retry, then the synced records. */
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
});
