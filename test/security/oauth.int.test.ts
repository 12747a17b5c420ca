import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../sandbox/ids.ts';
import { type AppSession, otherAdmin, otherWorkspace, startTestApp, type TestApp } from '../helpers/app.ts';
import {
  beginConnect,
  type ConnectStart,
  callsTo,
  clearFaults,
  connectionSnapshot,
  consent,
  exchangeCall,
  expectNotConnected,
  injectFault,
  manualClock,
  startSpyServer,
} from '../helpers/connect-steps.ts';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

/**
 * The OAuth callback against someone who controls what reaches it (a link, a tampered
 * redirect, a hostile token reply): a `state` that is forged, another user's, replayed,
 * expired or bent stores nothing — no connection created or changed, no token, the grant code
 * never taken to Zoho; an accounts server or `location` outside Zoho's known data centres gets
 * neither the code nor the client secret; an API domain outside them never gets a token, and
 * the grant is revoked. Tables of variants beyond test/e2e/connect-security.int.test.ts,
 * which keeps the card's wording.
 */
const sb = useSandbox();
let spy: Awaited<ReturnType<typeof startSpyServer>>;
beforeAll(async () => {
  spy = await startSpyServer();
});
afterAll(async () => {
  await spy?.close();
});

interface World {
  app: TestApp;
  clock: ReturnType<typeof manualClock>;
  org: CreatedOrg;
  alex: AppSession;
  sam: AppSession;
  olga: AppSession;
  zoho: { alex: string; sam: string };
}

const codeOf = (callback: URL) => callback.searchParams.get('code') ?? '';
const codeUsed = (callback: URL) => sb.sandbox.core.state.codes[hashToken(codeOf(callback))]?.used;
const ids = {
  alex: ['ws_demo', 'usr_alex'],
  sam: ['ws_demo', 'usr_sam'],
  olga: [otherWorkspace.id, otherAdmin.id],
} as const;
type Who = keyof typeof ids;

// The state is the user's own secret against forged callbacks: tables of what a forger sends.
type StateCase = [string, Who, (w: World) => Promise<URL>];
const stateCases: StateCase[] = [
  ['no state', 'sam', async (w) => without(await own(w, 'sam'), 'state')],
  ['an empty state', 'sam', async (w) => withParam(await own(w, 'sam'), 'state', '')],
  [
    'a made-up state',
    'sam',
    async (w) => withParam(await own(w, 'sam'), 'state', crypto.randomBytes(32).toString('base64url')),
  ],
  [
    'another member’s state',
    'sam',
    async (w) => withParam(await own(w, 'sam'), 'state', (await beginConnect(w.alex)).state),
  ],
  [
    'another workspace’s state',
    'sam',
    async (w) => withParam(await own(w, 'sam'), 'state', (await beginConnect(w.olga)).state),
  ],
  ['the state one character short', 'sam', async (w) => bend(await own(w, 'sam'), (s) => s.slice(0, -1))],
  ['the state one character longer', 'sam', async (w) => bend(await own(w, 'sam'), (s) => `${s}A`)],
  ['the state in upper case', 'sam', async (w) => bend(await own(w, 'sam'), (s) => s.toUpperCase())],
  [
    'the state’s stored hash',
    'sam',
    async (w) => bend(await own(w, 'sam'), (s) => crypto.createHash('sha256').update(s).digest('hex')),
  ],
  [
    'the state given twice',
    'sam',
    async (w) => {
      const u = await own(w, 'sam');
      u.searchParams.append('state', u.searchParams.get('state')!);
      return u;
    },
  ],
  ['SQL as the state', 'sam', async (w) => withParam(await own(w, 'sam'), 'state', "' OR '1'='1")],
  ['a NUL in the state', 'sam', async (w) => bend(await own(w, 'sam'), (s) => `${s}\u0000`)],
  ['an 8 KB state', 'sam', async (w) => withParam(await own(w, 'sam'), 'state', 'a'.repeat(8_000))],
  [
    'a state older than 10 minutes',
    'sam',
    async (w) => {
      const u = await own(w, 'sam');
      w.clock.advance(11 * 60_000);
      return u;
    },
  ],
  [
    'a forged state with a Deny',
    'sam',
    async (w) => {
      const u = withParam(await own(w, 'sam'), 'state', 'forged');
      u.searchParams.set('error', 'access_denied');
      u.searchParams.delete('code');
      return u;
    },
  ],
  ['another member’s whole callback', 'sam', async (w) => own(w, 'alex')],
  ['another workspace’s whole callback', 'olga', async (w) => own(w, 'alex')],
  [
    'a made-up state on a working connection',
    'alex',
    async (w) => withParam(await own(w, 'alex'), 'state', 'forged'),
  ],
];

/**
 * A callback of `who`'s own: Connect, then Zoho's consent as their Zoho user. Zoho gives a
 * client 10 grant codes per ten minutes: the sandbox's clock moves on before that runs out.
 */
let consents = 0;
async function own(w: World, who: 'alex' | 'sam'): Promise<URL> {
  if (++consents % 8 === 0) await sb.client.advanceClock(601);
  const start: ConnectStart = await beginConnect(w[who]);
  return consent(sb.base, start, w.zoho[who]);
}
const withParam = (u: URL, k: string, v: string) => {
  u.searchParams.set(k, v);
  return u;
};
const without = (u: URL, k: string) => {
  u.searchParams.delete(k);
  return u;
};
const bend = (u: URL, f: (s: string) => string) => withParam(u, 'state', f(u.searchParams.get('state')!));

// The accounts server is where the code and the client secret go: only a known data centre's.
type ServerCase = [string, (q: URLSearchParams, c: { base: string; spy: string }) => void];
const host = (url: string) => new URL(url).host;
const serverCases: ServerCase[] = [
  ['the spy’s server', (q, c) => q.set('accounts-server', `${c.spy}/us/accounts`)],
  [
    'the sandbox’s host as user info before the spy',
    (q, c) => q.set('accounts-server', `http://${host(c.base)}@${host(c.spy)}/us/accounts`),
  ],
  [
    'the spy as user info before the sandbox',
    (q, c) => q.set('accounts-server', `http://${host(c.spy)}@${host(c.base)}/us/accounts`),
  ],
  ['the known server in upper case', (q, c) => q.set('accounts-server', `${c.base}/US/ACCOUNTS`)],
  [
    'the known server over https',
    (q, c) => q.set('accounts-server', `${c.base.replace('http:', 'https:')}/us/accounts`),
  ],
  [
    'the known server with another port',
    (q, c) => q.set('accounts-server', `http://127.0.0.1:${new URL(c.spy).port}/us/accounts`),
  ],
  [
    'the known server as localhost',
    (q, c) => q.set('accounts-server', `http://localhost:${new URL(c.base).port}/us/accounts`),
  ],
  ['the known server with a query', (q, c) => q.set('accounts-server', `${c.base}/us/accounts?x=1`)],
  ['the known server with a fragment', (q, c) => q.set('accounts-server', `${c.base}/us/accounts#x`)],
  [
    'the known server with dot segments',
    (q, c) => q.set('accounts-server', `${c.base}/us/accounts/../accounts`),
  ],
  ['the known server with an encoded slash', (q, c) => q.set('accounts-server', `${c.base}/us%2Faccounts`)],
  ['the known server with spaces around', (q, c) => q.set('accounts-server', ` ${c.base}/us/accounts `)],
  ['the known server with a tab inside', (q, c) => q.set('accounts-server', `${c.base}/us/acc\tounts`)],
  ['another DC’s prefix on the spy', (q, c) => q.set('accounts-server', `${c.spy}/eu/accounts`)],
  [
    'Zoho’s real US server (not this deployment’s)',
    (q) => q.set('accounts-server', 'https://accounts.zoho.com'),
  ],
  ['a javascript: URL', (q) => q.set('accounts-server', 'javascript:alert(1)')],
  [
    'an empty value and an unknown location',
    (q) => {
      q.set('accounts-server', '');
      q.set('location', 'evil');
    },
  ],
  ['a location with a trailing space', (q) => q.set('location', 'us ')],
  [
    'a location of __proto__',
    (q) => {
      q.delete('accounts-server');
      q.set('location', '__proto__');
    },
  ],
  [
    'a location of constructor',
    (q) => {
      q.delete('accounts-server');
      q.set('location', 'constructor');
    },
  ],
  ['a location that disagrees (CN)', (q) => q.set('location', 'cn')],
];

// The API domain receives every access token: only the connected DC's own.
type ApiCase = [string, (c: { base: string; spy: string }) => unknown, { revoked: boolean }?];
const apiCases: ApiCase[] = [
  ['the spy with the known domain as user info', (c) => `http://${host(c.base)}@${host(c.spy)}/us/api`],
  ['the known domain with a path below it', (c) => `${c.base}/us/api/x`],
  ['the known domain with a query', (c) => `${c.base}/us/api?x=1`],
  ['the known domain with another port', (c) => `http://127.0.0.1:${new URL(c.spy).port}/us/api`],
  ['the known domain over https', (c) => `${c.base.replace('http:', 'https:')}/us/api`],
  ['the accounts server instead of the API domain', (c) => `${c.base}/us/accounts`],
  ['no API domain at all', () => undefined],
  // A reply that does not parse is refused as a whole: no token is read from it, so none is
  // revoked either (Zoho keeps that grant until it ages out; nothing of it is stored here).
  ['a number', () => 42, { revoked: false }],
];

describe('OAuth callback tampering (pglite)', () => {
  let w: World;
  beforeAll(async () => {
    const clock = manualClock();
    const app = await startTestApp({ kind: 'pglite', sandbox: sb.sandbox, sandboxBase: sb.base, clock });
    const zoho = { alex: uniqueEmail('alex.z'), sam: uniqueEmail('sam.z') };
    const org = await sb.client.createOrg({
      users: [
        { email: zoho.alex, first_name: 'Alex', last_name: 'Z', profile: 'Administrator' },
        { email: zoho.sam, first_name: 'Sam', last_name: 'Z', profile: 'Administrator' },
      ],
    });
    w = {
      app,
      clock,
      org,
      zoho,
      alex: await app.signIn('usr_alex'),
      sam: await app.signIn('usr_sam'),
      olga: await app.signIn(otherAdmin.id, otherWorkspace.id),
    };
    expect((await w.alex.get((await own(w, 'alex')).toString())).location?.search).toBe('?done=connected');
  });
  afterAll(async () => {
    await w?.app.close();
  });
  afterEach(async () => {
    spy.hits.length = 0;
    await clearFaults(sb.client);
  });

  const snapshot = async (who: Who) => {
    const [workspaceId, userId] = ids[who];
    return connectionSnapshot(w.app.db, workspaceId, userId);
  };

  it.each(stateCases)('%s, presented by %s: nothing stored, the code never used', async (_, who, make) => {
    const callback = await make(w);
    const before = { alex: await snapshot('alex'), sam: await snapshot('sam'), olga: await snapshot('olga') };
    const exchanges = (await callsTo(sb.client, w.org, exchangeCall)).length;
    const tokens = w.app.issuedTokens.length;

    const res = await w[who].get(callback.toString());

    expect(res.status).toBe(303);
    expect(res.location?.pathname).toBe('/integrations');
    expect(res.location?.search).not.toContain('connected');
    // Nobody's connection was created or changed, no token issued or stored.
    expect({
      alex: await snapshot('alex'),
      sam: await snapshot('sam'),
      olga: await snapshot('olga'),
    }).toEqual(before);
    expect((await callsTo(sb.client, w.org, exchangeCall)).length).toBe(exchanges);
    expect(w.app.issuedTokens.length).toBe(tokens);
    if (callback.searchParams.get('code')) expect(codeUsed(callback)).toBe(false);
    expect(spy.hits).toEqual([]);
  });

  it.each(serverCases)('an accounts server or location naming %s gets nothing', async (_, tamper) => {
    const callback = await own(w, 'sam');
    tamper(callback.searchParams, { base: sb.base, spy: spy.url });
    const exchanges = (await callsTo(sb.client, w.org, exchangeCall)).length;

    const res = await w.sam.get(callback.toString());

    expect(res.status).toBe(303);
    expect(res.location?.search).not.toContain('connected');
    await expectNotConnected(w.app.db, 'ws_demo', 'usr_sam');
    expect(spy.hits).toEqual([]);
    expect((await callsTo(sb.client, w.org, exchangeCall)).length).toBe(exchanges);
    expect(codeUsed(callback)).toBe(false);
  });

  it.each(apiCases)(
    'an API domain of %s never gets a token; a grant read is revoked',
    async (_, apiDomain, o) => {
      const callback = await own(w, 'sam');
      const real = await sb.client.tokens(w.org, 'ZohoCRM.users.READ,ZohoCRM.org.READ', w.zoho.sam);
      const domain = apiDomain({ base: sb.base, spy: spy.url });
      await injectFault(sb.client, {
        dc: 'us',
        method: 'POST',
        path: '^/oauth/v2/token$',
        status: 200,
        body: {
          access_token: real.access_token,
          refresh_token: real.refresh_token,
          token_type: 'Bearer',
          expires_in: 3600,
          ...(domain === undefined ? {} : { api_domain: domain }),
        },
      });
      const crmCalls = async () =>
        (await sb.client.calls(w.org)).filter((c) => c.path.startsWith('/crm/')).length;
      const before = await crmCalls();

      const res = await w.sam.get(callback.toString());

      expect(res.status).toBe(303);
      expect(res.location?.search).not.toContain('connected');
      await expectNotConnected(w.app.db, 'ws_demo', 'usr_sam');
      expect(spy.hits).toEqual([]);
      expect(await crmCalls()).toBe(before);
      // The grant Zoho issued is gone: revoked at the org's accounts server.
      if (o?.revoked !== false)
        expect(sb.sandbox.core.state.refresh_tokens[hashToken(real.refresh_token!)]).toBeUndefined();
    },
  );

  it('after all that, alex is still connected as before and sam can still connect (the control)', async () => {
    const page = await w.alex.get('/integrations');
    expect(page.html).toContain('data-status="connected"');
    expect((await w.sam.get((await own(w, 'sam')).toString())).location?.search).toBe('?done=connected');
  });
});
