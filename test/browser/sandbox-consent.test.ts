import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

const SCOPES = ['ZohoCRM.modules.ALL', 'ZohoCRM.users.READ'];

/** A stand-in for the application's redirect URI: records each query string it receives. */
function startRedirectServer() {
  const received: URLSearchParams[] = [];
  let waiting: Array<(q: URLSearchParams) => void> = [];
  const server: Server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    received.push(query);
    const resolvers = waiting;
    waiting = [];
    for (const resolve of resolvers) resolve(query);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Callback</title><p>Received.</p>');
  });
  return {
    received,
    /** Resolves with the query of the next request the redirect URI receives. */
    next: () => new Promise<URLSearchParams>((resolve) => waiting.push(resolve)),
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => {
          const { port } = server.address() as AddressInfo;
          resolve(`http://127.0.0.1:${port}/oauth/callback`);
        }),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('sandbox authorization page in a browser (multi-DC consent)', () => {
  const s = useSandbox();
  const b = useBrowser();
  const callback = startRedirectServer();
  let redirectUri: string;
  let client: { client_id: string; client_secret: string };
  let org: CreatedOrg;
  let email: string;

  beforeAll(async () => {
    redirectUri = await callback.listen();
    const res = await s.client.json('POST', '/__sandbox/clients', {
      name: 'PepoSmart Browser Test',
      redirect_uris: [redirectUri],
    });
    expect(res.status).toBe(201);
    client = res.body;
    email = uniqueEmail('eu.user');
    org = await s.client.createOrg({
      name: 'Euro GmbH',
      data_center: 'eu',
      users: [{ email, first_name: 'Eva', last_name: 'Europa', profile: 'Administrator' }],
    });
  });

  afterAll(async () => {
    await callback.close();
  });

  /** The US server's authorize URL: Zoho's multi-DC entry point, whatever the user's DC. */
  function authorizeUrl(state: string): string {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      scope: SCOPES.join(','),
      redirect_uri: redirectUri,
      state,
      access_type: 'offline',
      prompt: 'consent',
    });
    return `${s.base}/us/accounts/oauth/v2/auth?${q}`;
  }

  async function signInAndReachConsent(state: string) {
    const { page } = b;
    await page.goto(authorizeUrl(state));
    await page.locator('input[name="email"]').fill(email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Accept' }).count()).toBe(1);
    await expect(page.locator('#signed-in-as').textContent()).resolves.toBe(email);
    const scopeItems = await page.locator('#scopes li').allTextContents();
    for (const scope of SCOPES) expect(scopeItems.some((text) => text.includes(scope))).toBe(true);
    expect(scopeItems).toHaveLength(SCOPES.length);
  }

  it('Accept: redirects with code, state and the EU accounts server; the code works there', async () => {
    const state = randomBytes(12).toString('hex');
    await signInAndReachConsent(state);

    const redirected = callback.next();
    await b.page.getByRole('button', { name: 'Accept' }).click();
    const query = await redirected;

    expect(query.get('code')).toBeTruthy();
    expect(query.get('state')).toBe(state);
    expect(query.get('location')).toBe('eu');
    expect(query.get('accounts-server')).toBe(org.accounts_url);
    expect(query.has('error')).toBe(false);

    const token = await s.client.form(`${query.get('accounts-server')}/oauth/v2/token`, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uri: redirectUri,
      code: query.get('code')!,
    });
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ api_domain: org.api_domain, expires_in: 3600 });
    expect(token.body.access_token).toEqual(expect.any(String));
    expect(token.body.refresh_token).toEqual(expect.any(String));

    // <api_domain>/crm/v8/users?type=CurrentUser with `Authorization: Zoho-oauthtoken <token>`.
    const me = await s.client.api(token.body, 'GET', '/users?type=CurrentUser');
    expect(me.status).toBe(200);
    expect(me.body.users).toHaveLength(1);
    expect(me.body.users[0]).toMatchObject({ id: org.users[0]!.id, email });
  });

  it('Deny: redirects with error=access_denied and the state, and no code', async () => {
    const state = randomBytes(12).toString('hex');
    await signInAndReachConsent(state);

    const redirected = callback.next();
    await b.page.getByRole('button', { name: 'Deny' }).click();
    const query = await redirected;

    expect(query.get('error')).toBe('access_denied');
    expect(query.get('state')).toBe(state);
    expect(query.has('code')).toBe(false);
  });
});
