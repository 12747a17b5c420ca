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

  it('marks each field in error: styled summary announced as an alert, aria-invalid and the message beside the field; the Zoho user refused', async () => {
    c = await connectedApp(sb, 'pglite', {}, { sync: true });
    const page = b.page;
    await page.goto(`${c.app.url}/signin?next=/integrations`);
    await page.getByRole('button', { name: 'Alex Morgan' }).click();
    await page.waitForURL(`${c.app.url}/integrations`);
    const zohoUser = c.org.users[0]!.email;
    await page.getByLabel('Attendee name').fill('');
    await page.getByLabel('Attendee email').fill(zohoUser);
    await page.getByRole('button', { name: 'Send the demo meeting' }).click();
    await page.waitForURL(`${c.app.url}/integrations/try-it`);

    const summary = page.getByRole('alert');
    expect(await summary.getAttribute('id')).toBe('try-it-problems');
    expect(await summary.getAttribute('class')).toBe('problem');
    expect(await summary.locator('strong').textContent()).toBe('Check the fields marked below.');
    // The summary is styled as a problem (the design system's red panel), not plain text.
    expect(
      await page.evaluate("getComputedStyle(document.getElementById('try-it-problems')).backgroundColor"),
    ).not.toBe('rgba(0, 0, 0, 0)');
    expect(await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
      '#try-name',
      '#try-email',
    ]);

    for (const [label, message] of [
      ['Attendee name', 'Enter the attendee’s name'],
      ['Attendee email', `That is the Zoho CRM user you connected as (${zohoUser})`],
    ] as const) {
      const field = page.getByLabel(label);
      expect(await field.getAttribute('aria-invalid'), label).toBe('true');
      const describedBy = await field.getAttribute('aria-describedby');
      const error = page.locator(`#${describedBy}`);
      expect(await error.getAttribute('class'), label).toBe('field-error');
      expect(await error.textContent(), label).toContain(message);
      expect(await error.isVisible(), label).toBe(true);
      // Beside its field: the message and the field share a parent.
      expect(
        await error.evaluate(
          (el, id) => el.parentElement?.querySelector(`#${id}`) !== null,
          await field.getAttribute('id'),
        ),
      ).toBe(true);
    }
    expect(await page.getByLabel('Sample meeting').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel('Attendee email').inputValue()).toBe(zohoUser);

    // Corrected, the same form sends.
    await page.getByLabel('Attendee name').fill('Grace Hopper');
    await page.getByLabel('Attendee email').fill('grace.hopper@compilers.example');
    await page.getByRole('button', { name: 'Send the demo meeting' }).click();
    await page.waitForURL((u) => u.pathname === '/activity');
  });
});
