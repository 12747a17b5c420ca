import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { meetingScopes, requestedScopes } from '../../src/connections/scopes.ts';
import { SESSION_COOKIE } from '../../src/users/sessions.ts';
import { otherAdmin, startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { connectedApp } from '../helpers/connected.ts';
import { bookingEvent, refuseNextContactInsert, sendEvent, settled } from '../helpers/events.ts';
import { overflow, seriousViolations } from '../helpers/page-checks.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * The Integrations page in each state, the Try it form with errors and the Data we access page,
 * at a desktop (1280 px) and a phone (390 px) width (issue 14: at 390 px Integrations was 685 to
 * 793 px wide, Disconnect off screen): nothing scrolls sideways, the key controls are on screen,
 * and axe finds no serious or critical violation.
 */
const sb = useSandbox();
const b = useBrowser();
const widths = [1280, 390] as const;

let app: TestApp | undefined;
afterEach(async () => {
  await sb.client.json('DELETE', '/__sandbox/faults');
  await app?.close();
  app = undefined;
});

async function signIn(a: TestApp, userId: string) {
  const token = (await a.signIn(userId)).browser.cookie(SESSION_COOKIE)!;
  await b.context.addCookies([{ name: SESSION_COOKIE, value: token, url: a.url }]);
}

/**
 * At each width: the page (opened by `open`), nothing wider than the screen, each of `visible`
 * fully on screen horizontally, `texts` shown, no serious accessibility violation.
 */
async function checkWidths(open: (page: Page) => Promise<void>, visible: string[], texts: string[]) {
  for (const width of widths) {
    const page = b.page;
    await page.setViewportSize({ width, height: 900 });
    await open(page);
    const where = `${new URL(page.url()).pathname} at ${width}px`;
    expect(await overflow(page), where).toEqual({ doc: 0, wide: [] });
    for (const selector of visible) {
      const box = await page.locator(selector).boundingBox();
      expect(box, `${selector} ${where}`).not.toBeNull();
      expect(box!.x, `${selector} ${where}`).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, `${selector} ${where}`).toBeLessThanOrEqual(width);
    }
    const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    for (const t of texts) expect(text, where).toContain(t);
    expect(await seriousViolations(page), where).toEqual([]);
  }
}

describe('Integrations at 1280 and 390 px', { timeout: 120_000 }, () => {
  it('not connected, as an admin (team table, sandbox hint)', async () => {
    app = await startTestApp({ kind: 'pglite', sandbox: sb.sandbox, sandboxBase: sb.base, sync: true });
    await signIn(app, 'usr_alex');
    await checkWidths(
      (page) => page.goto(`${app!.url}/integrations`).then(() => {}),
      ['#zoho-connect', '#zoho-permissions', '#team-connections', '#sandbox-hint'],
      ['Not connected', 'Connecting lets PepoSmart', 'Data we access', 'Team connections', 'Sam Rivera'],
    );
  });

  it('connected, with its figures, the Try it panel and a long Zoho address in the team table', async () => {
    const c = await connectedApp(sb, 'pglite', {}, { sync: true });
    app = c.app;
    const ok = bookingEvent();
    await sendEvent(app.url, ok);
    expect(await settled(app.db, ok.id)).toBe('done');
    await refuseNextContactInsert(sb.client, c.org, { code: 'INVALID_DATA', message: 'invalid data' });
    const failed = bookingEvent({ attendees: [{ email: 'grace@navy.example', name: 'Grace Hopper' }] });
    await sendEvent(app.url, failed);
    expect(await settled(app.db, failed.id)).toBe('failed');
    await signIn(app, 'usr_alex');
    await checkWidths(
      (page) => page.goto(`${c.app.url}/integrations`).then(() => {}),
      [
        '#zoho-check',
        '#zoho-disconnect',
        '#zoho-permissions',
        '#zoho-failed a',
        '#try-send',
        '#team-connections',
      ],
      ['Connected', 'Last synced', '1 synced', '1 failed', 'Try it', c.org.users[0]!.email],
    );
  });

  it('the Try it form with its errors', async () => {
    const c = await connectedApp(sb, 'pglite', {}, { sync: true });
    app = c.app;
    await signIn(app, 'usr_alex');
    await checkWidths(
      async (page) => {
        await page.goto(`${c.app.url}/integrations`);
        await page.getByLabel('Attendee name').fill('');
        await page.getByLabel('Attendee email').fill(c.org.users[0]!.email);
        await page.getByRole('button', { name: 'Send the demo meeting' }).click();
        await page.waitForURL((u) => u.pathname === '/integrations/try-it');
      },
      ['#try-it-problems', '#try-email', '#try-email-error', '#try-send'],
      ['Check the fields marked below.', 'That is the Zoho CRM user you connected as'],
    );
  });

  it('reconnect needed, with the meetings waiting for it', async () => {
    const c = await connectedApp(sb, 'pglite', {}, { sync: true });
    app = c.app;
    await sb.client.json('POST', `/__sandbox/orgs/${c.org.org_id}/revoke-tokens`, {});
    const e = bookingEvent();
    await sendEvent(app.url, e);
    expect(await settled(app.db, e.id)).toBe('waiting');
    await signIn(app, 'usr_alex');
    await checkWidths(
      (page) => page.goto(`${c.app.url}/integrations`).then(() => {}),
      ['#zoho-reconnect', '#zoho-disconnect', '#zoho-permissions', '#zoho-problem', '#team-connections'],
      ['Reconnect needed', '1 waiting for reconnect', 'Data we access'],
    );
  });
});

describe('Data we access in a browser', { timeout: 120_000 }, () => {
  it('from the card before connecting: every permission, at both widths; its Connect starts Zoho’s consent', async () => {
    app = await startTestApp({ kind: 'pglite', sandbox: sb.sandbox, sandboxBase: sb.base });
    await signIn(app, otherAdmin.id);
    await checkWidths(
      async (page) => {
        await page.goto(`${app!.url}/integrations`);
        await page.locator('#zoho-permissions').click();
        await page.waitForURL((u) => u.pathname === '/integrations/zoho/permissions');
      },
      ['#permissions-read', '#permissions-write', '#permissions-connect'],
      ['Data we access', 'What PepoSmart reads', 'What PepoSmart writes', 'What PepoSmart never does'],
    );
    const listed = await b.page
      .locator('#permissions-read dt code, #permissions-write dt code')
      .allTextContents();
    expect([...listed].sort()).toEqual([...requestedScopes].sort());
    // Meetings' permissions apart, asked for only when Meetings are turned on.
    expect(await b.page.locator('#permissions-optional dt code').allTextContents()).toEqual(
      meetingScopes.map((s) => s.scope),
    );
    await b.page.locator('#permissions-connect').click();
    await b.page.waitForURL((u) => u.href.startsWith(`${sb.base}/us/accounts/oauth/v2/auth`));
  });
});
