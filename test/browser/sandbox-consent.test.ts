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
  let usOrg: CreatedOrg;
  let secondEmail: string;

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
    secondEmail = uniqueEmail('us.user');
    usOrg = await s.client.createOrg({
      name: 'Acme Inc',
      data_center: 'us',
      users: [{ email: secondEmail, first_name: 'Uma', last_name: 'Usher', profile: 'Administrator' }],
    });
  });

  afterAll(async () => {
    await callback.close();
  });

  const requestParams = (state: string) => ({
    response_type: 'code',
    client_id: client.client_id,
    scope: SCOPES.join(','),
    redirect_uri: redirectUri,
    state,
    access_type: 'offline',
    prompt: 'consent',
  });

  /** The US server's authorize URL: Zoho's multi-DC entry point, whatever the user's DC. */
  function authorizeUrl(state: string): string {
    return `${s.base}/us/accounts/oauth/v2/auth?${new URLSearchParams(requestParams(state))}`;
  }

  /** The code exchanged where the redirect says, and whose Zoho account it opens. */
  async function currentUserOf(query: URLSearchParams) {
    const token = await s.client.form(`${query.get('accounts-server')}/oauth/v2/token`, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      client_secret: client.client_secret,
      redirect_uri: redirectUri,
      code: query.get('code')!,
    });
    const me = await s.client.api(token.body, 'GET', '/users?type=CurrentUser');
    return me.body.users[0].email as string;
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

  it('Not you? (issue 14): a second person at the same browser sees whose account it is and connects their own', async () => {
    const { page } = b;
    // The first person authorized earlier: the browser keeps their sandbox session.
    await signInAndReachConsent(randomBytes(12).toString('hex'));

    const state = randomBytes(12).toString('hex');
    await page.goto(authorizeUrl(state));
    // Straight to consent, as the first person — and the page says so.
    await expect(page.locator('#signed-in-as').textContent()).resolves.toBe(email);
    await expect(page.locator('#signed-in-name').textContent()).resolves.toBe('Eva Europa');

    await page.getByRole('link', { name: /^Not you\?/ }).click();
    await page.locator('#current-session').waitFor();
    const signInStep = new URL(page.url());
    expect(signInStep.pathname).toBe('/us/accounts/oauth/v2/auth/signin');
    expect(Object.fromEntries(signInStep.searchParams)).toEqual(requestParams(state));
    await page.getByLabel('Email address').fill(secondEmail);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#signed-in-as').textContent()).toBe(secondEmail);

    const redirected = callback.next();
    await page.getByRole('button', { name: 'Accept' }).click();
    const query = await redirected;
    expect(query.get('state')).toBe(state);
    expect(query.get('location')).toBe('us');
    expect(query.get('accounts-server')).toBe(usOrg.accounts_url);
    await expect(currentUserOf(query)).resolves.toBe(secondEmail);
  });

  it('Sign out (issue 14): ends the browser session, asks who is there for the same request; the sandbox home agrees', async () => {
    const { page } = b;
    const state = randomBytes(12).toString('hex');
    await signInAndReachConsent(state);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email address').waitFor();
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual(requestParams(state));
    expect(await page.getByRole('button', { name: 'Accept' }).count()).toBe(0);
    expect((await b.context.cookies()).map((c) => c.name)).not.toContain('zsb_session');

    await page.goto(`${s.base}/__sandbox/`);
    await expect(page.locator('#current-session').textContent()).resolves.toContain(
      'No sandbox user is signed in',
    );

    // Signed in again, then out from the sandbox home: the next request asks who is there.
    await signInAndReachConsent(state);
    await page.goto(`${s.base}/__sandbox/`);
    await expect(page.locator('#current-session').textContent()).resolves.toContain(email);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#signed-out').waitFor();
    await page.goto(authorizeUrl(randomBytes(12).toString('hex')));
    await page.getByLabel('Email address').waitFor();
    expect(await page.locator('#signed-in-as').count()).toBe(0);
  });
});
