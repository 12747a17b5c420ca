import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signHandoff } from '../../src/users/handoff.ts';
import { csrfToken } from '../../src/users/sessions.ts';
import { registerSecret } from '../helpers/logs.ts';
import { cookieOf, type InjectApp, injectApp, localPath } from './helpers.ts';

/**
 * Open redirects: every place a destination comes from the request — `next` on the demo
 * sign-in (page and form), on a handoff link (and its switch page), the path kept when sign-in
 * is required, whatever a callback or a decision carries — only ever leads to a path on the app
 * itself: the path asked for when it is a plain local path, else /integrations. Browsers drop
 * tabs and newlines and read `\` as `/`, so those never pass either.
 */
const origin = 'http://127.0.0.1:3000';
const secret = crypto.randomBytes(32).toString('hex');
registerSecret(secret);

const hostile = [
  '//evil.example',
  '//evil.example/integrations',
  '///evil.example',
  '////evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/\u0000/evil.example',
  ' //evil.example',
  '\t//evil.example',
  '//evil.example\t',
  'https://evil.example/',
  'HTTPS://evil.example/',
  'http:evil.example',
  'https:/evil.example',
  '//127.0.0.1:3000@evil.example',
  'http://127.0.0.1:3000.evil.example/',
  'http://127.0.0.1:3000/integrations',
  '%2F%2Fevil.example',
  '%252F%252Fevil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(document.domain)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'evil.example',
  '.evil.example',
  '@evil.example',
  'integrations',
  '/\u3002evil.example',
  '/ /evil.example',
  '/integrations\u2028//evil.example',
  '',
];
/** Local paths: they may be kept as they are (anything else becomes /integrations). */
const local = [
  '/integrations?done=saved',
  '/activity',
  '/suggestions/sug_1',
  '/%2F%2Fevil.example',
  '/%5Cevil.example',
  '/%09/evil.example',
  '/.//evil.example',
  '/javascript:alert(1)',
  '/integrations#//evil.example',
];

/** Where a `Location` takes a browser: it must stay on the app, as a plain local path. */
function expectLocal(location: string | undefined, asked?: string) {
  expect(location, 'a redirect').toBeDefined();
  expect(location!, 'a plain local path').toMatch(localPath);
  expect(new URL(location!, origin).origin).toBe(origin);
  if (asked !== undefined) expect(location).toBe(localPath.test(asked) ? asked : '/integrations');
}

/** The `next` a page carries in a hidden field, decoded as a browser would post it. */
function hiddenNext(html: string): string | undefined {
  const raw = /name="next" value="([^"]*)"/.exec(html)?.[1];
  return raw
    ?.replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

const query = (next: string) => new URLSearchParams({ next }).toString();

describe('open redirects (demo sign-in)', () => {
  let a: InjectApp;
  beforeAll(async () => {
    a = await injectApp('pglite');
  });
  afterAll(async () => {
    await a?.close();
  });

  it.each([...hostile, ...local])('the sign-in page carries only a local next= for %j', async (next) => {
    const res = await a.app.inject({ method: 'GET', url: `/signin?${query(next)}` });
    expect(res.statusCode).toBe(200);
    expectLocal(hiddenNext(res.body), next);
  });

  it.each([...hostile, ...local])('signing in goes only to a local path for next=%j', async (next) => {
    const res = await a.app.inject({
      method: 'POST',
      url: '/signin',
      payload: { workspace_id: 'ws_demo', user_id: 'usr_sam', next },
    });
    expect(res.statusCode).toBe(303);
    expectLocal(res.headers.location as string, next);
  });

  it.each([
    ['next given twice', '/signin?next=/activity&next=//evil.example'],
    ['next as an object', '/signin?next[href]=//evil.example'],
  ])('%s is not taken', async (_, url) => {
    const res = await a.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expectLocal(hiddenNext(res.body), '/integrations');
  });

  it.each([
    '/integrations/zoho/callback?code=1000.x&state=y&next=//evil.example',
    '/integrations?next=//evil.example',
    '/activity?redirect=https://evil.example',
    '/suggestions/sug_1?return_to=//evil.example',
  ])('a page that needs sign-in sends to /signin with its own path only: %s', async (url) => {
    const res = await a.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(303);
    const location = res.headers.location as string;
    expectLocal(location);
    const to = new URL(location, origin);
    expect(to.pathname).toBe('/signin');
    expectLocal(to.searchParams.get('next')!, new URL(url, origin).pathname);
  });

  it.each([
    [
      'the callback',
      '/integrations/zoho/callback?state=x&code=y&next=//evil.example&redirect_uri=https://evil.example',
    ],
    ['the callback with an error', '/integrations/zoho/callback?error=access_denied&next=//evil.example'],
    ['the root', '/?next=//evil.example'],
    ['Connect', '/integrations/zoho/connect?next=//evil.example&redirect_uri=https://evil.example'],
  ])('%s redirects nowhere but the app (or Zoho) whatever it carries', async (_, url) => {
    const token = await a.sessionFor('usr_alex');
    const res = await a.app.inject({ method: 'GET', url, headers: { cookie: cookieOf(token) } });
    expect([302, 303]).toContain(res.statusCode);
    const location = res.headers.location as string;
    if (url.startsWith('/integrations/zoho/connect')) {
      // Connect sends to the configured accounts server, with the app's own redirect URI.
      const to = new URL(location);
      expect(to.origin).toBe('http://127.0.0.1:9');
      expect(to.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:9/integrations/zoho/callback');
      expect(location).not.toContain('evil');
    } else expectLocal(location);
  });

  it.each(['//evil.example', '/\\evil.example', 'https://evil.example'])(
    'a decision on a suggestion id spelling %j redirects nowhere',
    async (id) => {
      const token = await a.sessionFor('usr_alex');
      for (const action of ['approve', 'reject']) {
        const res = await a.app.inject({
          method: 'POST',
          url: `/suggestions/${encodeURIComponent(id)}/${action}`,
          headers: { cookie: cookieOf(token) },
          payload: { _csrf: csrfToken(token) },
        });
        expect(res.statusCode).toBe(404);
        expect(res.headers.location).toBeUndefined();
      }
    },
  );
});

describe('open redirects (handoff sign-in)', () => {
  let a: InjectApp;
  beforeAll(async () => {
    a = await injectApp('pglite', { handoffSecret: secret });
  });
  afterAll(async () => {
    await a?.close();
  });

  let n = 0;
  const link = (userId = `usr_r${++n}`) => {
    const now = Math.floor(a.clock.now().getTime() / 1000);
    return signHandoff(secret, {
      jti: crypto.randomUUID(),
      iat: now,
      exp: now + 120,
      workspace: { id: 'ws_acme', name: 'Acme' },
      user: { id: userId, email: `${userId}@acme.test`, name: userId, role: 'member' },
    });
  };

  it.each([...hostile, ...local])('a handoff link goes only to a local path for next=%j', async (next) => {
    const res = await a.app.inject({
      method: 'GET',
      url: `/auth/handoff?${new URLSearchParams({ token: link(), next })}`,
    });
    expect(res.statusCode).toBe(303);
    expectLocal(res.headers.location as string, next);
  });

  it.each(['//evil.example', '/\t/evil.example', 'https://evil.example', 'javascript:alert(1)'])(
    'with another user signed in, the link (and the switch, if offered) goes only to a local path for next=%j',
    async (next) => {
      const victim = await a.sessionFor('usr_alex');
      const res = await a.app.inject({
        method: 'GET',
        url: `/auth/handoff?${new URLSearchParams({ token: link(), next })}`,
        headers: { cookie: cookieOf(victim) },
      });
      expect(res.statusCode).toBeLessThan(500);
      if (res.headers.location) expectLocal(res.headers.location as string, next);
      const carried = hiddenNext(res.body);
      if (carried !== undefined) expectLocal(carried, next);
      // A switch, if the page offers one, posted with a hostile next of its own.
      const jti = /name="jti" value="([^"]*)"/.exec(res.body)?.[1];
      if (!jti) return;
      const pending = ([res.headers['set-cookie']].flat().filter(Boolean) as string[]).map(
        (c) => c.split(';')[0],
      );
      const switched = await a.app.inject({
        method: 'POST',
        url: '/auth/handoff/switch',
        headers: { cookie: [cookieOf(victim), ...pending].join('; ') },
        payload: { _csrf: csrfToken(victim), jti, next },
      });
      expect(switched.statusCode).toBeLessThan(500);
      if (switched.headers.location) expectLocal(switched.headers.location as string, next);
    },
  );
});
