import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tokenFingerprint } from '../../sandbox/calls.ts';
import { requestedScopes } from '../../src/connections/scopes.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

/**
 * Connecting Zoho CRM as a user does it, in a real browser: the app's sign-in page, the
 * Integrations page, the (sandbox) Zoho sign-in and consent pages, and back to the card.
 * Each test has its own app (fresh database), browser context and sandbox orgs.
 */
const sb = useSandbox();
const b = useBrowser();

interface ZohoAccount {
  org: CreatedOrg;
  orgName: string;
  email: string;
  fullName: string;
}

/** A sandbox org in `dc` whose only user is an administrator the test signs in to Zoho as. */
async function zohoAccount(dc: 'us' | 'eu', orgName: string, first: string, last: string) {
  const email = uniqueEmail(`${first.toLowerCase()}.${dc}`);
  const org = await sb.client.createOrg({
    name: orgName,
    data_center: dc,
    users: [{ email, first_name: first, last_name: last, profile: 'Administrator' }],
  });
  expect(org.data_center).toBe(dc);
  return { org, orgName, email, fullName: `${first} ${last}` } satisfies ZohoAccount;
}

/** On failure, a full-page screenshot in test-results/ (git-ignored), then the error again. */
function withScreenshot(name: string, body: () => Promise<void>) {
  return async () => {
    try {
      await body();
    } catch (err) {
      mkdirSync('test-results', { recursive: true });
      await b.page
        ?.screenshot({ path: `test-results/connect-zoho-${name}.png`, fullPage: true })
        .catch(() => {});
      throw err;
    }
  };
}

const text = async (page: Page, selector: string) => (await page.locator(selector).textContent())?.trim();
const onPath = (page: Page, pathname: string) => page.waitForURL((u) => u.pathname === pathname);

// A browser's first pages are slow on a loaded machine: more room than the 30 s default.
describe('Connect Zoho CRM in a browser', { timeout: 60_000 }, () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ kind: 'pglite', sandbox: sb.sandbox, sandboxBase: sb.base });
  });
  afterEach(async () => {
    await app?.close();
  });

  /** /integrations while signed out → /signin → pick Alex Morgan → back on /integrations. */
  async function signInAsAlex(page: Page) {
    await page.goto(`${app.url}/integrations`);
    const signin = new URL(page.url());
    expect(signin.pathname).toBe('/signin');
    expect(signin.searchParams.get('next')).toBe('/integrations');
    await page.getByRole('button', { name: 'Alex Morgan' }).click();
    await onPath(page, '/integrations');
    expect(await text(page, '#signed-in-as')).toContain('Alex Morgan');
  }

  async function expectNotConnected(page: Page) {
    expect(await page.locator('#zoho-card').getAttribute('data-status')).toBe('not_connected');
    expect(await text(page, '#zoho-status')).toBe('Not connected');
    expect(await page.locator('#zoho-status').getAttribute('class')).toBe('badge neutral');
    expect(await page.locator('#zoho-connect').isVisible()).toBe(true);
    // What connecting does, and "Data we access" beside Connect, before anything is connected.
    expect(await text(page, '#zoho-what')).toContain(
      'Connecting lets PepoSmart look up each meeting’s attendees',
    );
    const permissions = page.locator('.actions #zoho-connect + #zoho-permissions');
    expect(await permissions.isVisible()).toBe(true);
    expect(await permissions.getAttribute('href')).toBe('/integrations/zoho/permissions');
    expect(await page.locator('#zoho-sync').count()).toBe(0);
    expect(await page.locator('#zoho-account').count()).toBe(0);
    expect(await page.locator('#zoho-settings').count()).toBe(0);
  }

  /**
   * Connect → Zoho's sign-in page as `email` (skipped when this browser is still signed in
   * at Zoho, as on Zoho itself) → the consent page, checked → `decision`.
   */
  async function throughZoho(
    page: Page,
    email: string,
    orgName: string,
    decision: 'Accept' | 'Deny',
    zohoSession: 'sign in' | 'already signed in' = 'sign in',
  ) {
    await page.click('#zoho-connect');
    await page.waitForURL((u) => u.href.startsWith(`${sb.base}/us/accounts/oauth/v2/auth`));
    if (zohoSession === 'sign in') {
      expect(await page.title()).toContain('Sign in to Zoho');
      await page.fill('input[name=email]', email);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await expect.poll(() => page.getByRole('button', { name: 'Accept' }).count()).toBe(1);
    expect(await text(page, '#client-name')).toBe('PepoSmart (test)');
    expect(await text(page, '#signed-in-as')).toBe(email);
    expect(await page.locator('body').textContent()).toContain(orgName);
    expect(await page.locator('#scopes code').allTextContents()).toEqual([...requestedScopes]);
    await page.getByRole('button', { name: decision }).click();
    await page.waitForURL((u) => u.origin === app.url && u.pathname === '/integrations');
  }

  async function connect(page: Page, account: ZohoAccount) {
    await signInAsAlex(page);
    await expectNotConnected(page);
    await throughZoho(page, account.email, account.orgName, 'Accept');
    expect(new URL(page.url()).search).toBe('?done=connected');
  }

  async function expectConnectedCard(page: Page, account: ZohoAccount, dcLabel: string) {
    expect(await page.locator('#zoho-card[data-status=connected]').count()).toBe(1);
    expect(await text(page, '#zoho-status')).toBe('Connected');
    expect(await page.locator('#zoho-status').getAttribute('class')).toBe('badge ok');
    expect(await text(page, '#zoho-user')).toBe(`${account.fullName} (${account.email})`);
    // Nothing was booked in these tests: no sync yet, and zero counts for the last 7 days.
    expect(await text(page, '#zoho-last-sync')).toBe('Nothing synced yet');
    expect(await text(page, '#zoho-synced')).toBe('0 synced');
    expect(await page.locator('#zoho-permissions').isVisible()).toBe(true);
    expect(await text(page, '#zoho-org')).toBe(account.orgName);
    expect(await text(page, '#zoho-dc')).toBe(dcLabel);
    expect(await page.locator('#zoho-problem').count()).toBe(0);
    expect(await page.locator('#zoho-connect').count()).toBe(0);
    expect(await page.locator('#zoho-disconnect').isVisible()).toBe(true);
  }

  it(
    'connects a US org: the card shows the Zoho user, the org and the US data centre',
    withScreenshot('us', async () => {
      const account = await zohoAccount('us', 'Acme Browser US', 'Una', 'States');
      await connect(b.page, account);
      expect(await text(b.page, '#notice')).toBe('Zoho CRM is connected.');
      await expectConnectedCard(b.page, account, 'United States (US)');
      expect(await text(b.page, '#zoho-dc')).toContain('US');
      // The card reads the same after a reload (stored, not only shown once).
      await b.page.goto(`${app.url}/integrations`);
      await expectConnectedCard(b.page, account, 'United States (US)');
      expect(await b.page.locator('#notice').count()).toBe(0);
    }),
  );

  it(
    'connects an EU org: the card shows the Zoho user, the org and the Europe data centre',
    withScreenshot('eu', async () => {
      const account = await zohoAccount('eu', 'Euro Browser GmbH', 'Eva', 'Europa');
      await connect(b.page, account);
      await expectConnectedCard(b.page, account, 'Europe (EU)');
      expect(await text(b.page, '#zoho-dc')).toContain('EU');
      // The app talked to the EU data centre only.
      const calls = await sb.client.calls(account.org);
      const crmCalls = calls.filter((c) => c.path.startsWith('/crm/'));
      expect(crmCalls.length).toBeGreaterThan(0);
      expect(new Set(calls.map((c) => (c as { dc?: string }).dc))).toEqual(new Set(['eu']));
    }),
  );

  it(
    'disconnects after a confirmation (Cancel keeps it), revokes at Zoho, and never uses the tokens again',
    withScreenshot('disconnect', async () => {
      const page = b.page;
      const account = await zohoAccount('us', 'Disconnect Browser Co', 'Dana', 'Drop');
      await connect(page, account);
      await expectConnectedCard(page, account, 'United States (US)');

      // The connection's tokens: every token Zoho issued to the app, and what its API calls carried.
      const atConnect = await sb.client.calls(account.org);
      const usersCall = atConnect.find((c) => c.path.startsWith('/crm/v8/users'));
      expect(usersCall).toMatchObject({ method: 'GET', status: 200 });
      expect(usersCall!.token_hash).toEqual(expect.any(String));
      const issued = new Set(app.issuedTokens.map((t) => tokenFingerprint(t)));
      expect(issued.size).toBeGreaterThanOrEqual(2); // an access and a refresh token
      expect(issued.has(usersCall!.token_hash)).toBe(true);
      const connectionHashes = new Set([
        ...issued,
        ...atConnect.filter((c) => c.path.startsWith('/crm/') && c.token_hash).map((c) => c.token_hash),
      ]);

      // Disconnect → confirmation → Cancel: nothing changes.
      await page.click('#zoho-disconnect');
      await onPath(page, '/integrations/zoho/disconnect');
      expect(await page.locator('#disconnect-confirm').isVisible()).toBe(true);
      const confirmText = await text(page, '#disconnect-confirm');
      expect(confirmText).toContain(account.orgName);
      expect(confirmText).toContain(account.email);
      await page.click('#cancel-disconnect');
      await onPath(page, '/integrations');
      await expectConnectedCard(page, account, 'United States (US)');
      const afterCancel = await sb.client.calls(account.org);
      expect(afterCancel.filter((c) => c.path === '/oauth/v2/token/revoke')).toEqual([]);

      // Disconnect → confirm.
      await page.click('#zoho-disconnect');
      await onPath(page, '/integrations/zoho/disconnect');
      await page.click('#confirm-disconnect');
      await page.waitForURL((u) => u.pathname === '/integrations' && u.search === '?done=disconnected');
      await expectNotConnected(page);
      expect(await text(page, '#notice')).toBe(
        'Zoho CRM is disconnected: PepoSmart’s access was deleted and revoked at Zoho. Records already in Zoho CRM stay.',
      );

      // Zoho (the sandbox) saw the revoke, of one of the connection's tokens, and it succeeded.
      const afterDisconnect = await sb.client.calls(account.org);
      const revokes = afterDisconnect.filter((c) => c.path === '/oauth/v2/token/revoke');
      expect(revokes).toHaveLength(1);
      expect(revokes[0]).toMatchObject({ method: 'POST', status: 200 });
      expect(connectionHashes.has(revokes[0]!.token_hash)).toBe(true);
      const revokeAt = afterDisconnect.indexOf(revokes[0]!);
      expect(revokeAt).toBeGreaterThanOrEqual(afterCancel.length);

      // What a user can still do afterwards reaches Zoho with nothing: reload the page, open the
      // disconnect page again, and POST "Check connection" (its button is gone; the form is not).
      await page.goto(`${app.url}/integrations`);
      await expectNotConnected(page);
      await page.goto(`${app.url}/integrations/zoho/disconnect`);
      expect(new URL(page.url()).pathname).toBe('/integrations');
      expect(await page.locator('#zoho-check').count()).toBe(0);
      const csrf = await page.locator('form[action="/signout"] input[name=_csrf]').inputValue();
      const check = await page.context().request.post(`${app.url}/integrations/zoho/check`, {
        form: { _csrf: csrf },
        maxRedirects: 0,
      });
      expect(check.status()).toBe(303);
      expect(check.headers()['location']).toBe('/integrations');
      await page.goto(`${app.url}/integrations`);
      await expectNotConnected(page);

      const finalCalls = await sb.client.calls(account.org);
      expect(finalCalls).toHaveLength(afterDisconnect.length);
      const afterRevoke = finalCalls.slice(revokeAt + 1);
      expect(afterRevoke.filter((c) => c.token_hash && connectionHashes.has(c.token_hash))).toEqual([]);
    }),
  );

  it(
    'explains a declined consent on the card, and a later Accept clears it',
    withScreenshot('deny', async () => {
      const page = b.page;
      const account = await zohoAccount('us', 'Deny Browser Inc', 'Dee', 'Nye');
      await signInAsAlex(page);
      await throughZoho(page, account.email, account.orgName, 'Deny');
      expect(new URL(page.url()).search).toBe('');

      await expectNotConnected(page);
      expect(await page.locator('#notice').count()).toBe(0);
      const problem = page.locator('#zoho-problem');
      expect(await problem.getAttribute('data-code')).toBe('denied');
      const problemText = (await problem.textContent()) ?? '';
      expect(problemText).toContain('you declined on Zoho’s consent page, or Zoho is limiting sign-ins.');
      expect(problemText).toContain('What to do:');
      expect(problemText).toContain('choose Accept');
      // No code was issued, so the app asked Zoho for no token.
      expect(app.issuedTokens).toEqual([]);
      const calls = await sb.client.calls(account.org);
      expect(calls.filter((c) => c.path.startsWith('/oauth/v2/token'))).toEqual([]);

      // The card's advice works: Connect again (still signed in at Zoho) and Accept.
      await throughZoho(page, account.email, account.orgName, 'Accept', 'already signed in');
      expect(await text(page, '#notice')).toBe('Zoho CRM is connected.');
      await expectConnectedCard(page, account, 'United States (US)');
    }),
  );

  it(
    'saves the sync settings: Leads and one sync off, kept after a reload',
    withScreenshot('settings', async () => {
      const page = b.page;
      const account = await zohoAccount('us', 'Settings Browser LLC', 'Sol', 'Setter');
      await connect(page, account);
      const form = page.locator('#zoho-settings');
      expect(await form.isVisible()).toBe(true);
      const state = async () => ({
        module: await form.locator('input[name=new_attendee_module]:checked').inputValue(),
        sync_bookings: await form.locator('input[name=sync_bookings]').isChecked(),
        sync_notes: await form.locator('input[name=sync_notes]').isChecked(),
        sync_tasks: await form.locator('input[name=sync_tasks]').isChecked(),
        suggest_deal_stages: await form.locator('input[name=suggest_deal_stages]').isChecked(),
      });
      const before = await state();
      expect(before.module).toBe('Contacts');
      expect(before.sync_tasks).toBe(true);

      await page.getByLabel('Leads').check();
      await page.getByLabel('Action items (Tasks)').uncheck();
      await page.click('#zoho-save-settings');
      await page.waitForURL((u) => u.pathname === '/integrations' && u.search === '?done=saved');
      expect(await text(page, '#notice')).toBe('Settings saved.');
      const expected = { ...before, module: 'Leads', sync_tasks: false };
      expect(await state()).toEqual(expected);

      await page.goto(`${app.url}/integrations`);
      expect(await page.locator('#notice').count()).toBe(0);
      expect(await state()).toEqual(expected);
      await expectConnectedCard(page, account, 'United States (US)');
    }),
  );
});
