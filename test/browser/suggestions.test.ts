import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { pipelines, stageOf, suggestionFor } from '../helpers/deals.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/** A notes event → the suggestion with its evidence → Approve writes the Stage; Reject writes nothing. */
const sb = useSandbox();
const b = useBrowser();

describe('Suggestions page in a browser', () => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  /** Signs Alex in on the demo sign-in page, landing on `next`. */
  async function signIn(app: { url: string }, next: string) {
    await b.page.goto(`${app.url}/signin?next=${encodeURIComponent(next)}`);
    await b.page.getByRole('button', { name: 'Alex Morgan' }).click();
    await b.page.waitForURL(`${app.url}${next}`);
  }

  async function open(): Promise<{ id: string; dealId: string }> {
    c = await connectedApp(sb, 'pglite', { pipelines }, { sync: true });
    const { id, dealIds } = await suggestionFor(sb.client, c);
    expect(id).toBeDefined();
    await signIn(c.app, '/suggestions');
    await b.page.getByRole('link', { name: 'Analytical Engines' }).click();
    await b.page.waitForURL(`${c.app.url}/suggestions/${id}`);
    expect(await b.page.locator('.evidence').textContent()).toContain(
      'please send me the formal quote for 30 seats',
    );
    expect(await b.page.locator('#stage').inputValue()).toBe('Proposal/Price Quote');
    return { id: id!, dealId: dealIds[0]! };
  }

  it('Approve moves the deal in Zoho CRM and the decision is recorded', async () => {
    const { dealId } = await open();
    await b.page.getByRole('button', { name: 'Approve' }).click();
    await b.page.waitForLoadState();
    expect(await b.page.locator('#suggestion').getAttribute('data-status')).toBe('approved');
    expect(await b.page.locator('#audit').textContent()).toMatch(
      /Alex Morgan approved “Value Proposition” → “Proposal\/Price Quote”: written to Zoho CRM\./,
    );
    expect(await stageOf(sb.client, c!, dealId)).toBe('Proposal/Price Quote');
    expect(await b.page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
  });

  it('Reject writes nothing and is recorded', async () => {
    const { dealId } = await open();
    await b.page.getByRole('button', { name: 'Reject' }).click();
    await b.page.waitForLoadState();
    expect(await b.page.locator('#suggestion').getAttribute('data-status')).toBe('rejected');
    expect(await b.page.locator('#audit').textContent()).toContain('Alex Morgan rejected it');
    expect(await stageOf(sb.client, c!, dealId)).toBe('Value Proposition');
    const writes = (await sb.client.calls(c!.org)).filter((x) => x.method !== 'GET' && /Deals/.test(x.path));
    expect(writes).toEqual([]);
  });

  it('Approve is the primary action with Reject beside it as the secondary; “Show its stages” stands apart; from → to shown; nothing scrolls sideways at 390 px', async () => {
    c = await connectedApp(sb, 'pglite', { pipelines }, { sync: true });
    const { id } = await suggestionFor(sb.client, c, [
      {
        Deal_Name: 'Annual renewal',
        Stage: 'Value Proposition',
        Pipeline: 'Sales',
        Closing_Date: '2026-12-31',
      },
      { Deal_Name: 'Annual renewal', Stage: 'Renewal Due', Pipeline: 'Renewals', Closing_Date: '2027-06-30' },
    ]);
    await signIn(c.app, `/suggestions/${id}`);
    for (const width of [1280, 390]) {
      await b.page.setViewportSize({ width, height: 900 });
      await b.page.goto(`${c.app.url}/suggestions/${id}`);
      const approve = b.page.getByRole('button', { name: 'Approve' });
      const reject = b.page.getByRole('button', { name: 'Reject' });
      const show = b.page.getByRole('button', { name: 'Show its stages' });
      expect(await classes(approve)).not.toContain('secondary');
      expect(await classes(reject)).toContain('secondary');
      expect(await classes(show)).toContain('secondary');
      // Side by side in one row of actions, Approve first.
      const [a, r] = [(await approve.boundingBox())!, (await reject.boundingBox())!];
      expect(Math.abs(a.y - r.y)).toBeLessThan(2);
      expect(r.x).toBeGreaterThan(a.x + a.width);
      expect(await approve.evaluate((e) => e.parentElement === e.nextElementSibling?.parentElement)).toBe(
        true,
      );
      expect(await approve.evaluate((e) => e.parentElement?.classList.contains('actions'))).toBe(true);
      // The deal chooser is its own form (GET), outside the decision's row of actions.
      expect(await show.evaluate((e) => e.closest('form')?.getAttribute('method'))).toBe('get');
      expect(await show.evaluate((e) => !e.closest('.actions')?.querySelector('.approve, .reject'))).toBe(
        true,
      );
      expect(await b.page.locator('#suggestion .stage-change').textContent()).toMatch(
        /Value Proposition\s*→\s*Proposal\/Price Quote/,
      );
      await expectNoSidewaysScroll(b.page, `suggestion at ${width}px`);
      await b.page.goto(`${c.app.url}/suggestions`);
      expect(await b.page.locator(`#suggestion-${id} .stage.to`).textContent()).toBe('Proposal/Price Quote');
      await expectNoSidewaysScroll(b.page, `list at ${width}px`);
      await b.page.goto(`${c.app.url}/suggestions/sug_nope`);
      expect(await b.page.locator('#problem-page h1').textContent()).toBe('Suggestion not found');
      await expectNoSidewaysScroll(b.page, `404 at ${width}px`);
    }
  });

  it('Approve while Zoho CRM is disconnected: the page says nothing was written and how to connect (regression, issue 14)', async () => {
    const { dealId } = await open();
    expect((await c!.session.post('/integrations/zoho/disconnect')).status).toBe(303);
    await b.page.setViewportSize({ width: 390, height: 900 });
    await b.page.getByRole('button', { name: 'Approve' }).click();
    await b.page.locator('#result').waitFor();
    expect(await b.page.locator('#result').textContent()).toContain(
      'Not approved: Zoho CRM is not connected. Nothing was written.',
    );
    expect(await b.page.locator('#suggestion').getAttribute('data-status')).toBe('open');
    await expectNoSidewaysScroll(b.page, 'the message at 390px');
    expect(await stageOf(sb.client, c!, dealId)).toBe('Value Proposition');
    await b.page.getByRole('link', { name: 'Connect Zoho CRM on Integrations' }).click();
    await b.page.waitForURL(`${c!.app.url}/integrations`);
  });
});

const classes = (l: Locator) => l.evaluate((e) => [...e.classList]);

async function expectNoSidewaysScroll(page: Page, what: string) {
  const overflow = await page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
  expect(overflow, `${what} scrolls sideways`).toBeLessThanOrEqual(0);
}
