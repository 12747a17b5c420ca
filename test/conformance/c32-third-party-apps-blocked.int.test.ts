import { describe, expect, it } from 'vitest';
import {
  authorize,
  authParams,
  CookieBrowser,
  hiddenFields,
  registerWebClient,
} from '../helpers/oauth-flow.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * An org whose administrator blocks third-party apps. The redirect's `error` value is a guess
 * (sandbox Guesses); its shape follows Zoho's documented `error=no_org` "Back to app" flow.
 */
describe('conformance 32: third-party apps blocked by the org', () => {
  const s = useSandbox();

  it('shows a notice instead of Accept and never issues a code, whatever is posted', async () => {
    const org = await s.client.createOrg({ third_party_apps_blocked: true });
    expect((await s.client.json('GET', `/__sandbox/orgs/${org.org_id}`)).body.third_party_apps_blocked).toBe(
      true,
    );
    const app = await registerWebClient(s.client);
    const params = authParams(app, { state: 'st-blocked' });
    const browser = new CookieBrowser();
    const signIn = await browser.post(`${s.client.base}/us/accounts/oauth/v2/auth/signin`, {
      ...params,
      email: org.users[0]!.email,
    });
    const consent = await browser.get(signIn.location!.toString());
    expect(consent.html).toContain('id="blocked"');
    expect(consent.html).toContain('id="back"');
    expect(consent.html).toContain('Back to app');
    expect(consent.html).not.toContain('value="accept"');

    const back = await browser.post(`${s.client.base}/us/accounts/oauth/v2/auth/decision`, {
      ...hiddenFields(consent.html),
      decision: 'back',
    });
    expect(back.status).toBe(302);
    expect(Object.fromEntries(back.location!.searchParams)).toEqual({
      error: 'unauthorized_client',
      state: 'st-blocked',
    });

    const done = await browser.post(`${s.client.base}/us/accounts/oauth/v2/auth/decision`, {
      ...hiddenFields(consent.html),
      decision: 'accept',
    });
    expect(done.status).toBe(302);
    expect(Object.fromEntries(done.location!.searchParams)).toEqual({
      error: 'unauthorized_client',
      state: 'st-blocked',
    });
  });

  it('issues codes again once the administrator unblocks third-party apps', async () => {
    const org = await s.client.createOrg({ third_party_apps_blocked: true });
    const app = await registerWebClient(s.client);
    const patched = await s.client.json('PATCH', `/__sandbox/orgs/${org.org_id}`, {
      third_party_apps_blocked: false,
    });
    expect(patched.status).toBe(200);
    expect(patched.body.third_party_apps_blocked).toBe(false);
    const browser = new CookieBrowser();
    const signIn = await browser.post(`${s.client.base}/us/accounts/oauth/v2/auth/signin`, {
      ...authParams(app),
      email: org.users[0]!.email,
    });
    const consent = await browser.get(signIn.location!.toString());
    expect(consent.html).toContain('value="accept"');
    expect(consent.html).not.toContain('id="blocked"');
    const back = await authorize(s.client.base, authParams(app), org.users[0]!.email);
    expect(back.searchParams.get('code')).toEqual(expect.any(String));
  });
});
