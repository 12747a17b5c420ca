import { describe, expect, it } from 'vitest';
import { useSandbox } from '../../test/helpers/sandbox.ts';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/**
 * Issue 14: unknown sandbox URLs answered Fastify's raw JSON 404 to a browser. A browser asking
 * for a page now gets one in the sandbox's layout; Zoho's APIs keep answering JSON, exactly as
 * before, whatever the Accept header says.
 */
describe('sandbox 404 and error pages', () => {
  const s = useSandbox();

  const get = (path: string, accept = BROWSER_ACCEPT, headers: Record<string, string> = {}) =>
    fetch(`${s.base}${path}`, { headers: { accept, ...headers }, redirect: 'manual' });

  async function expectPage(res: Response, status: number, heading: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<main[ >]/g)).toHaveLength(1);
    expect(html).toContain('<header><a href="/__sandbox/">Zoho sandbox</a>');
    expect(html).toMatch(new RegExp(`<h1 id="problem"[^>]*>${heading}</h1>`));
    expect(html).toContain('<a href="/__sandbox/">Go to the sandbox home</a>');
    return html;
  }

  it('answers a browser an unknown page with a 404 page in the sandbox layout, naming the path', async () => {
    const html = await expectPage(await get('/no/such/page?x=<b>'), 404, 'Page not found');
    expect(html).toContain('There is no page at <code>/no/such/page</code>');
    await expectPage(await get('/us/accounts/no-such-page'), 404, 'Page not found');
  });

  it('answers a browser an unknown org or record of the web view with a 404 page', async () => {
    const org = await s.client.createOrg({ name: 'Known Org' });
    const noOrg = await expectPage(await get('/__sandbox/orgs/123/view'), 404, 'Page not found');
    expect(noOrg).toContain('No org with id 123.');
    await expectPage(await get('/__sandbox/orgs/123/view/Contacts/1'), 404, 'Page not found');
    const noRecord = await expectPage(
      await get(`/__sandbox/orgs/${org.org_id}/view/Contacts/42`),
      404,
      'Record not found',
    );
    expect(noRecord).toContain(`<a href="/__sandbox/orgs/${org.org_id}/view">`);
  });

  it('answers a page request that fails with an error page, and the token endpoint with its JSON', async () => {
    // A multipart body cut short: the body parser fails before any route runs.
    const cut = {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nx',
    };
    const page = await fetch(`${s.base}/us/accounts/oauth/v2/auth/signin`, {
      ...cut,
      headers: { ...cut.headers, accept: BROWSER_ACCEPT },
    });
    await expectPage(page, 500, 'Something went wrong in the sandbox');
    const token = await fetch(`${s.base}/us/accounts/oauth/v2/token`, {
      ...cut,
      headers: { ...cut.headers, accept: BROWSER_ACCEPT },
    });
    expect(token.status).toBe(500);
    expect(await token.json()).toEqual({ error: { message: 'internal error' } });
  });

  it('keeps Fastify’s JSON 404 for clients that do not ask for HTML', async () => {
    for (const accept of ['*/*', 'application/json']) {
      const res = await get('/no/such/page?x=1', accept);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        message: 'Route GET:/no/such/page?x=1 not found',
        error: 'Not Found',
        statusCode: 404,
      });
    }
    const org = await get('/__sandbox/orgs/123/view', 'application/json');
    expect(await org.json()).toEqual({ error: { message: 'no org with id 123', details: [] } });
  });

  it('keeps the CRM API’s, the token endpoint’s and the admin API’s JSON errors for a browser too', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);

    // Zoho checks the token first: no token on an unknown path is AUTHENTICATION_FAILURE…
    const noToken = await get('/us/api/crm/v8/NoSuchThing/1/2/3');
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toEqual({
      code: 'AUTHENTICATION_FAILURE',
      details: {},
      message: 'Authentication failed',
      status: 'error',
    });
    // …and with one, INVALID_URL_PATTERN.
    const unknown = await get('/us/api/crm/v8/NoSuchThing/1/2/3', BROWSER_ACCEPT, {
      authorization: `Zoho-oauthtoken ${tokens.access_token}`,
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      code: 'INVALID_URL_PATTERN',
      details: {},
      message: 'Please check if the URL trying to access is a correct one',
      status: 'error',
    });

    for (const path of [
      '/us/accounts/oauth/v2/token',
      '/eu/accounts/oauth/v2/token/nope',
      '/__sandbox/nope',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({
        message: `Route GET:${path} not found`,
        error: 'Not Found',
        statusCode: 404,
      });
    }
    const admin = await get('/__sandbox/orgs/123');
    expect(admin.status).toBe(404);
    expect(await admin.json()).toEqual({ error: { message: 'no org with id 123', details: [] } });
  });
});
