import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken } from '../../src/users/sessions.ts';
import { bookingEvent } from '../helpers/events.ts';
import { registerSecret } from '../helpers/logs.ts';
import {
  cookieOf,
  dbSnapshot,
  type InjectApp,
  injectApp,
  postEvent,
  type Route,
  routeKey,
  routesOf,
} from './helpers.ts';

/**
 * CSRF on every state-changing route, read from the app's own route table: each one refuses
 * (403, or 415 for a body type it does not read) a request without the form's token, with a
 * wrong one, with another session's, with the token anywhere but the form body, and a
 * cross-site form post — and nothing changes. The same request with the right token passes the
 * check (the control). A new POST/PUT/PATCH/DELETE route without a case here fails the suite.
 */
const secret = crypto.randomBytes(32).toString('hex');
registerSecret(secret);

/** The form each route's page posts (minus the token); `:id` is filled with a made-up id. */
const cases: Record<string, Record<string, string>> = {
  'POST /activity/:id/retry': {},
  'POST /auth/handoff/switch': { jti: crypto.randomUUID(), next: '/integrations' },
  'POST /integrations/try-it': {
    try_id: 'try_0123456789abcdef',
    sample: 'f01',
    name: 'Ada',
    email: 'ada@example.com',
  },
  'POST /integrations/zoho/check': {},
  'POST /integrations/zoho/disconnect': {},
  'POST /integrations/zoho/field-rows': {
    field: 'Contacts.Lead_Source',
    source: 'fixed',
    fixed_value: 'Web',
  },
  'POST /integrations/zoho/field-rows/:id/remove': {},
  'POST /integrations/zoho/fields/refresh': {},
  'POST /integrations/zoho/meetings': { sync_meetings: 'on' },
  'POST /integrations/zoho/settings': { new_attendee_module: 'Leads', sync_bookings: 'on' },
  'POST /signout': {},
  'POST /suggestions/:id/approve': { stage: 'Closed Won' },
  'POST /suggestions/:id/reject': {},
};
/** State-changing routes with another guard, and where that guard is tested. */
const exempt: Record<string, string> = {
  'POST /api/v1/events': 'signed with the platform’s secret: signature.int.test.ts',
  'POST /signin': 'the embedded demo’s pick-a-user form (no session yet); off whenever handoff is set up',
};

const pathOf = (r: Route) => r.url.replaceAll(':id', 'x_made_up_id');

interface Attempt {
  /** Form fields beside the route's own. */
  token?: (own: string, other: string) => string | string[] | undefined;
  query?: (own: string) => string;
  headers?: (own: string) => Record<string, string>;
  contentType?: string;
  raw?: (own: string) => string;
  expect?: number[];
}

const crossSite = {
  origin: 'https://evil.example',
  referer: 'https://evil.example/page',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
};

const attempts: Array<[string, Attempt]> = [
  ['no token', { token: () => undefined }],
  ['an empty token', { token: () => '' }],
  ['a wrong token', { token: () => 'wrong' }],
  ['another user’s token', { token: (_, other) => other }],
  ['the token with a character added', { token: (own) => `${own}x` }],
  ['the token one character short', { token: (own) => own.slice(0, -1) }],
  ['the token in upper case', { token: (own) => own.toUpperCase() }],
  ['the token twice', { token: (own) => [own, own] }],
  ['the token of the session itself (not the form’s)', { token: () => 'session-token' }],
  ['the right token in the query string', { token: () => undefined, query: (own) => `_csrf=${own}` }],
  [
    'the right token in a header',
    { token: () => undefined, headers: (own) => ({ 'x-csrf-token': own, 'csrf-token': own }) },
  ],
  ['a cross-site form post', { token: () => undefined, headers: () => crossSite }],
  ['a cross-site form post with a guessed token', { token: () => 'a'.repeat(43), headers: () => crossSite }],
  [
    'a cross-site text/plain form (token-shaped text)',
    { contentType: 'text/plain', raw: (own) => `_csrf=${own}`, headers: () => crossSite, expect: [403, 415] },
  ],
  [
    'a cross-site multipart form',
    {
      contentType: 'multipart/form-data; boundary=XX',
      raw: (own) => `--XX\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${own}\r\n--XX--\r\n`,
      headers: () => crossSite,
      expect: [403, 415],
    },
  ],
];

describe('CSRF on every state-changing route', () => {
  let a: InjectApp;
  let routes: Route[];
  beforeAll(async () => {
    a = await injectApp('pglite', { handoffSecret: secret });
    routes = routesOf(a.app).filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method));
  });
  afterAll(async () => {
    await a?.close();
  });

  it('every state-changing route has a case (or a named guard of its own)', () => {
    const missing = routes.map(routeKey).filter((k) => !(k in cases) && !(k in exempt));
    expect(missing, 'add a CSRF case for these routes').toEqual([]);
    const stale = Object.keys(cases).filter((k) => !routes.some((r) => routeKey(r) === k));
    expect(stale, 'cases for routes the app no longer has').toEqual([]);
  });

  function send(route: Route, session: string, form: Record<string, string | string[]>, at: Attempt) {
    const body = at.raw
      ? at.raw(csrfToken(session))
      : new URLSearchParams(
          Object.entries(form).flatMap(
            ([k, v]): Array<[string, string]> => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]),
          ),
        ).toString();
    const query = at.query ? `?${at.query(csrfToken(session))}` : '';
    return a.app.inject({
      method: route.method as 'POST',
      url: `${pathOf(route)}${query}`,
      headers: {
        cookie: cookieOf(session),
        'content-type': at.contentType ?? 'application/x-www-form-urlencoded',
        ...at.headers?.(csrfToken(session)),
      },
      payload: body,
    });
  }

  it.each(Object.keys(cases))('%s refuses every forged request and changes nothing', async (key) => {
    const route = routes.find((r) => routeKey(r) === key)!;
    const alex = await a.sessionFor('usr_alex');
    const sam = await a.sessionFor('usr_sam');
    const alexElsewhere = await a.sessionFor('usr_alex');
    const before = await dbSnapshot(a.db);
    const answers: string[] = [];
    for (const [name, at] of [
      ...attempts,
      ['the same user’s token from another session', { token: () => csrfToken(alexElsewhere) }] as [
        string,
        Attempt,
      ],
    ]) {
      const token = at.token?.(csrfToken(alex), csrfToken(sam));
      const resolved = token === 'session-token' ? alex : token;
      const form = { ...cases[key], ...(resolved === undefined ? {} : { _csrf: resolved }) };
      const res = await send(route, alex, form, at);
      if (!(at.expect ?? [403]).includes(res.statusCode))
        answers.push(`${name}: ${res.statusCode} ${res.body.slice(0, 80)}`);
    }
    expect(answers, 'answers that were not a refusal').toEqual([]);
    expect(await dbSnapshot(a.db)).toEqual(before);
    // Alex's session survived every attempt (sign-out included).
    expect(
      (await a.app.inject({ url: '/integrations', headers: { cookie: cookieOf(alex) } })).statusCode,
    ).toBe(200);
  });

  it.each(Object.keys(cases))('%s with the right token passes the check (the control)', async (key) => {
    const route = routes.find((r) => routeKey(r) === key)!;
    const alex = await a.sessionFor('usr_alex');
    const res = await send(route, alex, { ...cases[key], _csrf: csrfToken(alex) }, {});
    expect(res.statusCode, res.body.slice(0, 200)).not.toBe(403);
    expect(res.statusCode).not.toBe(401);
    expect(res.statusCode).toBeLessThan(500);
  });

  it.each([
    ['another site', 'cross-site'],
    ['a sibling site', 'same-site'],
  ])('Connect (a link, not a form) refuses a start from %s: no state is made', async (_, site) => {
    const alex = await a.sessionFor('usr_alex');
    const before = await dbSnapshot(a.db, ['oauth_states', 'connections']);
    const res = await a.app.inject({
      url: '/integrations/zoho/connect',
      headers: { cookie: cookieOf(alex), 'sec-fetch-site': site },
    });
    expect(res.statusCode).toBe(403);
    expect(await dbSnapshot(a.db, ['oauth_states', 'connections'])).toEqual(before);
    const own = await a.app.inject({
      url: '/integrations/zoho/connect',
      headers: { cookie: cookieOf(alex), 'sec-fetch-site': 'same-origin' },
    });
    expect(own.statusCode).toBe(303);
  });
});

/**
 * A page's own forms carry the CSRF token: their action must reach the route they are for.
 * The Activity page builds each Retry form's action from the event's id, which the platform
 * chooses (any one-line string): unencoded, `../`, `?` or `#` in it send the form — and its
 * token — elsewhere (found by this suite; failing until the action is encoded and ids that a
 * path cannot hold are refused).
 */
describe('forms post to their own route, whatever the ids in them (new finding: Retry action)', () => {
  let a: InjectApp;
  beforeAll(async () => {
    a = await injectApp('pglite');
  });
  afterAll(async () => {
    await a?.close();
  });

  it.each([
    'evt_plain_1',
    '../integrations/zoho/disconnect?x=',
    '../../signout?',
    'evt/with/slashes',
    'evt?with=query',
    'evt#fragment',
    'evt%2Fencoded',
    '..',
  ])('the Retry form of a failed event with id %j retries that event', async (id) => {
    const event = { ...bookingEvent(), id };
    const sent = await postEvent(a, JSON.stringify(event));
    // An API that refuses such an id never renders it: nothing to steer.
    if (sent.statusCode === 400) return;
    expect(sent.statusCode).toBe(202);
    await a.db.query(`UPDATE events SET status = 'failed', error_code = 'validation' WHERE id = $1`, [id]);
    const alex = await a.sessionFor('usr_alex');
    const page = await a.app.inject({ url: '/activity', headers: { cookie: cookieOf(alex) } });
    const card = /<section[^>]*data-status="failed"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
    const form = /<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(card);
    expect(form, 'a Retry form').not.toBeNull();
    const decode = (v: string) =>
      v
        .replaceAll('&quot;', '"')
        .replaceAll('&#39;', "'")
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&amp;', '&');
    const fields = Object.fromEntries(
      [...form![2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [
        decode(m[1]!),
        decode(m[2]!),
      ]),
    );
    // Where a browser sends the form: the action resolved against the page (fragment dropped).
    const target = new URL(decode(form![1]!), 'http://127.0.0.1:3000/activity');
    const res = await a.app.inject({
      method: 'POST',
      url: `${target.pathname}${target.search}`,
      headers: { cookie: cookieOf(alex), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(fields).toString(),
    });
    const { rows } = await a.db.query<{ status: string }>('SELECT status FROM events WHERE id = $1', [id]);
    expect(`${target.pathname}${target.search} → ${res.statusCode}, event ${rows[0]?.status}`).toMatch(
      /event queued$/,
    );
    await a.db.query('DELETE FROM activity WHERE event_id = $1', [id]);
    await a.db.query('DELETE FROM events WHERE id = $1', [id]);
  });
});
