import { afterEach, describe, expect, it } from 'vitest';
import { cookieOf, type InjectApp, injectApp } from '../security/helpers.ts';

/**
 * Unknown addresses: a browser gets a page in the app's frame (signed in: with the navigation;
 * signed out: a way to sign in), a JSON client and the event API keep JSON, the favicon exists.
 */
describe('404 and the favicon', () => {
  let a: InjectApp | undefined;
  afterEach(async () => {
    await a?.close();
    a = undefined;
  });
  const page = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

  it('a signed-in browser gets a 404 page in the layout, with its navigation', async () => {
    a = await injectApp('pglite');
    const token = await a.sessionFor('usr_alex');
    const res = await a.app.inject({ url: '/no/such/page', headers: { ...page, cookie: cookieOf(token) } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Page not found');
    expect(res.body).toContain('aria-label="Main"');
    expect(res.body).toContain('href="/integrations"');
    expect(res.body).toContain('id="signed-in-as"');
  });

  it('a signed-out browser gets the page with a way to sign in; nothing of the app leaks', async () => {
    a = await injectApp('pglite');
    const res = await a.app.inject({ url: '/settings', headers: page });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page not found');
    expect(res.body).toContain('href="/signin"');
    expect(res.body).not.toContain('signed-in-as');
  });

  it('JSON clients and the event API keep JSON errors', async () => {
    a = await injectApp('pglite');
    const json = await a.app.inject({ url: '/nope', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(404);
    expect(json.json()).toMatchObject({ error: { code: 'not_found' } });
    const api = await a.app.inject({ method: 'POST', url: '/api/v1/nothing', headers: page, payload: {} });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('serves a favicon', async () => {
    a = await injectApp('pglite');
    const ico = await a.app.inject('/favicon.ico');
    expect(ico.statusCode).toBe(301);
    const svg = await a.app.inject(ico.headers.location as string);
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
  });
});
