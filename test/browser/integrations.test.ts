import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { requestedScopes } from '../../src/connections/scopes.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

/**
 * The Integrations page in a real browser, as a user goes through it: sign in, Connect,
 * the (sandbox) Zoho consent page, back to the card; Disconnect with its confirmation; Deny.
 */
const sb = useSandbox();
const b = useBrowser();

describe('Integrations page in a browser', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function orgIn(dc: 'us' | 'eu', name: string): Promise<CreatedOrg> {
    return sb.client.createOrg({
      name,
      data_center: dc,
      users: [
        {
          email: uniqueEmail(dc),
          first_name: 'Jo',
          last_name: `Zoho${dc.toUpperCase()}`,
          profile: 'Administrator',
        },
      ],
    });
  }

  /** Sign in as Alex, open Integrations, Connect, sign in at Zoho as `email`, then decide. */
  async function connectThroughZoho(page: Page, email: string, decision: 'Accept' | 'Deny') {
    app ??= await startTestApp({ kind: 'pglite', sandbox: sb.sandbox, sandboxBase: sb.base });
    await page.goto(`${app.url}/integrations`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.getByRole('button', { name: 'Alex Morgan' }).click();
    await page.waitForURL(`${app.url}/integrations`);
    expect(await page.locator('#zoho-status').textContent()).toBe('Not connected');
    await page.click('#zoho-connect');
    await page.fill('input[name=email]', email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const scopes = await page.locator('#scopes code').allTextContents();
    expect(scopes).toEqual([...requestedScopes]);
    await page.getByRole('button', { name: decision }).click();
    await page.waitForURL((u) => u.pathname === '/integrations');
  }

  it.each([
    ['us', 'United States (US)'],
    ['eu', 'Europe (EU)'],
  ] as const)('connects a %s org and shows the Zoho user, org and data centre', async (dc, dcLabel) => {
    const org = await orgIn(dc, `Browser Org ${dc}`);
    await connectThroughZoho(b.page, org.users[0]!.email, 'Accept');
    const card = b.page.locator('#zoho-card');
    expect(await card.getAttribute('data-status')).toBe('connected');
    expect(await b.page.locator('#zoho-status').textContent()).toBe('Connected');
    expect(await b.page.locator('#zoho-user').textContent()).toBe(
      `Jo Zoho${dc.toUpperCase()} (${org.users[0]!.email})`,
    );
    expect(await b.page.locator('#zoho-org').textContent()).toBe(`Browser Org ${dc}`);
    expect(await b.page.locator('#zoho-dc').textContent()).toBe(dcLabel);
    expect(await b.page.locator('#notice').textContent()).toContain('Zoho CRM is connected');
  });

  it('disconnects after confirmation: tokens revoked at Zoho, and no call with them afterwards', async () => {
    const org = await orgIn('us', 'Disconnect Org');
    await connectThroughZoho(b.page, org.users[0]!.email, 'Accept');
    const before = await sb.client.calls(org);
    const apiHashes = new Set(before.filter((c) => c.path.startsWith('/crm/')).map((c) => c.token_hash));
    expect(apiHashes.size).toBeGreaterThan(0);

    await b.page.click('#zoho-disconnect');
    expect(await b.page.locator('#disconnect-confirm').isVisible()).toBe(true);
    await b.page.click('#cancel-disconnect');
    expect(await b.page.locator('#zoho-card').getAttribute('data-status')).toBe('connected');

    await b.page.click('#zoho-disconnect');
    await b.page.click('#confirm-disconnect');
    await b.page.waitForURL((u) => u.search === '?done=disconnected');
    expect(await b.page.locator('#zoho-status').textContent()).toBe('Not connected');
    expect(await b.page.locator('#zoho-connect').isVisible()).toBe(true);

    const after = await sb.client.calls(org);
    const revokeAt = after.findIndex((c) => c.path === '/oauth/v2/token/revoke');
    expect(revokeAt).toBeGreaterThanOrEqual(before.length);
    expect(after[revokeAt]!.status).toBe(200);
    // Nothing the app could do afterwards reaches Zoho with the old tokens.
    await b.page.goto(`${app!.url}/integrations`);
    const later = (await sb.client.calls(org)).slice(revokeAt + 1);
    expect(later.filter((c) => apiHashes.has(c.token_hash))).toEqual([]);
    expect(later).toEqual([]);
  });

  it('explains a declined consent on the card', async () => {
    const org = await orgIn('eu', 'Deny Org');
    await connectThroughZoho(b.page, org.users[0]!.email, 'Deny');
    expect(await b.page.locator('#zoho-card').getAttribute('data-status')).toBe('not_connected');
    const problem = b.page.locator('#zoho-problem');
    expect(await problem.getAttribute('data-code')).toBe('denied');
    expect(await problem.textContent()).toContain('choose Accept');
  });

  it('saves the sync settings', async () => {
    const org = await orgIn('us', 'Settings Org');
    await connectThroughZoho(b.page, org.users[0]!.email, 'Accept');
    await b.page.check('input[name=new_attendee_module][value=Leads]');
    await b.page.uncheck('input[name=sync_tasks]');
    await b.page.click('#zoho-save-settings');
    await b.page.waitForURL((u) => u.search === '?done=saved');
    await b.page.reload();
    expect(await b.page.isChecked('input[name=new_attendee_module][value=Leads]')).toBe(true);
    expect(await b.page.isChecked('input[name=sync_tasks]')).toBe(false);
    expect(await b.page.isChecked('input[name=sync_notes]')).toBe(true);
  });
});
