import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingEvent } from '../helpers/events.ts';
import { type InjectApp, injectApp, postEvent } from './helpers.ts';

/**
 * Helmet's headers on every kind of answer: a page, an accepted event, a refused, a too large
 * and a malformed one, a 404 and the health check. They are worked out once at start
 * (src/web/app.ts), not by a plugin per request, so this pins that none went missing.
 */
describe('security headers', () => {
  let a: InjectApp;
  beforeAll(async () => {
    a = await injectApp('pglite');
  });
  afterAll(() => a.close());

  const answers: Array<[string, () => ReturnType<typeof postEvent>]> = [
    ['a page', () => a.app.inject({ method: 'GET', url: '/signin' })],
    ['an accepted event', () => postEvent(a, JSON.stringify(bookingEvent()))],
    ['a refused event', () => postEvent(a, JSON.stringify(bookingEvent()), { 'peposmart-signature': 'x' })],
    ['an event larger than the limit (413)', () => postEvent(a, 'x'.repeat(2 * 1024 * 1024))],
    ['a body that is not JSON', () => postEvent(a, '{not json')],
    ['an unknown path', () => a.app.inject({ method: 'GET', url: '/nope' })],
    ['the health check', () => a.app.inject({ method: 'GET', url: '/healthz' })],
  ];

  it.each(answers)('are on %s', async (_what, request) => {
    const res = await request();
    expect(res.statusCode).toBeLessThan(500);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    // Plain http (the test app's public URL): no HSTS, which would pin a browser to https.
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});
