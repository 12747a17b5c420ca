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

  async function open(): Promise<{ id: string; dealId: string }> {
    c = await connectedApp(sb, 'pglite', { pipelines }, { sync: true });
    const { id, dealIds } = await suggestionFor(sb.client, c);
    expect(id).toBeDefined();
    await b.page.goto(`${c.app.url}/signin?next=/suggestions`);
    await b.page.getByRole('button', { name: 'Alex Morgan' }).click();
    await b.page.waitForURL(`${c.app.url}/suggestions`);
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
      /approve · “Value Proposition” → “Proposal\/Price Quote” · written/,
    );
    expect(await stageOf(sb.client, c!, dealId)).toBe('Proposal/Price Quote');
    expect(await b.page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
  });

  it('Reject writes nothing and is recorded', async () => {
    const { dealId } = await open();
    await b.page.getByRole('button', { name: 'Reject' }).click();
    await b.page.waitForLoadState();
    expect(await b.page.locator('#suggestion').getAttribute('data-status')).toBe('rejected');
    expect(await b.page.locator('#audit').textContent()).toContain('reject');
    expect(await stageOf(sb.client, c!, dealId)).toBe('Value Proposition');
    const writes = (await sb.client.calls(c!.org)).filter((x) => x.method !== 'GET' && /Deals/.test(x.path));
    expect(writes).toEqual([]);
  });
});
