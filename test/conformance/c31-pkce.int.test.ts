import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authorize,
  authorizeUrl,
  authParams,
  CookieBrowser,
  registerWebClient,
  type WebClient,
} from '../helpers/oauth-flow.ts';
import { type CreatedOrg, useSandbox } from '../helpers/sandbox.ts';

/**
 * PKCE (RFC 7636) on the authorization-code flow. Zoho documents it for its clients; the
 * sandbox honours it whenever the authorization request carries a challenge (sandbox Guesses:
 * a wrong verifier is `invalid_code` and leaves the code usable).
 */
describe('conformance 31: PKCE', () => {
  const s = useSandbox();
  const verifier = crypto.randomBytes(32).toString('base64url');
  const s256 = crypto.createHash('sha256').update(verifier).digest('base64url');

  async function codeWith(org: CreatedOrg, app: WebClient, challenge: Record<string, string>) {
    const back = await authorize(s.client.base, { ...authParams(app), ...challenge }, org.users[0]!.email);
    return { code: back.searchParams.get('code')!, server: back.searchParams.get('accounts-server')! };
  }

  function exchangeWith(app: WebClient, server: string, code: string, codeVerifier?: string) {
    return s.client.form(`${server}/oauth/v2/token`, {
      grant_type: 'authorization_code',
      client_id: app.client_id,
      client_secret: app.client_secret,
      redirect_uri: app.redirect_uri,
      code,
      ...(codeVerifier === undefined ? {} : { code_verifier: codeVerifier }),
    });
  }

  it('S256: the right verifier gets tokens; a missing one is invalid_code', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const a = await codeWith(org, app, { code_challenge: s256, code_challenge_method: 'S256' });
    expect((await exchangeWith(app, a.server, a.code)).body).toEqual({ error: 'invalid_code' });
    const ok = await exchangeWith(app, a.server, a.code, verifier);
    expect(ok.body.access_token).toEqual(expect.any(String));
  });

  it('a wrong verifier is invalid_code and the code stays usable with the right one', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const a = await codeWith(org, app, { code_challenge: s256, code_challenge_method: 'S256' });
    expect((await exchangeWith(app, a.server, a.code, `${verifier}x`)).body).toEqual({
      error: 'invalid_code',
    });
    expect((await exchangeWith(app, a.server, a.code, verifier)).body.refresh_token).toEqual(
      expect.any(String),
    );
  });

  it('plain (also the default method) compares the verifier itself', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const a = await codeWith(org, app, { code_challenge: verifier });
    expect((await exchangeWith(app, a.server, a.code, s256)).body).toEqual({ error: 'invalid_code' });
    expect((await exchangeWith(app, a.server, a.code, verifier)).body.access_token).toEqual(
      expect.any(String),
    );
  });

  it('refuses an unknown challenge method on the authorization page, without redirecting', async () => {
    const app = await registerWebClient(s.client);
    const page = await new CookieBrowser().get(
      authorizeUrl(s.client.base, {
        ...authParams(app),
        code_challenge: s256,
        code_challenge_method: 'S512',
      }),
    );
    expect(page.status).toBe(400);
    expect(page.location).toBeNull();
    expect(page.html).toContain('Invalid Code Challenge Method');
  });

  it('ignores a verifier when the request carried no challenge', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const a = await codeWith(org, app, {});
    expect((await exchangeWith(app, a.server, a.code, 'stray')).body.access_token).toEqual(
      expect.any(String),
    );
  });
});
