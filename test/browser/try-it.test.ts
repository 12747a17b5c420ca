import { afterEach, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/** A newcomer in sandbox mode: Try it → the meeting synced on Activity → its suggestion approved. */
const sb = useSandbox();
const b = useBrowser();

describe('Try it panel in a browser', () => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('sends the demo meeting; Activity shows it synced and Suggestions offers the deal’s next stage', async () => {
    c = await connectedApp(sb, 'pglite', {}, { sync: true });
    await b.page.goto(`${c.app.url}/signin?next=/integrations`);
    await b.page.getByRole('button', { name: 'Alex Morgan' }).click();
    await b.page.waitForURL(`${c.app.url}/integrations`);

    const panel = b.page.locator('#try-it');
    await panel.getByLabel('Sample meeting').selectOption('f01');
    await panel.getByLabel('Attendee name').fill('Grace Hopper');
    await panel.getByLabel('Attendee email').fill('grace.hopper@compilers.example');
    expect(await panel.getByRole('checkbox').isChecked()).toBe(true);
    await panel.getByRole('button', { name: 'Send the demo meeting' }).click();
    await b.page.waitForURL(`${c.app.url}/activity?tried=deal`);
    expect(await b.page.locator('#try-it-notice').textContent()).toContain('Contact with a new open deal');

    // No script on the page: the user reloads until both events are synced.
    for (let i = 0; i < 100; i++) {
      if ((await b.page.locator('.event[data-status="done"]').count()) === 2) break;
      await new Promise((r) => setTimeout(r, 100));
      await b.page.reload();
    }
    expect(await b.page.locator('.event[data-status="done"]').count()).toBe(2);
    const log = await b.page.locator('main').textContent();
    expect(log).toContain('grace.hopper@compilers.example');
    expect(log).toMatch(/Task/);

    await b.page.getByRole('navigation').getByRole('link', { name: 'Suggestions' }).click();
    await b.page.getByRole('link', { name: /pricing follow-up \(Try it\)/ }).click();
    expect(await b.page.locator('#stage').inputValue()).toBe('Proposal/Price Quote');
    await b.page.getByRole('button', { name: 'Approve' }).click();
    await b.page.waitForLoadState();
    expect(await b.page.locator('#suggestion').getAttribute('data-status')).toBe('approved');
    const [deal] = await sb.client.records(c.org, 'Deals');
    expect(deal.Stage).toBe('Proposal/Price Quote');
  });
});
