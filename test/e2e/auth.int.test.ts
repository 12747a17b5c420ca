import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { findConnection } from '../../src/connections/repo.ts';
import type { Database } from '../../src/db/port.ts';
import { type HandoffClaims, signHandoff } from '../../src/users/handoff.ts';
import { findUser } from '../../src/users/repo.ts';
import { csrfToken, SESSION_COOKIE, SESSION_TTL_MS } from '../../src/users/sessions.ts';
import {
  AppSession,
  otherAdmin,
  otherWorkspace,
  startTestApp,
  type TestApp,
  zohoEmail,
} from '../helpers/app.ts';
import {
  callsTo,
  connectionSnapshot,
  localTarget,
  manualClock,
  revokeCall,
} from '../helpers/connect-steps.ts';
import { connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { registerSecret } from '../helpers/logs.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Sign-in and tenancy over HTTP: every authenticated route needs a session (and, to change
 * anything, the form's CSRF token), and shows or touches only the signed-in user's own
 * workspace. Handoff sign-in from the scheduling platform, and signing out.
 */
const sb = useSandbox();

const tables = [
  'workspaces',
  'users',
  'sessions',
  'used_handoffs',
  'connections',
  'connection_tokens',
  'oauth_states',
];

/** Every row of every table the app writes, in a stable order. */
async function dbSnapshot(db: Database) {
  const out: Record<string, string[]> = {};
  for (const t of tables) {
    const { rows } = await db.query(`SELECT * FROM ${t}`);
    out[t] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

/** A request with a hand-made cookie (or none): what a stolen or stale cookie gets. */
async function raw(
  url: string,
  init: { method?: string; cookie?: string; form?: Record<string, string> } = {},
) {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: init.cookie ? { cookie: `${SESSION_COOKIE}=${init.cookie}` } : {},
    ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
  });
  const location = res.headers.get('location');
  return {
    status: res.status,
    location: location ? new URL(location, url) : null,
    setsSession: res.headers
      .getSetCookie()
      .some((c) => c.startsWith(`${SESSION_COOKIE}=`) && !/^[^=]+=;/.test(c)),
    text: await res.text(),
  };
}

const protectedGets = [
  '/integrations',
  '/integrations/zoho/connect',
  '/integrations/zoho/callback?state=x&code=y',
  '/integrations/zoho/disconnect',
];
const protectedPosts: Array<[string, Record<string, string>]> = [
  ['/integrations/zoho/disconnect', {}],
  ['/integrations/zoho/check', {}],
  ['/integrations/zoho/settings', { new_attendee_module: 'Leads' }],
  ['/auth/handoff/switch', { jti: 'any-link-id' }],
  ['/signout', {}],
];

describe.each(databaseKinds)('sign-in and workspace scoping on %s', (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  describe('without a session', () => {
    it('sends every page to sign-in (with next) and refuses every POST with 401, changing nothing', async () => {
      const c = await connectedApp(sb, kind);
      app = c.app;
      const before = await dbSnapshot(app.db);
      const callsBefore = (await sb.client.calls(c.org)).length;
      const anonymous = new AppSession(app.url);
      const bogus = crypto.randomBytes(32).toString('base64url');

      for (const path of protectedGets) {
        for (const res of [await anonymous.get(path), await raw(`${app.url}${path}`, { cookie: bogus })]) {
          expect(res.status, path).toBe(303);
          expect(res.location?.origin).toBe(app.url);
          expect(res.location?.pathname).toBe('/signin');
          // The path only: a callback's grant code must not travel on in next=.
          expect(res.location?.searchParams.get('next')).toBe(new URL(path, app.url).pathname);
          expect(res.location?.search).not.toContain('code');
        }
      }
      for (const [path, fields] of protectedPosts) {
        const res = await anonymous.post(path, fields);
        expect(res.status, path).toBe(401);
        // A cookie that is no session, even with the CSRF token derived from it.
        const forged = await raw(`${app.url}${path}`, {
          method: 'POST',
          cookie: bogus,
          form: { ...fields, _csrf: csrfToken(bogus) },
        });
        expect(forged.status, path).toBe(401);
      }

      expect(await dbSnapshot(app.db)).toEqual(before);
      expect((await sb.client.calls(c.org)).length).toBe(callsBefore);
      expect(anonymous.browser.hasCookie(SESSION_COOKIE)).toBe(false);
    });
  });

  describe('CSRF', () => {
    it('refuses a POST without the form token, with a wrong one or with another session’s (403), changing nothing', async () => {
      const c = await connectedApp(sb, kind);
      app = c.app;
      const sam = await app.signIn('usr_sam');
      const samCsrf = csrfToken(sam.browser.cookie(SESSION_COOKIE)!);
      const before = await dbSnapshot(app.db);
      const callsBefore = (await sb.client.calls(c.org)).length;

      for (const [path, fields] of protectedPosts) {
        for (const csrf of [undefined, '', 'wrong', samCsrf, `${samCsrf}x`]) {
          const res = await c.session.post(
            path,
            csrf === undefined ? fields : { ...fields, _csrf: csrf },
            false,
          );
          expect(res.status, `${path} with ${csrf}`).toBe(403);
        }
      }

      expect(await dbSnapshot(app.db)).toEqual(before);
      expect((await sb.client.calls(c.org)).length).toBe(callsBefore);
      // Alex is still signed in and connected; the same forms with the right token work.
      const page = await c.session.get('/integrations');
      expect(page.status).toBe(200);
      expect(page.html).toContain('data-status="connected"');
      const saved = await c.session.post('/integrations/zoho/settings', { new_attendee_module: 'Leads' });
      expect(localTarget(saved.location)).toBe('/integrations?done=saved');
    });
  });

  describe('workspaces', () => {
    it('an admin of another workspace sees nothing of alex’s and cannot touch his connection', async () => {
      const c = await connectedApp(sb, kind, { name: 'Alex Private Org' });
      app = c.app;
      const alexZoho = zohoEmail(c.org);
      const olga = await app.signIn(otherAdmin.id);
      const alexBefore = await connectionSnapshot(app.db, 'ws_demo', 'usr_alex');

      const page = await olga.get('/integrations');
      expect(page.status).toBe(200);
      expect(page.html).toContain(otherWorkspace.name);
      expect(page.html).toContain('id="team-connections"');
      expect(page.html).toContain(`${otherAdmin.name} (${otherAdmin.email})`);
      for (const secret of [alexZoho, 'Alex Private Org', 'Alex Morgan', 'alex@peposmart.test', 'Sam Rivera'])
        expect(page.html, secret).not.toContain(secret);
      expect(page.html).toContain('data-status="not_connected"');

      // Her own (empty) disconnect page does not show alex's org either.
      const confirm = await olga.get('/integrations/zoho/disconnect');
      expect(confirm.status).toBe(303);
      expect(localTarget(confirm.location)).toBe('/integrations');

      expect((await olga.post('/integrations/zoho/disconnect')).status).toBe(303);
      expect((await olga.post('/integrations/zoho/check')).status).toBe(303);
      const saved = await olga.post('/integrations/zoho/settings', { new_attendee_module: 'Leads' });
      expect(localTarget(saved.location)).toBe('/integrations?done=saved');

      expect(await connectionSnapshot(app.db, 'ws_demo', 'usr_alex')).toEqual(alexBefore);
      expect(await callsTo(sb.client, c.org, revokeCall)).toEqual([]);
      // Her settings went to her own connection row.
      const hers = await findConnection(app.db, otherWorkspace.id, otherAdmin.id);
      expect(hers?.settings.newAttendeeModule).toBe('Leads');
      expect(hers?.status).toBe('not_connected');
      const alexPage = await c.session.get('/integrations');
      expect(alexPage.html).toContain('data-status="connected"');
      expect(alexPage.html).toContain(alexZoho);
    });

    it('a member sees no team table and cannot touch alex’s connection; the admin sees the member', async () => {
      const c = await connectedApp(sb, kind);
      app = c.app;
      const alexZoho = zohoEmail(c.org);
      const sam = await app.signIn('usr_sam');
      const alexBefore = await connectionSnapshot(app.db, 'ws_demo', 'usr_alex');

      const samPage = await sam.get('/integrations');
      expect(samPage.status).toBe(200);
      expect(samPage.html).not.toContain('id="team-connections"');
      expect(samPage.html).not.toContain('Team connections');
      expect(samPage.html).not.toContain(alexZoho);
      expect(samPage.html).toContain('data-status="not_connected"');

      await sam.post('/integrations/zoho/disconnect');
      await sam.post('/integrations/zoho/check');
      await sam.post('/integrations/zoho/settings', { new_attendee_module: 'Leads' });
      expect(await connectionSnapshot(app.db, 'ws_demo', 'usr_alex')).toEqual(alexBefore);
      expect(await callsTo(sb.client, c.org, revokeCall)).toEqual([]);

      const alexPage = await c.session.get('/integrations');
      const table = /<table id="team-connections">[\s\S]*?<\/table>/.exec(alexPage.html)?.[0] ?? '';
      expect(table).toContain('Sam Rivera (sam@peposmart.test)');
      expect(table).toContain('Alex Morgan (alex@peposmart.test)');
      expect(table).toContain(alexZoho);
      expect(table).not.toContain(otherAdmin.email);
    });
  });

  describe('handoff sign-in', () => {
    const secret = crypto.randomBytes(32).toString('hex');
    registerSecret(secret);
    let clock: ReturnType<typeof manualClock>;
    let seq = 0;

    async function handoffApp(withSecret = true) {
      clock = manualClock();
      app = await startTestApp({
        kind,
        sandbox: sb.sandbox,
        sandboxBase: sb.base,
        clock,
        ...(withSecret ? { handoffSecret: secret } : {}),
      });
      return app;
    }

    function claims(over: Partial<HandoffClaims> = {}): HandoffClaims {
      const now = Math.floor(clock.now().getTime() / 1000);
      const n = ++seq;
      return {
        jti: crypto.randomUUID(),
        iat: now,
        exp: now + 120,
        workspace: { id: 'ws_acme', name: 'Acme Scheduling' },
        user: { id: `usr_nora_${n}`, email: `nora.${n}@acme.test`, name: `Nora New ${n}`, role: 'member' },
        ...over,
      };
    }

    const handoffUrl = (token: string, next?: string) =>
      `${app!.url}/auth/handoff?${new URLSearchParams({ token, ...(next === undefined ? {} : { next }) })}`;

    it('a valid token signs in, creates the workspace and user, and goes to next; reused → 401', async () => {
      await handoffApp();
      const c = claims();
      const token = signHandoff(secret, c);
      const session = new AppSession(app!.url);

      const res = await session.get(handoffUrl(token, '/integrations?done=saved'));
      expect(res.status).toBe(303);
      expect(res.location?.origin).toBe(app!.url);
      expect(localTarget(res.location)).toBe('/integrations?done=saved');
      expect(session.browser.hasCookie(SESSION_COOKIE)).toBe(true);

      const page = await session.get('/integrations');
      expect(page.status).toBe(200);
      expect(page.html).toContain(c.user.name);
      expect(page.html).toContain('Acme Scheduling');
      const user = await findUser(app!.db, 'ws_acme', c.user.id);
      expect(user).toMatchObject({ email: c.user.email, role: 'member', workspaceName: 'Acme Scheduling' });
      // The session is a real one: a form with its CSRF token goes through.
      const saved = await session.post('/integrations/zoho/settings', { new_attendee_module: 'Leads' });
      expect(localTarget(saved.location)).toBe('/integrations?done=saved');

      const before = await dbSnapshot(app!.db);
      const replay = await raw(handoffUrl(token, '/integrations'));
      expect(replay.status).toBe(401);
      expect(replay.setsSession).toBe(false);
      expect(await dbSnapshot(app!.db)).toEqual(before);
    });

    type Forge = () => string;
    const b64 = (v: unknown) =>
      Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    const hmac = (body: string, key = secret) =>
      crypto.createHmac('sha256', key).update(body).digest('base64url');
    const forgeries: Array<[string, Forge]> = [
      ['signed with another secret', () => signHandoff(crypto.randomBytes(32).toString('hex'), claims())],
      [
        'claims changed after signing',
        () => {
          const [body, sig] = signHandoff(secret, claims()).split('.');
          const changed = {
            ...JSON.parse(Buffer.from(body!, 'base64url').toString()),
            user: { ...claims().user, role: 'admin' },
          };
          return `${b64(changed)}.${sig}`;
        },
      ],
      [
        'expired',
        () => {
          const now = Math.floor(clock.now().getTime() / 1000);
          return signHandoff(secret, claims({ iat: now - 200, exp: now - 1 }));
        },
      ],
      [
        'a lifetime over 5 minutes',
        () => {
          const now = Math.floor(clock.now().getTime() / 1000);
          return signHandoff(secret, claims({ iat: now, exp: now + 301 }));
        },
      ],
      [
        'issued in the future',
        () => {
          const now = Math.floor(clock.now().getTime() / 1000);
          return signHandoff(secret, claims({ iat: now + 600, exp: now + 700 }));
        },
      ],
      ['malformed: no signature', () => b64(claims())],
      ['malformed: three parts', () => `${signHandoff(secret, claims())}.x`],
      ['malformed: empty', () => ''],
      ['malformed: garbage', () => 'not-a-token'],
      ['malformed: a signed body that is not JSON', () => `${b64('not json')}.${hmac(b64('not json'))}`],
      [
        'malformed: signed claims missing the user',
        () => {
          const { user: _, ...rest } = claims();
          const body = b64(rest);
          return `${body}.${hmac(body)}`;
        },
      ],
      [
        'a user id that belongs to another workspace',
        () =>
          signHandoff(
            secret,
            claims({ user: { id: 'usr_alex', email: 'x@acme.test', name: 'Mallory', role: 'admin' } }),
          ),
      ],
    ];

    it.each(forgeries)('refuses a token %s with 401 and changes nothing', async (_, forge) => {
      await handoffApp();
      const token = forge();
      const before = await dbSnapshot(app!.db);
      const res = await raw(handoffUrl(token, '/integrations'));
      expect(res.status).toBe(401);
      expect(res.setsSession).toBe(false);
      expect(await dbSnapshot(app!.db)).toEqual(before);
    });

    it('refuses a request without a token with 401', async () => {
      await handoffApp();
      const res = await raw(`${app!.url}/auth/handoff`);
      expect(res.status).toBe(401);
      expect(res.setsSession).toBe(false);
    });

    it('refuses a token that expired while the link waited (app clock moved)', async () => {
      await handoffApp();
      const token = signHandoff(secret, claims());
      clock.advance(3 * 60_000);
      const res = await raw(handoffUrl(token));
      expect(res.status).toBe(401);
      expect(res.setsSession).toBe(false);
    });

    it.each([
      '//evil.example',
      '//evil.example/integrations',
      '/\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      'integrations',
      '',
    ])('never redirects off the app after sign-in: next=%j → /integrations', async (next) => {
      await handoffApp();
      const res = await raw(handoffUrl(signHandoff(secret, claims()), next));
      expect(res.status).toBe(303);
      expect(res.setsSession).toBe(true);
      expect(res.location?.origin).toBe(app!.url);
      expect(localTarget(res.location)).toBe('/integrations');
    });

    // safeNext (src/web/auth.ts) lets control characters through. Browsers drop tabs and
    // newlines inside a URL, so `Location: /<TAB>/evil.example` is followed as
    // `//evil.example`: an open redirect. CR or LF make the reply itself fail (HTTP 500,
    // after the token was spent and a session row stored). See the report.
    it.each(['/\t/evil.example', '/\n/evil.example'])(
      'never redirects off the app after sign-in, even with control characters: next=%j',
      async (next) => {
        await handoffApp();
        const res = await raw(handoffUrl(signHandoff(secret, claims()), next));
        expect(res.location?.origin).toBe(app!.url);
        expect(res.status).toBe(303);
        expect(localTarget(res.location)).toBe('/integrations');
      },
    );

    it('is switched off (404) when no handoff secret is configured', async () => {
      await handoffApp(false);
      const res = await raw(handoffUrl(signHandoff(secret, claims())));
      expect(res.status).toBe(404);
      expect(res.setsSession).toBe(false);
    });
  });

  describe('sessions', () => {
    it('sign-out ends the session: the old cookie no longer works; other sessions stay', async () => {
      const c = await connectedApp(sb, kind);
      app = c.app;
      const other = await app.signIn('usr_alex');
      const old = c.session.browser.cookie(SESSION_COOKIE)!;

      const out = await c.session.post('/signout');
      expect(out.status).toBe(303);
      expect(localTarget(out.location)).toBe('/signin');
      expect(c.session.browser.cookie(SESSION_COOKIE) ?? '').toBe('');

      const page = await raw(`${app.url}/integrations`, { cookie: old });
      expect(page.status).toBe(303);
      expect(page.location?.pathname).toBe('/signin');
      const post = await raw(`${app.url}/integrations/zoho/disconnect`, {
        method: 'POST',
        cookie: old,
        form: { _csrf: csrfToken(old) },
      });
      expect(post.status).toBe(401);
      expect((await findConnection(app.db, 'ws_demo', 'usr_alex'))?.status).toBe('connected');
      const hash = crypto.createHash('sha256').update(old).digest('hex');
      const { rows } = await app.db.query('SELECT 1 FROM sessions WHERE token_hash = $1', [hash]);
      expect(rows).toEqual([]);

      expect((await other.get('/integrations')).status).toBe(200);
    });

    it.each(['/integrations?done=saved', '//evil.example', 'https://evil.example/', '/\t/evil.example'])(
      'sandbox sign-in goes to next=%j only when it is a path on the app',
      async (next) => {
        app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base });
        const s = new AppSession(app.url);
        const res = await s.post('/signin', { workspace_id: 'ws_demo', user_id: 'usr_sam', next }, false);
        expect(res.status).toBe(303);
        expect(res.location?.origin).toBe(app.url);
        expect(localTarget(res.location)).toBe(next.startsWith('/i') ? next : '/integrations');
      },
    );

    it('a session older than its lifetime no longer works', async () => {
      const clock = manualClock();
      app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base, clock });
      const alex = await app.signIn('usr_alex');
      expect((await alex.get('/integrations')).status).toBe(200);
      clock.advance(SESSION_TTL_MS + 60_000);
      const res = await alex.get('/integrations');
      expect(res.status).toBe(303);
      expect(res.location?.pathname).toBe('/signin');
      expect((await alex.post('/integrations/zoho/check')).status).toBe(401);
    });
  });
});

describe('starting a connect from another site', () => {
  const sb2 = useSandbox();
  it('is refused when the browser says the request came from another site', async () => {
    const app = await startTestApp({ kind: 'pglite', sandbox: sb2.sandbox, sandboxBase: sb2.base });
    try {
      const alex = await app.signIn('usr_alex');
      const cookie = `pepo_session=${alex.browser.cookie('pepo_session')}`;
      const cross = await fetch(`${app.url}/integrations/zoho/connect`, {
        headers: { cookie, 'sec-fetch-site': 'cross-site' },
        redirect: 'manual',
      });
      expect(cross.status).toBe(403);
      const own = await fetch(`${app.url}/integrations/zoho/connect`, {
        headers: { cookie, 'sec-fetch-site': 'same-origin' },
        redirect: 'manual',
      });
      expect(own.status).toBe(303);
    } finally {
      await app.close();
    }
  });
});
