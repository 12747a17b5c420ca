import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  authParams,
  CookieBrowser,
  exchange,
  hiddenFields,
  registerWebClient,
  type WebClient,
} from '../helpers/oauth-flow.ts';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

/**
 * China (accounts.zoho.com.cn) is not in Accounts' multi-DC list (ZOHO-API.md §8; Zoho's
 * multi-DC page lists every DC but China; CRM "Multi DC": "For the CN domain, make the
 * authorization request from https://accounts.zoho.com.cn"). A multi-DC client registered on
 * .com signs in no Chinese-DC user: the .com server does not know the account, the .com.cn
 * server does not know the client. Such users need a client registered in China. Neither
 * server redirects to the app (the pages' wording is a sandbox guess).
 */
describe('conformance 36: China is outside the multi-DC sign-in', () => {
  const s = useSandbox();

  async function chineseOrg(): Promise<CreatedOrg> {
    const email = uniqueEmail('cn.user');
    return s.client.createOrg({ data_center: 'cn', users: [{ email, profile: 'Administrator' }] });
  }

  async function chineseClient(): Promise<WebClient> {
    const redirectUri = `https://app.example.cn/oauth/${Math.random().toString(36).slice(2)}/callback`;
    const res = await s.client.json('POST', '/__sandbox/clients', {
      name: 'China App',
      redirect_uris: [redirectUri],
      home_dc: 'cn',
      multi_dc: false,
    });
    expect(res.status).toBe(201);
    return {
      client_id: res.body.client_id,
      client_secret: res.body.client_secret,
      redirect_uri: redirectUri,
    };
  }

  const signInAt = (dc: string, browser: CookieBrowser, params: Record<string, string>, email: string) =>
    browser.post(`${s.base}/${dc}/accounts/oauth/v2/auth/signin`, { ...params, email });

  it('the .com authorize page cannot sign a Chinese-DC user in: an error on the sign-in page, no redirect', async () => {
    const org = await chineseOrg();
    const app = await registerWebClient(s.client); // .com, multi-DC
    const browser = new CookieBrowser();
    const page = await browser.get(authorizeUrl(s.base, authParams(app)));
    expect(page.html).toContain('name="email"');
    expect(page.html).not.toContain(org.users[0]!.email); // not offered among the accounts

    const res = await signInAt('us', browser, authParams(app), org.users[0]!.email);
    expect(res.status).toBe(401);
    expect(res.location).toBeNull();
    expect(res.html).toContain('accounts.zoho.com.cn');
    expect(res.html).not.toContain('value="accept"');
    expect(browser.hasCookie('zsb_session')).toBe(false);
  });

  it('a Chinese session is no session at the .com server: its decision gets the sign-in page, no code', async () => {
    const org = await chineseOrg();
    const cnApp = await chineseClient();
    const comApp = await registerWebClient(s.client);
    const browser = new CookieBrowser();
    const signedIn = await signInAt('cn', browser, authParams(cnApp), org.users[0]!.email);
    expect(signedIn.status).toBe(303);

    const page = await browser.get(authorizeUrl(s.base, authParams(comApp)));
    expect(page.html).toContain('name="email"');
    expect(page.html).not.toContain('value="accept"');
    const decision = await browser.post(`${s.base}/us/accounts/oauth/v2/auth/decision`, {
      ...authParams(comApp),
      decision: 'accept',
    });
    expect(decision.location).toBeNull();
    expect(decision.html).not.toContain('code=');
  });

  it('the .com.cn authorize page does not know a .com client, even for a signed-in Chinese user', async () => {
    const org = await chineseOrg();
    const comApp = await registerWebClient(s.client);
    const browser = new CookieBrowser();
    await signInAt('cn', browser, authParams(await chineseClient()), org.users[0]!.email);
    const page = await browser.get(authorizeUrl(s.base, authParams(comApp), 'cn'));
    expect(page.status).toBe(400);
    expect(page.location).toBeNull();
    expect(page.html).toContain('Invalid Client');
    const decision = await browser.post(`${s.base}/cn/accounts/oauth/v2/auth/decision`, {
      ...authParams(comApp),
      decision: 'accept',
    });
    expect(decision.status).toBe(400);
    expect(decision.location).toBeNull();
    expect(decision.html).toContain('Invalid Client');
  });

  it("a client registered in China signs the user in at .com.cn; the code and tokens are China's", async () => {
    const org = await chineseOrg();
    const app = await chineseClient();
    const browser = new CookieBrowser();
    const params = authParams(app, { state: 'st-cn' });
    const signIn = await signInAt('cn', browser, params, org.users[0]!.email);
    expect(signIn.status).toBe(303);
    const consent = await browser.get(signIn.location!.toString());
    expect(consent.html).toContain('value="accept"');
    const done = await browser.post(`${s.base}/cn/accounts/oauth/v2/auth/decision`, {
      ...hiddenFields(consent.html),
      decision: 'accept',
    });
    expect(done.status).toBe(302);
    const back = done.location!;
    expect(back.searchParams.get('location')).toBe('cn');
    expect(back.searchParams.get('accounts-server')).toBe(`${s.base}/cn/accounts`);

    const token = await exchange(s.client, org.accounts_url, app, back.searchParams.get('code')!);
    expect(token.body).toMatchObject({ access_token: expect.any(String), api_domain: `${s.base}/cn/api` });
    const me = await s.client.api(token.body, 'GET', '/users?type=CurrentUser');
    expect(me.status).toBe(200);
    expect(me.body.users[0].email).toBe(org.users[0]!.email);
  });

  it('the China client is unknown to the .com authorize page', async () => {
    const app = await chineseClient();
    const page = await new CookieBrowser().get(authorizeUrl(s.base, authParams(app)));
    expect(page.status).toBe(400);
    expect(page.html).toContain('Invalid Client');
  });

  it('token endpoints: a .com client is invalid_client at .com.cn, a China client at every other DC', async () => {
    const org = await chineseOrg();
    const cnApp = await chineseClient();
    const comApp = await registerWebClient(s.client);
    const browser = new CookieBrowser();
    await signInAt('cn', browser, authParams(cnApp), org.users[0]!.email);
    const consent = await browser.get(authorizeUrl(s.base, authParams(cnApp), 'cn'));
    const done = await browser.post(`${s.base}/cn/accounts/oauth/v2/auth/decision`, {
      ...hiddenFields(consent.html),
      decision: 'accept',
    });
    const code = done.location!.searchParams.get('code')!;

    // The Chinese code taken with the .com client's credentials to the Chinese server.
    const withCom = await exchange(
      s.client,
      org.accounts_url,
      { ...comApp, redirect_uri: cnApp.redirect_uri },
      code,
    );
    expect(withCom).toMatchObject({ status: 200, body: { error: 'invalid_client' } });
    for (const dc of ['us', 'eu']) {
      const elsewhere = await exchange(s.client, `${s.base}/${dc}/accounts`, cnApp, code);
      expect(elsewhere.body, dc).toEqual({ error: 'invalid_client' });
    }
    // None of the refusals used the code up.
    const ok = await exchange(s.client, org.accounts_url, cnApp, code);
    expect(ok.body.access_token).toEqual(expect.any(String));
    const refreshWithCom = await s.client.form(`${org.accounts_url}/oauth/v2/token`, {
      grant_type: 'refresh_token',
      client_id: comApp.client_id,
      client_secret: comApp.client_secret,
      refresh_token: ok.body.refresh_token,
    });
    expect(refreshWithCom.body).toEqual({ error: 'invalid_client' });
  });

  it('other data centres still sign in through the .com page with a multi-DC client', async () => {
    const app = await registerWebClient(s.client);
    for (const dc of ['eu', 'in', 'au', 'jp', 'ca', 'sa', 'uk'] as const) {
      const org = await s.client.createOrg({ data_center: dc, users: [{ email: uniqueEmail(dc) }] });
      const browser = new CookieBrowser();
      const signIn = await signInAt('us', browser, authParams(app), org.users[0]!.email);
      expect(signIn.status, dc).toBe(303);
      const consent = await browser.get(signIn.location!.toString());
      expect(consent.html, dc).toContain('value="accept"');
    }
  });
});
