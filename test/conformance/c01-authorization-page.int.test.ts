import { describe, expect, it } from 'vitest';
import {
  authorize,
  authorizeUrl,
  authParams,
  CookieBrowser,
  consentScopes,
  exchange,
  hiddenFields,
  registerWebClient,
} from '../helpers/oauth-flow.ts';
import { uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

const SCOPES = ['ZohoCRM.modules.contacts.ALL', 'ZohoCRM.modules.leads.READ', 'ZohoCRM.users.READ'];

describe('conformance 01: authorization page', () => {
  const s = useSandbox();

  /** An EU user: the US authorize page must still serve them (multi-DC) and send them home. */
  async function euSetup() {
    const email = uniqueEmail('eu.user');
    const org = await s.client.createOrg({
      data_center: 'eu',
      users: [{ email, first_name: 'Eva', last_name: 'Europa', profile: 'Administrator' }],
    });
    const app = await registerWebClient(s.client);
    return { org, app, email };
  }

  it('asks a visitor to sign in, then shows the signed-in user the requested scopes', async () => {
    const { app, email } = await euSetup();
    const params = authParams(app, { scope: SCOPES.join(','), state: 'st-consent' });
    const browser = new CookieBrowser();

    const signInPage = await browser.get(authorizeUrl(s.base, params));
    expect(signInPage.status).toBe(200);
    expect(signInPage.location).toBeNull();
    expect(signInPage.contentType).toMatch(/^text\/html/);
    expect(signInPage.html).toContain('name="email"');
    expect(signInPage.html).not.toContain('value="accept"');
    expect(hiddenFields(signInPage.html)).toEqual(params);

    const signIn = await browser.post(`${s.base}/us/accounts/oauth/v2/auth/signin`, {
      ...hiddenFields(signInPage.html),
      email,
    });
    expect(signIn.status).toBe(303);
    expect(browser.hasCookie('zsb_session')).toBe(true);
    // Back to the authorize page of the same server, with the same request.
    expect(signIn.location?.origin + signIn.location!.pathname).toBe(`${s.base}/us/accounts/oauth/v2/auth`);
    expect(Object.fromEntries(signIn.location!.searchParams)).toEqual(params);

    const consent = await browser.get(signIn.location!.toString());
    expect(consent.status).toBe(200);
    expect(consent.location).toBeNull();
    expect(consent.html).toContain(`<strong id="signed-in-as">${email}</strong>`);
    expect(consentScopes(consent.html)).toEqual(SCOPES);
    expect(consent.html).toContain('value="accept"');
    expect(consent.html).toContain('value="deny"');
    expect(hiddenFields(consent.html)).toEqual(params);
  });

  it('Accept redirects to the redirect_uri with code, state, location and accounts-server', async () => {
    const { org, app, email } = await euSetup();
    // A state with characters that must be encoded and come back byte for byte.
    const state = 'a b&c=d/é?+%';
    const back = await authorize(s.base, authParams(app, { scope: SCOPES.join(','), state }), email);

    expect(`${back.origin}${back.pathname}`).toBe(app.redirect_uri);
    expect([...back.searchParams.keys()].sort()).toEqual(['accounts-server', 'code', 'location', 'state']);
    expect(back.searchParams.get('state')).toBe(state);
    expect(back.searchParams.get('code')).toMatch(/\S{16,}/);
    expect(back.searchParams.get('location')).toBe('eu');
    expect(back.searchParams.get('accounts-server')).toBe(`${s.base}/eu/accounts`);
    expect(back.searchParams.get('accounts-server')).toBe(org.accounts_url);

    // The code is a real one, for the signed-in user, at the accounts server named.
    const token = await exchange(s.client, org.accounts_url, app, back.searchParams.get('code')!);
    expect(token.body.access_token).toEqual(expect.any(String));
    const me = await s.client.api(token.body, 'GET', '/users?type=CurrentUser');
    expect(me.status).toBe(200);
    expect(me.body.users[0]).toMatchObject({ id: org.users[0]!.id, email });
  });

  it('Deny redirects to the redirect_uri with error=access_denied and the state, and no code', async () => {
    const { app, email } = await euSetup();
    const back = await authorize(s.base, authParams(app, { state: 'st-deny' }), email, 'deny');

    expect(`${back.origin}${back.pathname}`).toBe(app.redirect_uri);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('st-deny');
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('answers a decision posted without a signed-in session with the sign-in page, not a redirect', async () => {
    const { app } = await euSetup();
    const params = authParams(app);
    const res = await new CookieBrowser().post(`${s.base}/us/accounts/oauth/v2/auth/decision`, {
      ...params,
      decision: 'accept',
    });
    expect(res.status).toBe(200);
    expect(res.location).toBeNull();
    expect(res.html).toContain('name="email"');
    expect(res.html).not.toContain('code=');
  });
});
