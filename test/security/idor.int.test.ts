import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfToken } from '../../src/users/sessions.ts';
import { type AppSession, otherAdmin, otherWorkspace, type TestApp } from '../helpers/app.ts';
import { textOf } from '../helpers/connect-steps.ts';
import { connectedApp } from '../helpers/connected.ts';
import { pipelines, quoteTranscript, seedRecords } from '../helpers/deals.ts';
import { bookingEvent, notesEvent, refuseNextContactInsert, sendEvent, settled } from '../helpers/events.ts';
import { registerSecret } from '../helpers/logs.ts';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';
import {
  cookieOf,
  dbSnapshot,
  type InjectApp,
  injectApp,
  type Route,
  routeKey,
  routesOf,
} from './helpers.ts';

/**
 * Insecure direct object references: every route that takes an id, tried by the other users
 * there are — a member of the same workspace (who sees only their own), its admin (who sees
 * the workspace's but decides only their own suggestions), an admin of another workspace —
 * against real suggestions and failed events made through the event API and Zoho (the
 * sandbox). What is not theirs is 404 (403 where they may look but not act), and nothing
 * changes: no row, no Zoho call. The id-taking routes and the signed-in routes are read from
 * the app's route table, so a new one without a case fails the suite. Also: every route but
 * the public ones requires sign-in.
 */
const sb = useSandbox();

/** Every route with an id in its path, and how the table below covers it. */
const idRoutes = [
  'GET /suggestions/:id',
  'POST /suggestions/:id/approve',
  'POST /suggestions/:id/reject',
  'POST /activity/:id/retry',
  'POST /integrations/zoho/field-rows/:id/remove',
];

/** A field value on Alex's connection (the card's rows, sync/field-values.ts). */
const alexRow = {
  id: 'fr_alex_row',
  module: 'Contacts',
  field: 'Lead_Source',
  label: 'Lead Source',
  source: { kind: 'fixed', value: 'Web Download' },
};

/** Routes anyone may call, each with the guard it has instead of a session. */
const publicRoutes: Record<string, string> = {
  'GET /': 'a redirect to /integrations',
  'GET /healthz': 'liveness',
  'GET /readyz': 'readiness',
  'GET /metrics': 'METRICS_TOKEN, or the demo',
  'GET /signin': 'the sign-in page',
  'POST /signin': 'the demo’s sign-in form',
  'GET /auth/handoff': 'a signed handoff link',
  'POST /api/v1/events': 'the platform’s signature',
  'GET /api/v1/openapi.json': 'the event API’s public description',
  'GET /favicon.svg': 'the app’s icon, a constant drawing',
  'GET /favicon.ico': 'a redirect to /favicon.svg',
};

interface World {
  app: TestApp;
  org: CreatedOrg;
  alex: AppSession;
  sam: AppSession;
  olga: AppSession;
  sug: { alex: string; sam: string };
  deals: { alex: string; sam: string };
  failed: { alex: string; sam: string; olga: string };
}

/** A contact with a deal, a booking with them hosted by `host`, then its notes: the suggestion. */
async function suggestionOf(
  w: Pick<World, 'app' | 'org'>,
  host: { user_id: string; email: string },
  who: string,
) {
  const email = uniqueEmail(who);
  const [contact] = await seedRecords(sb.client, w.org, 'Contacts', [{ Last_Name: who, Email: email }]);
  const [deal] = await seedRecords(sb.client, w.org, 'Deals', [
    { Deal_Name: `${who} Deal`, Stage: 'Value Proposition', Pipeline: 'Sales', Contact_Name: contact },
  ]);
  const booking = bookingEvent({ host, attendees: [{ email, name: who }] });
  await sendEvent(w.app.url, booking);
  expect(await settled(w.app.db, booking.id)).toBe('done');
  const notes = notesEvent(booking.data.booking.id, { transcript: quoteTranscript });
  await sendEvent(w.app.url, notes);
  expect(await settled(w.app.db, notes.id)).toBe('done');
  const { rows } = await w.app.db.query<{ id: string }>('SELECT id FROM suggestions WHERE event_id = $1', [
    notes.id,
  ]);
  expect(rows[0]?.id, `a suggestion for ${who}`).toBeDefined();
  return { id: rows[0]!.id, deal: deal! };
}

async function failedEvent(w: Pick<World, 'app' | 'org'>, host: { user_id: string; email: string }) {
  await refuseNextContactInsert(sb.client, w.org, { code: 'INVALID_DATA', message: 'invalid data' });
  const event = bookingEvent({ host, attendees: [{ email: uniqueEmail('failing'), name: 'Fay Failing' }] });
  await sendEvent(w.app.url, event);
  expect(await settled(w.app.db, event.id)).toBe('failed');
  return event.id;
}

const alexHost = { user_id: 'usr_alex', email: 'alex@peposmart.test' };
const samHost = { user_id: 'usr_sam', email: 'sam@peposmart.test' };

/** Tables an id-taking route could change. */
const watched = [
  'events',
  'activity',
  'suggestions',
  'suggestion_decisions',
  'connections',
  'connection_tokens',
];

// The world below takes real syncs through the sandbox: PGlite only (the scoping is the same SQL
// on both; the suggestions and activity e2e suites check it on PostgreSQL too).
describe.each(['pglite'] as const)('IDOR on %s', (kind) => {
  let w: World;
  beforeAll(async () => {
    const alexZoho = uniqueEmail('alex.zoho');
    const samZoho = uniqueEmail('sam.zoho');
    const c = await connectedApp(
      sb,
      kind,
      {
        pipelines,
        users: [
          { email: alexZoho, first_name: 'Alex', last_name: 'Zoho', profile: 'Administrator' },
          { email: samZoho, first_name: 'Sam', last_name: 'Zoho', profile: 'Administrator' },
        ],
      },
      { sync: true },
    );
    const sam = await c.app.signIn('usr_sam');
    expect((await sam.connect(sb.base, samZoho)).location?.search).toBe('?done=connected');
    const olga = await c.app.signIn(otherAdmin.id, otherWorkspace.id);
    const base = { app: c.app, org: c.org };
    const [a, s] = [await suggestionOf(base, alexHost, 'Alma'), await suggestionOf(base, samHost, 'Sefa')];
    // Olga's workspace has no Zoho connection: her event is skipped, and made a failed one here.
    const olgaEvent = bookingEvent({
      workspaceId: otherWorkspace.id,
      host: { user_id: otherAdmin.id, email: otherAdmin.email },
    });
    await sendEvent(c.app.url, olgaEvent);
    await c.app.db.query(`UPDATE events SET status = 'failed', error_code = 'validation' WHERE id = $1`, [
      olgaEvent.id,
    ]);
    await c.app.db.query(
      `UPDATE connections SET field_rows = $1::jsonb WHERE workspace_id = 'ws_demo' AND user_id = 'usr_alex'`,
      [JSON.stringify([alexRow])],
    );
    w = {
      ...base,
      alex: c.session,
      sam,
      olga,
      sug: { alex: a.id, sam: s.id },
      deals: { alex: a.deal, sam: s.deal },
      failed: {
        alex: await failedEvent(base, alexHost),
        sam: await failedEvent(base, samHost),
        olga: olgaEvent.id,
      },
    };
  }, 180_000);
  afterAll(async () => {
    await w?.app.close();
  });

  const as = (who: 'alex' | 'sam' | 'olga') => w[who];

  type Who = 'alex' | 'sam' | 'olga';
  type Case = [
    string,
    Who,
    (w: World) => { method: 'GET' | 'POST'; path: string; form?: Record<string, string> },
    number,
  ];
  const cases: Case[] = [
    // Suggestions: members see their own; admins the workspace's; only the owner decides.
    [
      'a member opens another member’s suggestion',
      'sam',
      (x) => ({ method: 'GET', path: `/suggestions/${x.sug.alex}` }),
      404,
    ],
    [
      'another workspace’s admin opens a suggestion',
      'olga',
      (x) => ({ method: 'GET', path: `/suggestions/${x.sug.alex}` }),
      404,
    ],
    [
      'another workspace’s admin opens a member’s suggestion',
      'olga',
      (x) => ({ method: 'GET', path: `/suggestions/${x.sug.sam}` }),
      404,
    ],
    [
      'a member approves another’s suggestion',
      'sam',
      (x) => ({
        method: 'POST',
        path: `/suggestions/${x.sug.alex}/approve`,
        form: { stage: 'Proposal/Price Quote' },
      }),
      404,
    ],
    [
      'a member approves another’s with their own deal',
      'sam',
      (x) => ({
        method: 'POST',
        path: `/suggestions/${x.sug.alex}/approve`,
        form: { deal_id: x.deals.sam, stage: 'Proposal/Price Quote' },
      }),
      404,
    ],
    [
      'a member rejects another’s suggestion',
      'sam',
      (x) => ({ method: 'POST', path: `/suggestions/${x.sug.alex}/reject` }),
      404,
    ],
    [
      'another workspace’s admin approves',
      'olga',
      (x) => ({
        method: 'POST',
        path: `/suggestions/${x.sug.alex}/approve`,
        form: { stage: 'Proposal/Price Quote' },
      }),
      404,
    ],
    [
      'another workspace’s admin rejects',
      'olga',
      (x) => ({ method: 'POST', path: `/suggestions/${x.sug.sam}/reject` }),
      404,
    ],
    [
      'the admin approves a member’s suggestion (sees, does not decide)',
      'alex',
      (x) => ({
        method: 'POST',
        path: `/suggestions/${x.sug.sam}/approve`,
        form: { stage: 'Proposal/Price Quote' },
      }),
      403,
    ],
    [
      'the admin rejects a member’s suggestion',
      'alex',
      (x) => ({ method: 'POST', path: `/suggestions/${x.sug.sam}/reject` }),
      403,
    ],
    [
      'the owner approves with another user’s deal',
      'alex',
      (x) => ({
        method: 'POST',
        path: `/suggestions/${x.sug.alex}/approve`,
        form: { deal_id: x.deals.sam, stage: 'Proposal/Price Quote' },
      }),
      403,
    ],
    [
      'the owner approves with a deal id that is no deal',
      'alex',
      (x) => ({
        method: 'POST',
        path: `/suggestions/${x.sug.alex}/approve`,
        form: { deal_id: '1', stage: 'Proposal/Price Quote' },
      }),
      403,
    ],
    [
      'the owner approves a stage of no pipeline',
      'alex',
      (x) => ({
        method: 'POST',
        path: `/suggestions/${x.sug.alex}/approve`,
        form: { stage: 'Paid In Full' },
      }),
      403,
    ],
    [
      'a suggestion id in another case',
      'sam',
      (x) => ({ method: 'GET', path: `/suggestions/${x.sug.alex.toUpperCase()}` }),
      404,
    ],
    [
      'a suggestion id with SQL in it',
      'sam',
      (x) => ({ method: 'GET', path: `/suggestions/${encodeURIComponent(`${x.sug.alex}' OR '1'='1`)}` }),
      404,
    ],
    // Failed events: the host, or an admin of the workspace, may retry.
    [
      'a member retries another member’s event',
      'sam',
      (x) => ({ method: 'POST', path: `/activity/${x.failed.alex}/retry` }),
      404,
    ],
    [
      'another workspace’s admin retries an event',
      'olga',
      (x) => ({ method: 'POST', path: `/activity/${x.failed.alex}/retry` }),
      404,
    ],
    [
      'another workspace’s admin retries a member’s event',
      'olga',
      (x) => ({ method: 'POST', path: `/activity/${x.failed.sam}/retry` }),
      404,
    ],
    [
      'an admin retries another workspace’s event',
      'alex',
      (x) => ({ method: 'POST', path: `/activity/${x.failed.olga}/retry` }),
      404,
    ],
    [
      'a member retries another workspace’s event',
      'sam',
      (x) => ({ method: 'POST', path: `/activity/${x.failed.olga}/retry` }),
      404,
    ],
    // Field values: a row is removed only from the signed-in user's own connection.
    [
      'a member removes another member’s field value',
      'sam',
      () => ({ method: 'POST', path: `/integrations/zoho/field-rows/${alexRow.id}/remove` }),
      303,
    ],
    [
      'another workspace’s admin removes a field value',
      'olga',
      () => ({ method: 'POST', path: `/integrations/zoho/field-rows/${alexRow.id}/remove` }),
      303,
    ],
    [
      'a field value id that is a wildcard removes nothing',
      'alex',
      () => ({ method: 'POST', path: `/integrations/zoho/field-rows/${encodeURIComponent('%')}/remove` }),
      303,
    ],
    [
      'an event id with a wildcard',
      'sam',
      () => ({ method: 'POST', path: `/activity/${encodeURIComponent('%')}/retry` }),
      404,
    ],
  ];

  it.each(cases.map(([name, who, request, status]) => [name, who, status, request] as const))(
    '%s (%s): %i, nothing changed, no Zoho call',
    async (_, who, status, request) => {
      const r = request(w);
      const before = await dbSnapshot(w.app.db, watched);
      const calls = (await sb.client.calls(w.org)).length;
      const res = r.method === 'GET' ? await as(who).get(r.path) : await as(who).post(r.path, r.form ?? {});
      expect(res.status, res.html.slice(0, 200)).toBe(status);
      expect(await dbSnapshot(w.app.db, watched)).toEqual(before);
      expect((await sb.client.calls(w.org)).length).toBe(calls);
    },
  );

  it('the cases cover every id-taking route', () => {
    const covered = new Set(
      cases.map(([, , request]) => {
        const r = request(w);
        const pattern = idRoutes.find((k) => {
          const [method, url] = k.split(' ') as [string, string];
          return method === r.method && new RegExp(`^${url.replace(':id', '[^/?]+')}(\\?|$)`).test(r.path);
        });
        return pattern;
      }),
    );
    expect(idRoutes.filter((k) => !covered.has(k))).toEqual([]);
  });

  it('lists show each user only what is theirs (admins: their workspace’s)', async () => {
    const text = async (who: Who, path: string) => textOf((await as(who).get(path)).html);
    const activity = {
      alex: await text('alex', '/activity'),
      sam: await text('sam', '/activity'),
      olga: await text('olga', '/activity'),
    };
    const html = async (who: Who, path: string) => (await as(who).get(path)).html;
    const ids = {
      alex: await html('alex', '/activity'),
      sam: await html('sam', '/activity'),
      olga: await html('olga', '/activity'),
    };
    expect(ids.sam).toContain(w.failed.sam);
    expect(ids.sam).not.toContain(w.failed.alex);
    expect(ids.alex).toContain(w.failed.sam);
    expect(ids.alex).not.toContain(w.failed.olga);
    expect(ids.olga).toContain(w.failed.olga);
    expect(ids.olga).not.toContain(w.failed.alex);
    expect(activity.olga).not.toContain('Alma');

    const suggestions = {
      alex: await html('alex', '/suggestions'),
      sam: await html('sam', '/suggestions'),
      olga: await html('olga', '/suggestions'),
    };
    expect(suggestions.sam).toContain(w.sug.sam);
    expect(suggestions.sam).not.toContain(w.sug.alex);
    expect(suggestions.alex).toContain(w.sug.sam);
    expect(suggestions.olga).not.toContain(w.sug.alex);
    expect(suggestions.olga).not.toContain(w.sug.sam);

    // The admin may look at a member's suggestion, without a way to decide it.
    const seen = await as('alex').get(`/suggestions/${w.sug.sam}`);
    expect(seen.status).toBe(200);
    expect(seen.html).not.toContain('id="decide"');
    // Choosing another user's deal on one's own suggestion shows only the suggestion's deals.
    const chosen = await as('alex').get(`/suggestions/${w.sug.alex}?deal=${w.deals.sam}`);
    expect(chosen.status).toBe(200);
    expect(chosen.html).not.toContain('Sefa Deal');
    expect(chosen.html).not.toContain(`value="${w.deals.sam}"`);

    // Connections: the team table is the admin's own workspace; a member sees their own card.
    const olgaPage = await html('olga', '/integrations');
    for (const s of ['Alex Morgan', 'Sam Rivera', w.org.users[0]!.email, w.org.users[1]!.email])
      expect(olgaPage).not.toContain(s);
    const samConfirm = await html('sam', '/integrations/zoho/disconnect');
    expect(samConfirm).toContain(w.org.users[1]!.email);
    expect(samConfirm).not.toContain(w.org.users[0]!.email);
  });

  it('the retries that are theirs go through (the control): host, admin of the workspace', async () => {
    expect((await as('olga').post(`/activity/${w.failed.olga}/retry`)).status).toBe(303);
    expect((await as('alex').post(`/activity/${w.failed.sam}/retry`)).status).toBe(303);
    expect((await as('sam').get(`/suggestions/${w.sug.sam}`)).status).toBe(200);
    expect((await as('sam').post(`/suggestions/${w.sug.sam}/reject`)).status).toBe(303);
    const removed = await as('alex').post(`/integrations/zoho/field-rows/${alexRow.id}/remove`);
    expect(removed.location?.search).toBe('?done=field_value_removed');
    const { rows } = await w.app.db.query<{ field_rows: unknown[] }>(
      `SELECT field_rows FROM connections WHERE workspace_id = 'ws_demo' AND user_id = 'usr_alex'`,
    );
    expect(rows[0]?.field_rows).toEqual([]);
  });
});

describe('every route but the public ones requires sign-in', () => {
  let a: InjectApp;
  let routes: Route[];
  const secret = crypto.randomBytes(16).toString('hex');
  registerSecret(secret);
  beforeAll(async () => {
    a = await injectApp('pglite', { handoffSecret: secret });
    routes = routesOf(a.app).filter((r) => !(routeKey(r) in publicRoutes));
  });
  afterAll(async () => {
    await a?.close();
  });

  it('every route that takes an id has IDOR cases', () => {
    const withIds = routesOf(a.app)
      .filter((r) => r.url.includes(':'))
      .map(routeKey);
    expect(
      withIds.filter((k) => !idRoutes.includes(k)),
      'add IDOR cases for these',
    ).toEqual([]);
  });

  it('the public routes are the ones listed', () => {
    const all = routesOf(a.app).map(routeKey);
    expect(
      Object.keys(publicRoutes).filter((k) => !all.includes(k)),
      'listed but gone',
    ).toEqual([]);
    expect(routes.length).toBeGreaterThan(10);
  });

  it('each refuses no session, a made-up cookie and an expired session, changing nothing', async () => {
    const expired = await a.sessionFor('usr_alex');
    a.clock.advance(13 * 3600_000);
    const before = await dbSnapshot(a.db);
    const wrong: string[] = [];
    for (const r of routes) {
      const path = r.url.replaceAll(':id', 'x_id');
      for (const [name, token] of [
        ['no session', undefined],
        ['a made-up cookie', crypto.randomBytes(32).toString('base64url')],
        ['an expired session', expired],
      ] as const) {
        const res = await a.app.inject({
          method: r.method as 'GET',
          url: path,
          headers: token ? { cookie: cookieOf(token) } : {},
          ...(r.method === 'GET' ? {} : { payload: { _csrf: token ? csrfToken(token) : 'x' } }),
        });
        const ok =
          r.method === 'GET'
            ? res.statusCode === 303 && String(res.headers.location).startsWith('/signin?next=')
            : res.statusCode === 401;
        if (!ok) wrong.push(`${routeKey(r)} with ${name}: ${res.statusCode} ${res.headers.location ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await dbSnapshot(a.db)).toEqual(before);
  });
});
