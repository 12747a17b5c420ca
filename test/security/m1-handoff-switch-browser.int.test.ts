import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { signHandoff } from '../../src/users/handoff.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { useSandbox } from '../helpers/sandbox.ts';
import { handoffClaims, handoffPath, handoffSecret } from './auth-helpers.ts';

/**
 * M1 in Chromium: what the cookies' SameSite attributes do is the browser's business, so the
 * switch is checked in one. Another site (`localhost`, a different site from the app's
 * `127.0.0.1`) links the signed-in victim to the attacker's handoff link, then tries to post the
 * switch itself; the victim stays signed in as themselves until they press Switch.
 */
const sb = useSandbox();
const b = useBrowser();
const secret = handoffSecret();

/** The other site: whatever page the test gives it, at http://localhost:<port>/. */
let evil: { server: http.Server; url: string; html: string };
beforeAll(async () => {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(evil.html);
  });
  await new Promise<void>((r) => server.listen(0, 'localhost', r));
  evil = { server, url: `http://localhost:${(server.address() as AddressInfo).port}/`, html: '' };
});
afterAll(async () => {
  await new Promise((r) => evil.server.close(r));
});

describe('M1: login CSRF through /auth/handoff, in Chromium', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('another site can only bring the victim to a question; switching takes their own click', async () => {
    app = await startTestApp({
      kind: 'pglite',
      sandbox: sb.sandbox,
      sandboxBase: sb.base,
      handoffSecret: secret,
    });
    const victim = handoffClaims(systemClock);
    const attacker = handoffClaims(systemClock, { workspace: { id: 'ws_evil', name: 'Evil Corp' } });
    const attackerLink = `${app.url}${handoffPath(signHandoff(secret, attacker))}`;
    const page = b.page;
    const signedInAs = () => page.locator('#signed-in-as').textContent();

    await page.goto(`${app.url}${handoffPath(signHandoff(secret, victim))}`);
    expect(await signedInAs()).toContain(victim.user.name);

    // A link on the other site: a top-level cross-site navigation, the session cookie (Lax) sent.
    evil.html = `<a id="go" href="${attackerLink}">Win a prize</a>`;
    await page.goto(evil.url);
    await page.click('#go');
    await page.waitForSelector('#handoff-switch');
    const question = await page.locator('#handoff-switch').textContent();
    expect(question).toContain(victim.user.email);
    expect(question).toContain(attacker.user.email);
    await page.goto(`${app.url}/integrations`);
    expect(await signedInAs()).toContain(victim.user.name);

    // The other site posts the switch itself (it cannot know the CSRF token; the browser sends
    // neither the Lax session cookie nor the Strict pending one on its POST).
    const jti = attacker.jti;
    evil.html = `<form method="post" action="${app.url}/auth/handoff/switch"><input type="hidden" name="jti" value="${jti}"><input type="hidden" name="_csrf" value="guess"><button id="post">Go</button></form>`;
    await page.goto(evil.url);
    await page.click('#post');
    await page.waitForURL((u) => u.pathname === '/auth/handoff/switch');
    await page.goto(`${app.url}/integrations`);
    expect(await signedInAs()).toContain(victim.user.name);

    // Only the victim's own click on the page switches.
    evil.html = `<a id="go" href="${attackerLink}">Win a prize</a>`;
    await page.goto(evil.url);
    await page.click('#go');
    await page.click('#handoff-switch-confirm');
    await page.waitForURL((u) => u.pathname === '/integrations');
    expect(await signedInAs()).toContain(attacker.user.name);
  });
});
