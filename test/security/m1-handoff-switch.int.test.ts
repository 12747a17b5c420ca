import { afterEach, describe, expect, it } from 'vitest';
import type { HandoffClaims } from '../../src/users/handoff.ts';
import { signHandoff } from '../../src/users/handoff.ts';
import { findUser } from '../../src/users/repo.ts';
import { csrfToken, SESSION_COOKIE } from '../../src/users/sessions.ts';
import { AppSession, startTestApp, type TestApp } from '../helpers/app.ts';
import { localTarget, manualClock } from '../helpers/connect-steps.ts';
import { databaseKinds } from '../helpers/db.ts';
import { hiddenFields } from '../helpers/oauth-flow.ts';
import { useSandbox } from '../helpers/sandbox.ts';
import { handoffClaims, handoffPath, handoffSecret, raw, setsSession, signedInAs } from './auth-helpers.ts';

/**
 * M1: login CSRF through /auth/handoff. A page on another site could navigate a signed-in victim
 * to /auth/handoff?token=<the attacker's own valid token> and silently replace the victim's
 * session with the attacker's (a Connect the victim then clicked gave the attacker's PepoSmart
 * user the victim's Zoho grant). Now a different user's link asks first: a page naming both,
 * a POST (CSRF token of the current session) to switch, a link to stay; the link's single use
 * is spent only by the switch.
 */
const sb = useSandbox();
const secret = handoffSecret();

describe.each(databaseKinds)('M1: a handoff link while another user is signed in, on %s', (kind) => {
  let app: TestApp | undefined;
  let clock: ReturnType<typeof manualClock>;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start() {
    clock = manualClock();
    app = await startTestApp({
      kind,
      sandbox: sb.sandbox,
      sandboxBase: sb.base,
      clock,
      handoffSecret: secret,
    });
    return app;
  }

  /** The victim: signed in by their own handoff link. */
  async function victim(claims = handoffClaims(clock)) {
    const s = new AppSession(app!.url);
    const res = await s.get(handoffPath(signHandoff(secret, claims)));
    expect(res.status).toBe(303);
    return { session: s, claims };
  }

  const spent = async (jti: string) =>
    (await app!.db.query('SELECT 1 FROM used_handoffs WHERE jti = $1', [jti])).rows.length > 0;

  const attackers: Array<[string, (victim: HandoffClaims) => Partial<HandoffClaims>]> = [
    ['a user of another workspace', () => ({ workspace: { id: 'ws_evil', name: 'Evil Corp' } })],
    ['another user of the same workspace', (v) => ({ workspace: v.workspace })],
    [
      'a user who took the victim’s name, in a workspace named like the victim’s',
      (v) => ({
        workspace: { id: 'ws_evil', name: v.workspace.name },
        user: { id: 'usr_evil', email: 'mallory@evil.test', name: v.user.name, role: 'admin' },
      }),
    ],
  ];

  it.each(attackers)(
    '%s: asks before switching, naming both; nothing changes until confirmed',
    async (_, make) => {
      await start();
      const v = await victim();
      const attacker = handoffClaims(clock, make(v.claims));
      const token = signHandoff(secret, attacker);
      const victimCookie = v.session.browser.cookie(SESSION_COOKIE)!;

      // What a cross-site navigation carries: the SameSite=Lax session cookie on a top-level GET.
      const res = await v.session.get(handoffPath(token, '/integrations?done=saved'));

      expect(res.status).toBe(200);
      expect(res.html).toContain('id="handoff-switch"');
      expect(res.html).toContain(v.claims.user.email);
      expect(res.html).toContain(attacker.user.email);
      expect(res.html).toContain(attacker.workspace.name);
      // The page never holds the link's token: nothing on it can sign anyone in.
      expect(res.html).not.toContain(token);
      expect(res.html).not.toContain(token.split('.')[1]);
      // The session is still the victim's, and the link is unspent and made nobody.
      expect(v.session.browser.cookie(SESSION_COOKIE)).toBe(victimCookie);
      expect(signedInAs((await v.session.get('/integrations')).html)).toContain(v.claims.user.name);
      expect(await spent(attacker.jti)).toBe(false);
      if (attacker.user.id !== v.claims.user.id)
        expect(await findUser(app!.db, attacker.workspace.id, attacker.user.id)).toBeUndefined();
    },
  );

  it('switches only on the page’s own POST with the current session’s CSRF token', async () => {
    await start();
    const v = await victim();
    const other = await victim();
    const attacker = handoffClaims(clock, { workspace: { id: 'ws_evil', name: 'Evil Corp' } });
    const ask = await v.session.get(handoffPath(signHandoff(secret, attacker), '/activity'));
    expect(ask.status).toBe(200);
    const form = hiddenFields(ask.html);
    expect(form['_csrf']).toBe(csrfToken(v.session.browser.cookie(SESSION_COOKIE)!));
    const action = /<form method="post" action="([^"]+)"/.exec(ask.html)?.[1];
    expect(action).toBe('/auth/handoff/switch');

    // Each forgery, as another site (or a stale tab) could send it: nothing changes.
    const victimCookies = {
      [SESSION_COOKIE]: v.session.browser.cookie(SESSION_COOKIE)!,
      pepo_handoff: v.session.browser.cookie('pepo_handoff')!,
    };
    const forgeries: Array<[string, Parameters<typeof raw>[1], number]> = [
      ['no CSRF token', { cookies: victimCookies, form: { ...form, _csrf: '' } }, 403],
      [
        'another session’s CSRF token',
        {
          cookies: victimCookies,
          form: { ...form, _csrf: csrfToken(other.session.browser.cookie(SESSION_COOKIE)!) },
        },
        403,
      ],
      [
        'no session cookie (a cross-site POST: SameSite=Lax)',
        { cookies: { pepo_handoff: victimCookies.pepo_handoff }, form },
        401,
      ],
      [
        'no pending link (SameSite=Strict keeps it from other sites)',
        { cookies: { [SESSION_COOKIE]: victimCookies[SESSION_COOKIE] }, form },
        400,
      ],
      ['another link’s id', { cookies: victimCookies, form: { ...form, jti: 'another-jti-0000' } }, 400],
    ];
    for (const [why, init, status] of forgeries) {
      const res = await raw(`${app!.url}/auth/handoff/switch`, { method: 'POST', ...init });
      expect(res.status, why).toBe(status);
      expect(setsSession(res), why).toBe(false);
      expect(await spent(attacker.jti), why).toBe(false);
    }
    expect(signedInAs((await v.session.get('/integrations')).html)).toContain(v.claims.user.name);

    const oldCookie = v.session.browser.cookie(SESSION_COOKIE)!;
    const switched = await v.session.post('/auth/handoff/switch', form, false);
    expect(switched.status).toBe(303);
    expect(localTarget(switched.location)).toBe('/activity');
    expect(signedInAs((await v.session.get('/integrations')).html)).toContain(attacker.user.name);
    expect(await spent(attacker.jti)).toBe(true);
    // The old session is over, not merely forgotten by this browser.
    const stale = await raw(`${app!.url}/integrations`, { cookies: { [SESSION_COOKIE]: oldCookie } });
    expect(stale.status).toBe(303);
    // Single use still holds: neither the link nor the switch works twice.
    expect(
      (
        await v.session.post(
          '/auth/handoff/switch',
          { ...form, _csrf: csrfToken(v.session.browser.cookie(SESSION_COOKIE)!) },
          false,
        )
      ).status,
    ).toBe(400);
    expect((await raw(`${app!.url}${handoffPath(signHandoff(secret, attacker))}`)).status).toBe(401);
  });

  it('keeps the link out of reach of other sites: HttpOnly, SameSite=Strict, only for the switch', async () => {
    await start();
    const v = await victim();
    const ask = await raw(`${app!.url}${handoffPath(signHandoff(secret, handoffClaims(clock)))}`, {
      cookies: { [SESSION_COOKIE]: v.session.browser.cookie(SESSION_COOKIE)! },
    });
    expect(ask.status).toBe(200);
    expect(ask.headers.get('cache-control')).toContain('no-store');
    const pending = ask.setCookies.find((c) => c.startsWith('pepo_handoff='));
    expect(pending).toBeDefined();
    expect(pending).toMatch(/; HttpOnly/i);
    expect(pending).toMatch(/; SameSite=Strict/i);
    expect(pending).toMatch(/; Path=\/auth\/handoff(;|$)/i);
    expect(Number(/Max-Age=(\d+)/i.exec(pending!)?.[1])).toBeLessThanOrEqual(120);
  });

  it('staying leaves the victim signed in and the link unspent', async () => {
    await start();
    const v = await victim();
    const attacker = handoffClaims(clock, { workspace: { id: 'ws_evil', name: 'Evil Corp' } });
    const ask = await v.session.get(handoffPath(signHandoff(secret, attacker)));
    const stay = /<a [^>]*href="([^"]+)"[^>]*id="handoff-stay"/.exec(ask.html)?.[1];
    expect(stay).toBe('/integrations');
    const page = await v.session.get(stay!);
    expect(signedInAs(page.html)).toContain(v.claims.user.name);
    expect(await spent(attacker.jti)).toBe(false);
  });

  it('the same user’s link, or any link with nobody signed in, signs in at once as before', async () => {
    await start();
    const v = await victim();
    const again = await v.session.get(
      handoffPath(signHandoff(secret, { ...v.claims, jti: crypto.randomUUID() }), '/activity'),
    );
    expect(again.status).toBe(303);
    expect(localTarget(again.location)).toBe('/activity');

    const fresh = handoffClaims(clock);
    const anonymous = await raw(`${app!.url}${handoffPath(signHandoff(secret, fresh))}`);
    expect(anonymous.status).toBe(303);
    expect(setsSession(anonymous)).toBe(true);
    expect(await spent(fresh.jti)).toBe(true);
  });

  it('a signed-in user’s expired, forged or used link is refused, not offered as a switch', async () => {
    await start();
    const v = await victim();
    const now = Math.floor(clock.now().getTime() / 1000);
    const used = signHandoff(secret, handoffClaims(clock));
    expect((await raw(`${app!.url}${handoffPath(used)}`)).status).toBe(303);
    for (const token of [
      signHandoff(secret, handoffClaims(clock, { iat: now - 200, exp: now - 1 })),
      signHandoff('another-secret-0123456789abcdef0123456789', handoffClaims(clock)),
      used,
    ]) {
      const res = await v.session.get(handoffPath(token));
      expect(res.status).toBe(401);
      expect(res.html).not.toContain('id="handoff-switch"');
    }
    expect(signedInAs((await v.session.get('/integrations')).html)).toContain(v.claims.user.name);
  });
});
