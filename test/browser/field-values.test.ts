import { afterEach, describe, expect, it } from 'vitest';
import { readFieldRows } from '../../src/connections/zoho-fields.ts';
import { useBrowser } from '../helpers/browser.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { overflow, seriousViolations } from '../helpers/page-checks.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/** The field value step, a page of its own: no script, at a desktop's and a phone's width. */
const sb = useSandbox();
const b = useBrowser();

describe('field value step in a browser', () => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  // Four axe-core runs over two states: longer than the default timeout on a loaded machine.
  it('adds a picklist value; a missing question is marked in the summary and beside its field; fits 1280 and 390 px', async () => {
    c = await connectedApp(sb, 'pglite');
    expect((await c.session.post('/integrations/zoho/fields/refresh')).status).toBe(303);
    const page = b.page;
    await page.goto(`${c.app.url}/signin?next=/integrations`);
    await page.getByRole('button', { name: 'Alex Morgan' }).click();
    await page.waitForURL(`${c.app.url}/integrations`);

    const step = `${c.app.url}/integrations/zoho/field-rows/new?field=Leads.Title`;
    await page.goto(step);
    await page.getByLabel('The answer to a booking-form question, by its label:').check();
    await page.getByRole('button', { name: 'Add the field value' }).click();
    await page.waitForLoadState();
    const summary = page.getByRole('alert');
    expect(await summary.locator('a').getAttribute('href')).toBe('#value-question');
    expect(await page.getByLabel('Question label').getAttribute('aria-invalid')).toBe('true');
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await overflow(page), `error state at ${width}px`).toEqual({ doc: 0, wide: [] });
      expect(await seriousViolations(page), `error state at ${width}px`).toEqual([]);
    }

    await page.goto(`${c.app.url}/integrations/zoho/field-rows/new?field=Leads.Lead_Status`);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await overflow(page), `value step at ${width}px`).toEqual({ doc: 0, wide: [] });
      expect(await seriousViolations(page), `value step at ${width}px`).toEqual([]);
    }
    await page.getByLabel('Value', { exact: true }).selectOption('Contacted');
    await page.getByRole('button', { name: 'Add the field value' }).click();
    await page.waitForURL(/\/integrations/);
    expect(await readFieldRows(c.app.db, 'ws_demo', c.connectionId)).toMatchObject([
      { module: 'Leads', field: 'Lead_Status', source: { kind: 'fixed', value: 'Contacted' } },
    ]);
  }, 180_000);
});
