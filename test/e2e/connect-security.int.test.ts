import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../sandbox/ids.ts';
import { describeProblem } from '../../src/connections/problems.ts';
import { requestedScopes } from '../../src/connections/scopes.ts';
import { type AppSession, otherAdmin, otherWorkspace, startTestApp, type TestApp } from '../helpers/app.ts';
import {
  beginConnect,
  callsTo,
  cardProblem,
  clearFaults,
  connectionSnapshot,
  consent,
  exchangeCall,
  expectNotConnected,
  expectProblemOnCard,
  injectFault,
  localTarget,
  manualClock,
  startSpyServer,
  textOf,
} from '../helpers/connect-steps.ts';
import { databaseKinds } from '../helpers/db.ts';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

/**
 * The OAuth `state` and the data-centre checks of connecting, as a user (or someone
 * tampering with the redirect) hits them through HTTP: a state is single-use, bound to the
 * user who started the connect and short-lived; Zoho's accounts server and API domain must
 * be one of the known data centres before a code or token is sent there.
 */
const sb = useSandbox();
let spy: Awaited<ReturnType<typeof startSpyServer>>;
beforeAll(async () => {
  spy = await startSpyServer();
});
afterAll(async () => {
  await spy?.close();
});

const minutes = (n: number) => n * 60_000;

/** The sandbox's record of a grant code: `used` once it was exchanged anywhere in the sandbox. */
const codeRecord = (callback: URL) =>
  sb.sandbox.core.state.codes[hashToken(callback.searchParams.get('code')!)];

describe.each(databaseKinds)('connect security on %s', (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    spy.hits.length = 0;
    await clearFaults(sb.client);
  });

  async function start(options: Partial<Parameters<typeof startTestApp>[0]> = {}) {
    app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base, ...options });
    return app;
  }

  /** An org with two Zoho users, one per PepoSmart user who connects in a test. */
  async function twoUserOrg(dc: 'us' | 'eu' = 'us') {
    const org = await sb.client.createOrg({
      name: `Security Org ${dc}`,
      data_center: dc,
      users: [
        { email: uniqueEmail('alex'), first_name: 'Alex', last_name: 'Zoho', profile: 'Administrator' },
        { email: uniqueEmail('sam'), first_name: 'Sam', last_name: 'Zoho', profile: 'Standard' },
      ],
    });
    return { org, alexZoho: org.users[0]!.email, otherZoho: org.users[1]!.email };
  }

  /** Where a callback whose state matches nothing lands: a one-off notice, nothing on the card (L4). */
  const stateRefused = '/integrations?failed=state_invalid';

  /** The landing page explains the refused state once; the card itself shows no problem. */
  async function expectStateNotice(session: AppSession) {
    const page = await session.get(stateRefused);
    expect(page.status).toBe(200);
    const notice = /<div class="problem" id="connect-notice"[^>]*>([\s\S]*?)<\/div>/.exec(page.html)?.[1];
    expect(textOf(notice ?? '')).toContain(describeProblem('state_invalid').title);
    expect(cardProblem(page.html)).toBeUndefined();
    expect((await session.get('/integrations')).html).not.toContain('id="connect-notice"');
  }

  /** Presents `callback` to the app as `session`; the app answers with a redirect to the card. */
  async function presentCallback(session: AppSession, callback: URL | string) {
    const res = await session.get(callback.toString());
    expect(res.status).toBe(303);
    return localTarget(res.location);
  }

  describe('state', () => {
    it('refuses a replayed callback and leaves the connection as it was', async () => {
      await start();
      const { org, alexZoho } = await twoUserOrg();
      const alex = await app!.signIn('usr_alex');
      const callback = await consent(sb.base, await beginConnect(alex), alexZoho);
      expect(await presentCallback(alex, callback)).toBe('/integrations?done=connected');
      const before = await connectionSnapshot(app!.db, 'ws_demo', 'usr_alex');
      expect(before.connection?.['status']).toBe('connected');

      expect(await presentCallback(alex, callback)).toBe(stateRefused);

      // A working connection's card is not defaced by a stray callback (anyone can link one).
      await expectStateNotice(alex);
      const after = await connectionSnapshot(app!.db, 'ws_demo', 'usr_alex');
      // Nothing changed: same status, account, grant and tokens.
      for (const k of [
        'id',
        'status',
        'data_center',
        'accounts_server',
        'api_domain',
        'zoho_user_id',
        'zoho_user_email',
        'zoho_org_id',
        'connected_at',
      ])
        expect(after.connection?.[k], k).toEqual(before.connection?.[k]);
      expect(after.tokens).toEqual(before.tokens);
      // The code was not taken to Zoho a second time, and the grant was not revoked.
      expect((await callsTo(sb.client, org, exchangeCall)).length).toBe(1);
      expect(await callsTo(sb.client, org, '/oauth/v2/token/revoke')).toEqual([]);
    });

    it.each([
      ['usr_sam', 'ws_demo', 'another user of the same workspace'],
      [otherAdmin.id, otherWorkspace.id, 'an admin of another workspace'],
    ])(
      'refuses alex’s state presented by %s (%s, %s) with a valid code of their own',
      async (userId, workspaceId) => {
        await start();
        const { org, alexZoho, otherZoho } = await twoUserOrg();
        const alex = await app!.signIn('usr_alex');
        const other = await app!.signIn(userId, workspaceId);
        const alexStart = await beginConnect(alex);

        // They start a connect of their own and consent, then swap in alex's state.
        const ownCallback = await consent(sb.base, await beginConnect(other), otherZoho);
        const forged = new URL(ownCallback);
        forged.searchParams.set('state', alexStart.state);
        expect(await presentCallback(other, forged)).toBe(stateRefused);

        await expectStateNotice(other);
        await expectNotConnected(app!.db, workspaceId, userId);
        expect(codeRecord(ownCallback)?.used).toBe(false);
        expect(await callsTo(sb.client, org, exchangeCall)).toEqual([]);

        // Alex's state was not spent by the refused attempt: alex can still finish connecting.
        const alexCallback = await consent(sb.base, alexStart, alexZoho);
        expect(await presentCallback(alex, alexCallback)).toBe('/integrations?done=connected');
        const page = await alex.get('/integrations');
        expect(page.html).toContain('data-status="connected"');
        expect(page.html).toContain(alexZoho);
        await expectNotConnected(app!.db, workspaceId, userId);
      },
    );

    it.each([
      ['usr_sam', 'ws_demo'],
      [otherAdmin.id, otherWorkspace.id],
    ])(
      'refuses alex’s whole callback replayed by %s (%s): no tokens for them',
      async (userId, workspaceId) => {
        await start();
        const { org, alexZoho } = await twoUserOrg();
        const alex = await app!.signIn('usr_alex');
        const other = await app!.signIn(userId, workspaceId);
        const alexCallback = await consent(sb.base, await beginConnect(alex), alexZoho);

        expect(await presentCallback(other, alexCallback)).toBe(stateRefused);

        await expectStateNotice(other);
        await expectNotConnected(app!.db, workspaceId, userId);
        const otherPage = await other.get('/integrations');
        expect(otherPage.html).not.toContain(alexZoho);
        // The code was never exchanged: Zoho issued nothing the other user could hold.
        expect(codeRecord(alexCallback)?.used).toBe(false);
        expect(await callsTo(sb.client, org, exchangeCall)).toEqual([]);
        expect(app!.issuedTokens).toEqual([]);

        // Alex, whose connect it was, can still complete it.
        expect(await presentCallback(alex, alexCallback)).toBe('/integrations?done=connected');
        await expectNotConnected(app!.db, workspaceId, userId);
      },
    );

    it('refuses a state older than 10 minutes, and accepts one just younger', async () => {
      const clock = manualClock();
      await start({ clock });
      const { org, alexZoho } = await twoUserOrg();
      const alex = await app!.signIn('usr_alex');

      const stale = await beginConnect(alex);
      const staleCallback = await consent(sb.base, stale, alexZoho);
      clock.advance(minutes(11));
      expect(await presentCallback(alex, staleCallback)).toBe(stateRefused);
      await expectStateNotice(alex);
      await expectNotConnected(app!.db, 'ws_demo', 'usr_alex');
      expect(codeRecord(staleCallback)?.used).toBe(false);
      expect(await callsTo(sb.client, org, exchangeCall)).toEqual([]);

      const fresh = await beginConnect(alex);
      const freshCallback = await consent(sb.base, fresh, alexZoho);
      clock.advance(minutes(9));
      expect(await presentCallback(alex, freshCallback)).toBe('/integrations?done=connected');
    });

    it('refuses a callback without a state, or with an unknown one', async () => {
      await start();
      const { org, alexZoho } = await twoUserOrg();
      const alex = await app!.signIn('usr_alex');
      for (const change of [
        (q: URLSearchParams) => q.delete('state'),
        (q: URLSearchParams) => q.set('state', ''),
        (q: URLSearchParams) => q.set('state', crypto.randomBytes(32).toString('base64url')),
      ]) {
        const callback = await consent(sb.base, await beginConnect(alex), alexZoho);
        change(callback.searchParams);
        expect(await presentCallback(alex, callback)).toBe(stateRefused);
        await expectStateNotice(alex);
        expect(codeRecord(callback)?.used).toBe(false);
      }
      await expectNotConnected(app!.db, 'ws_demo', 'usr_alex');
      expect(await callsTo(sb.client, org, exchangeCall)).toEqual([]);
    });
  });

  describe('accounts server named in the callback', () => {
    type Tamper = (q: URLSearchParams, ctx: { base: string; spy: string }) => void;
    const tampers: Array<[string, Tamper]> = [
      [
        'an accounts server outside the data centres',
        (q) => q.set('accounts-server', 'https://accounts.evil.example'),
      ],
      [
        'a look-alike of Zoho’s US accounts server',
        (q) => q.set('accounts-server', 'https://accounts.zoho.com.evil.example'),
      ],
      [
        'Zoho’s real accounts server, which is not a sandbox DC',
        (q) => q.set('accounts-server', 'https://accounts.zoho.com'),
      ],
      [
        'a known accounts server with a suffix',
        (q, c) => q.set('accounts-server', `${c.base}/us/accounts.evil.example`),
      ],
      [
        'a known accounts server with a path below it',
        (q, c) => q.set('accounts-server', `${c.base}/us/accounts/x`),
      ],
      ['a server the attacker runs', (q, c) => q.set('accounts-server', `${c.spy}/us/accounts`)],
      ['a location that disagrees with the accounts server', (q) => q.set('location', 'eu')],
      ['an unknown location', (q) => q.set('location', 'xx')],
      [
        'an unknown location and no accounts server',
        (q) => {
          q.delete('accounts-server');
          q.set('location', 'evil');
        },
      ],
    ];

    it.each(tampers)('refuses %s as untrusted_server before sending the code anywhere', async (_, tamper) => {
      await start();
      const { org, alexZoho } = await twoUserOrg();
      const alex = await app!.signIn('usr_alex');
      const callback = await consent(sb.base, await beginConnect(alex), alexZoho);
      expect(callback.searchParams.get('location')).toBe('us');
      tamper(callback.searchParams, { base: sb.base, spy: spy.url });

      expect(await presentCallback(alex, callback)).toBe('/integrations');

      await expectProblemOnCard(alex, 'untrusted_server');
      await expectNotConnected(app!.db, 'ws_demo', 'usr_alex');
      // No token request reached the sandbox's accounts servers, nor the server the test runs,
      // and the code is still unused.
      expect((await sb.client.calls(org)).map((c) => c.path)).not.toContain(exchangeCall);
      expect(spy.hits).toEqual([]);
      expect(codeRecord(callback)?.used).toBe(false);
      expect(app!.issuedTokens).toEqual([]);
    });

    // Fastify parses a repeated query parameter into an array; connect.ts treats each as a
    // string and throws a TypeError (HTTP 500, nothing on the card). No request leaves the
    // app, but the user gets an error page instead of the explanation. See the report.
    it.each([
      ['accounts-server', 'untrusted_server'],
      ['state', 'state_invalid'],
    ])('refuses a repeated %s parameter as %s, sending the code nowhere', async (param, problem) => {
      const refusedState = problem === 'state_invalid';
      await start();
      const { org, alexZoho } = await twoUserOrg();
      const alex = await app!.signIn('usr_alex');
      const callback = await consent(sb.base, await beginConnect(alex), alexZoho);
      callback.searchParams.append(param, param === 'accounts-server' ? `${spy.url}/us/accounts` : 'eu');

      const res = await alex.get(callback.toString());

      expect(spy.hits).toEqual([]);
      expect((await sb.client.calls(org)).map((c) => c.path)).not.toContain(exchangeCall);
      expect(codeRecord(callback)?.used).toBe(false);
      await expectNotConnected(app!.db, 'ws_demo', 'usr_alex');
      expect(res.status).toBe(303);
      expect(localTarget(res.location)).toBe(refusedState ? stateRefused : '/integrations');
      if (refusedState) await expectStateNotice(alex);
      else await expectProblemOnCard(alex, problem);
    });
  });

  describe('API domain named in the token reply', () => {
    /**
     * The code exchange answered by a fault: HTTP 200 with real tokens of the org's user
     * (from a self client, so the sandbox can show they were revoked) and `api_domain`.
     */
    async function exchangeAnsweredWith(org: CreatedOrg, apiDomain: string) {
      const real = await sb.client.tokens(org, 'ZohoCRM.users.READ,ZohoCRM.org.READ');
      await injectFault(sb.client, {
        dc: org.data_center,
        method: 'POST',
        path: '^/oauth/v2/token$',
        status: 200,
        body: {
          access_token: real.access_token,
          refresh_token: real.refresh_token,
          api_domain: apiDomain,
          token_type: 'Bearer',
          expires_in: 3600,
        },
      });
      return real;
    }

    it.each([
      ['outside the data centres', () => 'https://www.zohoapis.evil.example'],
      ['a look-alike of a known one', () => `${sb.base}/eu/api.evil.example`],
      ['a server the attacker runs', () => spy.url],
      ['of another real data centre (US for an EU org)', () => `${sb.base}/us/api`],
    ])('refuses an API domain %s as untrusted_server and revokes the grant', async (_, apiDomain) => {
      await start();
      const { org, alexZoho } = await twoUserOrg('eu');
      const alex = await app!.signIn('usr_alex');
      const callback = await consent(sb.base, await beginConnect(alex), alexZoho);
      expect(callback.searchParams.get('location')).toBe('eu');
      const real = await exchangeAnsweredWith(org, apiDomain());

      expect(await presentCallback(alex, callback)).toBe('/integrations');

      await expectProblemOnCard(alex, 'untrusted_server');
      await expectNotConnected(app!.db, 'ws_demo', 'usr_alex');
      // The access token was never sent to an API domain: not the test's server, not the
      // sandbox's (a call with it would be in the org's log).
      expect(spy.hits).toEqual([]);
      const calls = await sb.client.calls(org);
      expect(calls.filter((c) => c.path.startsWith('/crm/'))).toEqual([]);
      // The refresh token Zoho issued was revoked at the org's accounts server.
      const revokes = calls.filter((c) => c.path === '/oauth/v2/token/revoke');
      // (The call log also names the dc, which SandboxClient's type leaves out.)
      expect(revokes.map((c) => [c.status, (c as { dc?: string }).dc])).toEqual([[200, 'eu']]);
      expect(sb.sandbox.core.state.refresh_tokens[hashToken(real.refresh_token!)]).toBeUndefined();
    });
  });

  it('sends the user to Zoho’s authorization page with exactly the parameters connecting needs', async () => {
    await start();
    const alex = await app!.signIn('usr_alex');
    const first = await beginConnect(alex);
    const second = await beginConnect(alex);

    expect(`${first.location.origin}${first.location.pathname}`).toBe(`${sb.base}/us/accounts/oauth/v2/auth`);
    const p = first.params;
    expect(Object.keys(p).sort()).toEqual(
      [
        'access_type',
        'client_id',
        'code_challenge',
        'code_challenge_method',
        'prompt',
        'redirect_uri',
        'response_type',
        'scope',
        'state',
      ].sort(),
    );
    expect(p['response_type']).toBe('code');
    expect(p['client_id']).toBe(app!.client.clientId);
    expect(p['redirect_uri']).toBe(app!.client.redirectUri);
    expect(p['access_type']).toBe('offline');
    expect(p['prompt']).toBe('consent');
    expect(p['code_challenge_method']).toBe('S256');
    expect(p['code_challenge']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p['scope']!.split(',')).toEqual([...requestedScopes]);

    // A fresh, unguessable state and PKCE challenge per connect.
    expect(first.state).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(second.state).not.toBe(first.state);
    expect(second.params['code_challenge']).not.toBe(p['code_challenge']);

    // Only the state's hash is stored; the challenge is S256 of the stored (sealed) verifier.
    const stateHash = crypto.createHash('sha256').update(first.state).digest('hex');
    const { rows } = await app!.db.query<{ state_hash: string; code_verifier: string; user_id: string }>(
      'SELECT state_hash, code_verifier, user_id FROM oauth_states',
    );
    expect(rows.map((r) => r.state_hash)).not.toContain(first.state);
    const row = rows.find((r) => r.state_hash === stateHash)!;
    expect(row.user_id).toBe('usr_alex');
    const verifier = app!.deps.vault.open(row.code_verifier, stateHash);
    expect(row.code_verifier).not.toContain(verifier);
    expect(crypto.createHash('sha256').update(verifier).digest('base64url')).toBe(p['code_challenge']);
  });

  it('still connects after refused attempts (the checks do not block the honest path)', async () => {
    await start();
    const { org, alexZoho } = await twoUserOrg();
    const alex = await app!.signIn('usr_alex');
    const bad = await consent(sb.base, await beginConnect(alex), alexZoho);
    bad.searchParams.set('accounts-server', 'https://accounts.evil.example');
    await presentCallback(alex, bad);
    await expectProblemOnCard(alex, 'untrusted_server');

    const good = await consent(sb.base, await beginConnect(alex), alexZoho);
    expect(await presentCallback(alex, good)).toBe('/integrations?done=connected');
    const page = await alex.get('/integrations');
    expect(page.html).not.toContain('id="zoho-problem"');
    expect(await callsTo(sb.client, org, '/oauth/v2/token/revoke')).toEqual([]);
  });
});
