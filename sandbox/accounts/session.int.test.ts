import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  authParams,
  CookieBrowser,
  exchange,
  hiddenFields,
  registerWebClient,
} from '../../test/helpers/oauth-flow.ts';
import { uniqueEmail, useSandbox } from '../../test/helpers/sandbox.ts';

/**
 * Issue 14: the sandbox's sign-in stuck to the first Zoho user of a browser — Connect went
 * straight to consent as that user, with no "Not you?" and no sign-out, so a second person
 * in the same browser was connected to the first one's Zoho account without noticing.
 */
describe('sandbox accounts: who is signed in, "Not you?" and sign-out', () => {
  const s = useSandbox();
  const auth = () => `${s.base}/us/accounts/oauth/v2/auth`;

  async function setup() {
    const first = uniqueEmail('first');
    const second = uniqueEmail('second');
    const org = await s.client.createOrg({
      name: 'Shared Browser Ltd',
      users: [
        { email: first, first_name: 'Fiona', last_name: 'First', profile: 'Administrator' },
        { email: second, first_name: 'Sam', last_name: 'Second', profile: 'Standard' },
      ],
    });
    const app = await registerWebClient(s.client);
    // Every parameter a request may carry, PKCE included: each must survive every step.
    const params = {
      ...authParams(app, { state: 'st-shared é&?' }),
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWZ2m0w-cm0gc',
      code_challenge_method: 'plain',
    };
    return { org, app, first, second, params };
  }

  async function signedIn(email: string, params: Record<string, string>) {
    const browser = new CookieBrowser();
    const signIn = await browser.post(`${auth()}/signin`, { ...params, email });
    expect(signIn.status).toBe(303);
    const consent = await browser.get(signIn.location!.toString());
    expect(consent.html).toContain(`<strong id="signed-in-as">${email}</strong>`);
    return { browser, consent };
  }

  /** A post as a browser would send it, with the session cookie and the headers given. */
  function postAs(browser: CookieBrowser, url: string, fields: Record<string, string>, headers = {}) {
    return fetch(url, {
      method: 'POST',
      body: new URLSearchParams(fields),
      redirect: 'manual',
      headers: { cookie: `zsb_session=${browser.cookie('zsb_session')}`, ...headers },
    });
  }

  it('names the signed-in user on the consent page, with "Not you?" to the sign-in step of the same request', async () => {
    const { first, params } = await setup();
    const { consent } = await signedIn(first, params);

    expect(consent.html).toContain('<span id="signed-in-name">Fiona First</span>');
    const notYou = /<a id="not-you" href="([^"]*)">([^<]*)<\/a>/.exec(consent.html);
    expect(notYou?.[2]).toMatch(/^Not you\?/);
    const target = new URL(notYou![1]!.replaceAll('&amp;', '&'), s.base);
    expect(target.pathname).toBe('/us/accounts/oauth/v2/auth/signin');
    expect(Object.fromEntries(target.searchParams)).toEqual(params);
  });

  it('"Not you?" shows the sign-in step with the request unchanged, and says who is signed in until then', async () => {
    const { first, params } = await setup();
    const { browser } = await signedIn(first, params);

    const page = await browser.get(`${auth()}/signin?${new URLSearchParams(params)}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('name="email"');
    expect(page.html).not.toContain('value="accept"');
    expect(hiddenFields(page.html)).toEqual(params);
    expect(page.html).toMatch(/id="current-session">This browser is signed in as Fiona First/);
    // The session is untouched until someone signs in: the request still shows its consent page.
    expect((await browser.get(authorizeUrl(s.base, params))).html).toContain(first);
  });

  it('"Not you?" refuses a request Zoho would refuse, with no redirect', async () => {
    const { params } = await setup();
    const page = await new CookieBrowser().get(
      `${auth()}/signin?${new URLSearchParams({ ...params, client_id: 'unknown' })}`,
    );
    expect(page.status).toBe(400);
    expect(page.location).toBeNull();
    expect(page.html).toContain('Invalid Client');
  });

  it('signing in as another user replaces the session: the code is theirs, for the same state, and single-use', async () => {
    const { org, app, first, second } = await setup();
    const params = authParams(app, { state: 'st-second' });
    const { browser } = await signedIn(first, params);

    const signIn = await browser.post(`${auth()}/signin`, { ...params, email: second });
    expect(signIn.status).toBe(303);
    expect(Object.fromEntries(signIn.location!.searchParams)).toEqual(params);
    const consent = await browser.get(signIn.location!.toString());
    expect(consent.html).toContain(`<strong id="signed-in-as">${second}</strong>`);
    expect(consent.html).not.toContain(first);

    const done = await browser.post(`${auth()}/decision`, {
      ...hiddenFields(consent.html),
      decision: 'accept',
    });
    expect(done.status).toBe(302);
    expect(done.location!.searchParams.get('state')).toBe('st-second');
    const code = done.location!.searchParams.get('code')!;
    const token = await exchange(s.client, org.accounts_url, app, code);
    const me = await s.client.api(token.body, 'GET', '/users?type=CurrentUser');
    expect(me.body.users[0].email).toBe(second);
    expect((await exchange(s.client, org.accounts_url, app, code)).body).toEqual({ error: 'invalid_code' });
  });

  it('Sign out ends the session and goes back to the sign-in step of the same request', async () => {
    const { first, params } = await setup();
    const { browser, consent } = await signedIn(first, params);
    const action = /<form method="post" action="([^"]*)">\s*<button type="submit" id="sign-out">/.exec(
      consent.html,
    );
    const signOut = new URL(action![1]!.replaceAll('&amp;', '&'), s.base);
    expect(signOut.pathname).toBe('/us/accounts/signout');
    expect(Object.fromEntries(signOut.searchParams)).toEqual(params);

    const out = await browser.post(signOut.toString(), {});
    expect(out.status).toBe(303);
    expect(`${out.location!.origin}${out.location!.pathname}`).toBe(auth());
    expect(Object.fromEntries(out.location!.searchParams)).toEqual(params);
    expect(browser.cookie('zsb_session')).toBe('');

    const next = await browser.get(out.location!.toString());
    expect(next.html).toContain('name="email"');
    expect(next.html).not.toContain('value="accept"');
    expect(next.html).not.toContain('id="current-session"');
    // A decision posted now finds no session: the sign-in page again, never a code.
    const decision = await browser.post(`${auth()}/decision`, { ...params, decision: 'accept' });
    expect(decision.status).toBe(200);
    expect(decision.location).toBeNull();
    expect(decision.html).toContain('name="email"');
  });

  it('the sign-out page names who is signed in; after signing out it says no one is', async () => {
    const { first, params } = await setup();
    const { browser } = await signedIn(first, params);
    const before = await browser.get(`${s.base}/eu/accounts/signout`);
    expect(before.status).toBe(200);
    expect(before.html).toContain('This browser is signed in as Fiona First');
    expect(before.html).toContain('id="sign-out"');

    // Without an authorization request (or with one this server would refuse): the plain page.
    const out = await browser.post(`${s.base}/eu/accounts/signout`, { ...params, client_id: 'unknown' });
    expect(out.status).toBe(303);
    expect(out.location!.toString()).toBe(`${s.base}/eu/accounts/signout`);
    const after = await browser.get(out.location!.toString());
    expect(after.html).toContain('id="signed-out"');
    expect(after.html).not.toContain(first);
  });

  it('refuses a sign-out or sign-in posted from another site or port; the session stays as it was', async () => {
    const { first, second, params } = await setup();
    const { browser } = await signedIn(first, params);
    const foreign = [
      { 'sec-fetch-site': 'cross-site' },
      // Another port on the same host: the same site for SameSite cookies, another origin.
      { 'sec-fetch-site': 'same-site' },
      { origin: 'http://evil.example' },
      { origin: 'null' },
    ];
    for (const headers of foreign) {
      const out = await postAs(browser, `${s.base}/us/accounts/signout`, params, headers);
      expect(out.status, JSON.stringify(headers)).toBe(403);
      expect(out.headers.getSetCookie()).toEqual([]);
      expect(await out.text()).toContain('Request refused');

      const signIn = await postAs(browser, `${auth()}/signin`, { ...params, email: second }, headers);
      expect(signIn.status, JSON.stringify(headers)).toBe(403);
      expect(signIn.headers.getSetCookie()).toEqual([]);
    }
    expect((await browser.get(authorizeUrl(s.base, params))).html).toContain(
      `<strong id="signed-in-as">${first}</strong>`,
    );

    // The sandbox's own pages post same-origin.
    const own = await postAs(browser, `${s.base}/us/accounts/signout`, params, {
      'sec-fetch-site': 'same-origin',
      origin: s.base,
    });
    expect(own.status).toBe(303);
  });
});
