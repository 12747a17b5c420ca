import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDOFF_MAX_TTL_S, type HandoffClaims, signHandoff } from '../../src/users/handoff.ts';
import { eventsSecret } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/db.ts';
import { registerSecret } from '../helpers/logs.ts';
import { dbSnapshot, type InjectApp, injectApp, setsSession } from './helpers.ts';

/**
 * Handoff sign-in links (src/users/handoff.ts: `base64url(claims).base64url(HMAC-SHA256)`)
 * tampered with, forged, stale, replayed, truncated or huge, opened with nobody signed in:
 * each is refused (4xx), no session cookie is set and nothing in the database changes — no
 * workspace, user, session, and no spent token id. A refused variant of a real link does not
 * spend the real one.
 */
const secret = crypto.randomBytes(32).toString('hex');
registerSecret(secret);

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const hmac = (data: string, key = secret, alg = 'sha256', enc: crypto.BinaryToTextEncoding = 'base64url') =>
  crypto.createHmac(alg, key).update(data).digest(enc);
const signed = (body: string, key = secret) => `${body}.${hmac(body, key)}`;
const partsOf = (token: string) => token.split('.') as [string, string];
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(partsOf(token)[0], 'base64url').toString()) as HandoffClaims;
/** The token with its claims changed after signing (the signature kept). */
const reclaimed = (token: string, change: (c: HandoffClaims) => unknown) =>
  `${b64(change(claimsOf(token)))}.${partsOf(token)[1]}`;
const flip = (s: string, at: number) => `${s.slice(0, at)}${s[at] === 'A' ? 'B' : 'A'}${s.slice(at + 1)}`;

let seq = 0;
function claims(now: number, over: Partial<HandoffClaims> = {}): HandoffClaims {
  const n = ++seq;
  return {
    jti: crypto.randomUUID(),
    iat: now,
    exp: now + 120,
    workspace: { id: 'ws_acme', name: 'Acme Scheduling' },
    user: { id: `usr_h${n}`, email: `h${n}@acme.test`, name: `Hana ${n}`, role: 'member' },
    ...over,
  };
}

/** `make(now, valid)`: the link to try; `valid()` signs fresh claims with the right secret. */
type Forge = (now: number, valid: (over?: Partial<HandoffClaims>) => string) => string;

const forgeries: Array<[string, Forge]> = [
  // The claims changed after signing.
  [
    'the role raised to admin',
    (_, v) => reclaimed(v(), (c) => ({ ...c, user: { ...c.user, role: 'admin' } })),
  ],
  [
    'the user swapped for a demo admin',
    (_, v) =>
      reclaimed(v(), (c) => ({
        ...c,
        workspace: { id: 'ws_demo', name: 'Demo Workspace' },
        user: { id: 'usr_alex', email: 'alex@peposmart.test', name: 'Alex Morgan', role: 'admin' },
      })),
  ],
  [
    'the workspace swapped',
    (_, v) => reclaimed(v(), (c) => ({ ...c, workspace: { id: 'ws_other', name: 'Other' } })),
  ],
  ['the expiry pushed out', (_, v) => reclaimed(v(), (c) => ({ ...c, exp: c.exp + 3600 }))],
  [
    'the token id changed (to replay a spent link)',
    (_, v) => reclaimed(v(), (c) => ({ ...c, jti: crypto.randomUUID() })),
  ],
  ['a member added to the claims', (_, v) => reclaimed(v(), (c) => ({ ...c, admin: true }))],
  [
    'the claims re-encoded as standard base64',
    (_, v) => {
      const [body, sig] = partsOf(v());
      return `${Buffer.from(body, 'base64url').toString('base64')}.${sig}`;
    },
  ],
  // The signature changed.
  [
    'one character of the signature changed',
    (_, v) => {
      const [body, sig] = partsOf(v());
      return `${body}.${flip(sig, 5)}`;
    },
  ],
  ['the signature one character short', (_, v) => v().slice(0, -1)],
  ['the signature one character longer', (_, v) => `${v()}A`],
  ['an empty signature', (_, v) => `${partsOf(v())[0]}.`],
  ['no signature part', (_, v) => partsOf(v())[0]],
  [
    'the signature in hex',
    (_, v) => {
      const [body] = partsOf(v());
      return `${body}.${hmac(body, secret, 'sha256', 'hex')}`;
    },
  ],
  [
    'the signature in padded standard base64',
    (_, v) => {
      const [body] = partsOf(v());
      return `${body}.${hmac(body, secret, 'sha256', 'base64')}`;
    },
  ],
  [
    'the signature in upper case',
    (_, v) => {
      const [body, sig] = partsOf(v());
      return `${body}.${sig.toUpperCase()}`;
    },
  ],
  [
    'the signature of another link',
    (n, v) => `${partsOf(v())[0]}.${partsOf(signHandoff(secret, claims(n)))[1]}`,
  ],
  [
    'an HMAC-SHA1 signature',
    (_, v) => {
      const [body] = partsOf(v());
      return `${body}.${hmac(body, secret, 'sha1')}`;
    },
  ],
  [
    'an HMAC-SHA512 signature',
    (_, v) => {
      const [body] = partsOf(v());
      return `${body}.${hmac(body, secret, 'sha512')}`;
    },
  ],
  [
    'the HMAC over the JSON rather than its base64',
    (n) => {
      const c = claims(n);
      return `${b64(c)}.${hmac(JSON.stringify(c))}`;
    },
  ],
  [
    'a plain SHA-256 as the signature',
    (n) => {
      const body = b64(claims(n));
      return `${body}.${crypto.createHash('sha256').update(body).digest('base64url')}`;
    },
  ],
  // Algorithm confusion: JWT shapes.
  ['a JWT with alg none and no signature', (n) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(n))}.`],
  ['a JWT with alg none', (n) => `${b64({ alg: 'none' })}.${b64(claims(n))}`],
  [
    'a JWT signed HS256 with the right secret',
    (n) => {
      const data = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims(n))}`;
      return `${data}.${hmac(data)}`;
    },
  ],
  ['a JWT header as the claims, signed', () => signed(b64({ alg: 'HS256', typ: 'JWT' }))],
  // Other keys.
  ['signed with another secret', (n) => signHandoff(crypto.randomBytes(32).toString('hex'), claims(n))],
  ['signed with an empty secret', (n) => signHandoff('', claims(n))],
  ['signed with the event API secret', (n) => signHandoff(eventsSecret, claims(n))],
  ['signed with the secret and a trailing newline', (n) => signHandoff(`${secret}\n`, claims(n))],
  ['signed with the secret in upper case', (n) => signHandoff(secret.toUpperCase(), claims(n))],
  // Time.
  ['expired a second ago', (n, v) => v({ iat: n - 100, exp: n - 1 })],
  ['expiring this very second', (n, v) => v({ iat: n - 100, exp: n })],
  ['expired a day ago', (n, v) => v({ iat: n - 86_400, exp: n - 86_400 + 60 })],
  [`a lifetime over ${HANDOFF_MAX_TTL_S} s`, (n, v) => v({ iat: n, exp: n + HANDOFF_MAX_TTL_S + 1 })],
  ['a lifetime of a year', (n, v) => v({ iat: n, exp: n + 365 * 86_400 })],
  ['issued 61 s in the future', (n, v) => v({ iat: n + 61, exp: n + 120 })],
  ['issued an hour in the future', (n, v) => v({ iat: n + 3600, exp: n + 3700 })],
  // Broken tokens.
  [
    'truncated to half',
    (_, v) => {
      const t = v();
      return t.slice(0, Math.floor(t.length / 2));
    },
  ],
  ['the first character cut', (_, v) => v().slice(1)],
  ['three parts', (_, v) => `${v()}.x`],
  [
    'a space inside',
    (_, v) => {
      const t = v();
      return `${t.slice(0, 10)} ${t.slice(10)}`;
    },
  ],
  ['empty', () => ''],
  ['only a dot', () => '.'],
  [
    '16 KB of signed claims',
    (n) => signHandoff(secret, { ...claims(n), user: { ...claims(n).user, name: 'x'.repeat(16_000) } }),
  ],
  ['100 KB of random text', () => crypto.randomBytes(75_000).toString('base64url')],
  // Signed by the right secret, but not claims the service accepts (a platform bug, not an attack).
  ['signed claims that are not JSON', () => signed(b64('not json'))],
  ['signed claims that are JSON null', () => signed(b64('null'))],
  [
    'signed claims with times as strings',
    (n) => signed(b64({ ...claims(n), iat: String(n), exp: String(n + 60) })),
  ],
  [
    'signed claims with an unknown role',
    (n) => signed(b64({ ...claims(n), user: { ...claims(n).user, role: 'owner' } })),
  ],
  [
    'signed claims with a bad email',
    (n) => signed(b64({ ...claims(n), user: { ...claims(n).user, email: 'not-an-email' } })),
  ],
  [
    'signed claims with the user behind __proto__',
    (n) => {
      const c = claims(n);
      return signed(
        b64(
          `{"jti":"${c.jti}","iat":${c.iat},"exp":${c.exp},"workspace":${JSON.stringify(c.workspace)},"__proto__":{"user":${JSON.stringify(c.user)}}}`,
        ),
      );
    },
  ],
  // Found by this suite: PostgreSQL cannot store NUL in text, so these answered 500.
  [
    'signed claims with a NUL in the user’s name',
    (n, v) => v({ user: { ...claims(n).user, name: 'Nora\u0000New' } }),
  ],
  [
    'signed claims with a NUL in the workspace’s name',
    (_, v) => v({ workspace: { id: 'ws_nul', name: 'Acme\u0000' } }),
  ],
  ['signed claims with a short token id', (_, v) => v({ jti: 'abc' })],
  [
    'signed claims naming a user of another workspace',
    (_, v) => v({ user: { id: 'usr_alex', email: 'mallory@acme.test', name: 'Mallory', role: 'admin' } }),
  ],
];

describe.each(databaseKinds)('handoff links tampered with, on %s (nobody signed in)', (kind) => {
  let a: InjectApp;
  beforeAll(async () => {
    a = await injectApp(kind, { handoffSecret: secret });
  });
  afterAll(async () => {
    await a?.close();
  });

  const now = () => Math.floor(a.clock.now().getTime() / 1000);
  const valid = (over: Partial<HandoffClaims> = {}) => signHandoff(secret, claims(now(), over));
  const open = (token: string, extra = '') =>
    a.app.inject({ method: 'GET', url: `/auth/handoff?token=${encodeURIComponent(token)}${extra}` });

  async function expectRefused(token: string) {
    const before = await dbSnapshot(a.db);
    const res = await open(token, '&next=/integrations');
    expect(res.statusCode, res.body.slice(0, 200)).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, res.body.slice(0, 200)).toBeLessThan(500);
    expect(setsSession(res.headers['set-cookie'])).toBe(false);
    expect(res.headers.location).toBeUndefined();
    expect(await dbSnapshot(a.db)).toEqual(before);
  }

  // The table is about parsing and checking the link, before any query: PGlite is enough.
  it.each(kind === 'pglite' ? forgeries : [])(
    'refuses a link %s: no session, nothing changed',
    async (_, forge) => {
      await expectRefused(forge(now(), valid));
    },
  );

  it('a real link signs in (the control); opened again it is refused', async () => {
    const token = valid();
    const res = await open(token);
    expect(res.statusCode).toBe(303);
    expect(setsSession(res.headers['set-cookie'])).toBe(true);
    await expectRefused(token);
  });

  it('a new link reusing a spent token id is refused, whoever it names', async () => {
    const first = claims(now());
    expect((await open(signHandoff(secret, first))).statusCode).toBe(303);
    await expectRefused(signHandoff(secret, { ...claims(now()), jti: first.jti }));
  });

  it('refused variants of a real link do not spend it: the link itself still signs in', async () => {
    const token = valid();
    for (const change of [
      (t: string) => reclaimed(t, (c) => ({ ...c, user: { ...c.user, role: 'admin' } })),
      (t: string) => `${partsOf(t)[0]}.${flip(partsOf(t)[1], 3)}`,
      (t: string) => t.slice(0, -2),
    ])
      await expectRefused(change(token));
    const res = await open(token);
    expect(res.statusCode).toBe(303);
    expect(setsSession(res.headers['set-cookie'])).toBe(true);
  });

  it('a link that expired while it waited is refused (the app’s clock moved)', async () => {
    const token = valid();
    a.clock.advance(121_000);
    await expectRefused(token);
  });
});
