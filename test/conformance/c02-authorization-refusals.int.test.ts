import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  authParams,
  CookieBrowser,
  registerWebClient,
  type Step,
} from '../helpers/oauth-flow.ts';
import { useSandbox } from '../helpers/sandbox.ts';

describe('conformance 02: unknown client or unregistered redirect_uri on the authorization page', () => {
  const s = useSandbox();

  /** A browser whose user is signed in, so only the request itself can be refused. */
  async function signedIn() {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const browser = new CookieBrowser();
    const signIn = await browser.post(`${s.base}/us/accounts/oauth/v2/auth/signin`, {
      ...authParams(app),
      email: org.users[0]!.email,
    });
    expect(signIn.status).toBe(303);
    const consent = await browser.get(signIn.location!.toString());
    expect(consent.html).toContain('value="accept"');
    return { app, browser };
  }

  /** Zoho's own error page: no redirect anywhere, no code, no consent form. */
  function expectRefusedPage(res: Step, title: string) {
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
    expect(res.contentType).toMatch(/^text\/html/);
    expect(res.html).toContain(title);
    expect(res.html).not.toContain('value="accept"');
    expect(res.html).not.toContain('code=');
  }

  it('refuses an unknown client_id with an error page, both to the page and to a posted decision', async () => {
    const { app, browser } = await signedIn();
    const params = { ...authParams(app), client_id: '1000.UNKNOWNCLIENTID0000000000000' };

    expectRefusedPage(await browser.get(authorizeUrl(s.base, params)), 'Invalid Client');
    expectRefusedPage(await new CookieBrowser().get(authorizeUrl(s.base, params)), 'Invalid Client');
    expectRefusedPage(
      await browser.post(`${s.base}/us/accounts/oauth/v2/auth/decision`, { ...params, decision: 'accept' }),
      'Invalid Client',
    );
    const { client_id: _, ...withoutClient } = params;
    expectRefusedPage(await browser.get(authorizeUrl(s.base, withoutClient)), 'Invalid Client');
  });

  it('refuses a redirect_uri not registered for the client, never redirecting to it', async () => {
    const { app, browser } = await signedIn();
    const other = await registerWebClient(s.client, 'https://other.example.com/oauth/callback');
    const registered = new URL(app.redirect_uri);
    const unregistered = [
      'https://evil.example.com/oauth/callback',
      `${registered.origin}/elsewhere`,
      `${app.redirect_uri}/extra`,
      `${app.redirect_uri}?next=https://evil.example.com`,
      app.redirect_uri.replace('https:', 'http:'),
      other.redirect_uri, // registered, but for another client
    ];
    for (const redirect_uri of unregistered) {
      const params = { ...authParams(app), redirect_uri };
      expectRefusedPage(await browser.get(authorizeUrl(s.base, params)), 'Invalid Redirect Uri');
      for (const decision of ['accept', 'deny'])
        expectRefusedPage(
          await browser.post(`${s.base}/us/accounts/oauth/v2/auth/decision`, { ...params, decision }),
          'Invalid Redirect Uri',
        );
    }
    const { redirect_uri: _, ...withoutRedirect } = authParams(app);
    expectRefusedPage(await browser.get(authorizeUrl(s.base, withoutRedirect)), 'Invalid Redirect Uri');
  });

  it('still serves the same client and redirect_uri when both are right', async () => {
    const { app, browser } = await signedIn();
    const ok = await browser.get(authorizeUrl(s.base, authParams(app)));
    expect(ok.status).toBe(200);
    expect(ok.html).toContain('value="accept"');
  });
});
