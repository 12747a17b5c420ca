import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNATURE_TOLERANCE_S } from '../../src/sync/signature.ts';
import { eventsSecret } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent } from '../helpers/events.ts';
import { countRows, type InjectApp, injectApp, type ManualClock, postEvent } from './helpers.ts';

/**
 * The event API's signature (DESIGN §2.3, src/sync/signature.ts) against a forger: every
 * variant below is refused with 401 and records nothing — no event, no activity, no workspace,
 * no job. A correctly signed event is accepted (the control), and its replay is answered
 * "duplicate" without doing anything twice.
 */
const mac = (secret: string, t: number | string, raw: string) =>
  crypto.createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex');
const now = (clock: ManualClock) => Math.floor(clock.now().getTime() / 1000);

interface Forgery {
  /** The signature header(s) sent with `sent`; undefined: no header at all. */
  header: (raw: string, t: number) => string | string[] | undefined;
  /** The body that goes out, when it differs from the one signed. */
  sent?: (raw: string) => string;
  /** Another header name instead of PepoSmart-Signature. */
  headerName?: string;
}

const other = 'whsec_other_0123456789abcdef0123456789abcdef';
const flipHex = (hex: string) => (hex[0] === '0' ? `1${hex.slice(1)}` : `0${hex.slice(1)}`);

const forgeries: Array<[string, Forgery]> = [
  ['no signature header', { header: () => undefined }],
  ['an empty header', { header: () => '' }],
  ['only a timestamp', { header: (_, t) => `t=${t}` }],
  ['only a MAC', { header: (raw, t) => `v1=${mac(eventsSecret, t, raw)}` }],
  ['a MAC with one digit changed', { header: (raw, t) => `t=${t},v1=${flipHex(mac(eventsSecret, t, raw))}` }],
  ['a MAC made with another secret', { header: (raw, t) => `t=${t},v1=${mac(other, t, raw)}` }],
  ['a MAC made with an empty secret', { header: (raw, t) => `t=${t},v1=${mac('', t, raw)}` }],
  [
    'a MAC of the body alone (no timestamp in it)',
    {
      header: (raw, t) => `t=${t},v1=${crypto.createHmac('sha256', eventsSecret).update(raw).digest('hex')}`,
    },
  ],
  [
    'a plain SHA-256 of "<t>.<body>" (no key)',
    { header: (raw, t) => `t=${t},v1=${crypto.createHash('sha256').update(`${t}.${raw}`).digest('hex')}` },
  ],
  [
    `a timestamp older than ${SIGNATURE_TOLERANCE_S} s`,
    {
      header: (raw, t) =>
        `t=${t - SIGNATURE_TOLERANCE_S - 1},v1=${mac(eventsSecret, t - SIGNATURE_TOLERANCE_S - 1, raw)}`,
    },
  ],
  [
    `a timestamp more than ${SIGNATURE_TOLERANCE_S} s in the future`,
    {
      header: (raw, t) =>
        `t=${t + SIGNATURE_TOLERANCE_S + 1},v1=${mac(eventsSecret, t + SIGNATURE_TOLERANCE_S + 1, raw)}`,
    },
  ],
  [
    'a timestamp in milliseconds',
    { header: (raw, t) => `t=${t * 1000},v1=${mac(eventsSecret, t * 1000, raw)}` },
  ],
  ['timestamp 0', { header: (raw) => `t=0,v1=${mac(eventsSecret, 0, raw)}` }],
  ['a negative timestamp', { header: (raw, t) => `t=-${t},v1=${mac(eventsSecret, `-${t}`, raw)}` }],
  ['a fractional timestamp', { header: (raw, t) => `t=${t}.5,v1=${mac(eventsSecret, `${t}.5`, raw)}` }],
  ['a timestamp with a + sign', { header: (raw, t) => `t=+${t},v1=${mac(eventsSecret, `+${t}`, raw)}` }],
  [
    'a timestamp in hex',
    { header: (raw, t) => `t=0x${t.toString(16)},v1=${mac(eventsSecret, `0x${t.toString(16)}`, raw)}` },
  ],
  ['a non-numeric timestamp', { header: (raw) => `t=now,v1=${mac(eventsSecret, 'now', raw)}` }],
  [
    'a huge timestamp',
    { header: (raw) => `t=${'9'.repeat(30)},v1=${mac(eventsSecret, '9'.repeat(30), raw)}` },
  ],
  [
    'a stale timestamp first, a fresh one second (the first counts)',
    { header: (raw, t) => `t=${t - 3600},t=${t},v1=${mac(eventsSecret, t, raw)}` },
  ],
  [
    'a fresh timestamp first, the MAC of a stale one',
    { header: (raw, t) => `t=${t},t=${t - 3600},v1=${mac(eventsSecret, t - 3600, raw)}` },
  ],
  ['upper-case keys', { header: (raw, t) => `T=${t},V1=${mac(eventsSecret, t, raw)}` }],
  ['a v0 scheme', { header: (raw, t) => `t=${t},v0=${mac(eventsSecret, t, raw)}` }],
  ['a v2 scheme', { header: (raw, t) => `t=${t},v2=${mac(eventsSecret, t, raw)}` }],
  [
    'the MAC in base64',
    {
      header: (raw, t) =>
        `t=${t},v1=${crypto.createHmac('sha256', eventsSecret).update(`${t}.${raw}`).digest('base64')}`,
    },
  ],
  [
    'the MAC in base64url',
    {
      header: (raw, t) =>
        `t=${t},v1=${crypto.createHmac('sha256', eventsSecret).update(`${t}.${raw}`).digest('base64url')}`,
    },
  ],
  ['the MAC truncated', { header: (raw, t) => `t=${t},v1=${mac(eventsSecret, t, raw).slice(0, 32)}` }],
  ['the MAC extended', { header: (raw, t) => `t=${t},v1=${mac(eventsSecret, t, raw)}00` }],
  ['an empty MAC', { header: (_, t) => `t=${t},v1=` }],
  ['a MAC of zeros', { header: (_, t) => `t=${t},v1=${'0'.repeat(64)}` }],
  [
    'several wrong MACs (no rotation secret matches)',
    { header: (raw, t) => `t=${t},v1=${mac(other, t, raw)},v1=${'f'.repeat(64)},v1=${mac('', t, raw)}` },
  ],
  [
    'a MAC signed as SHA-1',
    {
      header: (raw, t) =>
        `t=${t},v1=${crypto.createHmac('sha1', eventsSecret).update(`${t}.${raw}`).digest('hex')}`,
    },
  ],
  [
    'the right signature under another header name',
    { header: (raw, t) => `t=${t},v1=${mac(eventsSecret, t, raw)}`, headerName: 'x-peposmart-signature' },
  ],
  [
    'the right signature under Stripe’s header name',
    { header: (raw, t) => `t=${t},v1=${mac(eventsSecret, t, raw)}`, headerName: 'stripe-signature' },
  ],
  [
    'a wrong header first, the right one second (the first counts)',
    {
      header: (raw, t) => [
        `t=${t},v1=${mac(other, t, raw)}`,
        `t=${t - 3600},v1=${mac(eventsSecret, t - 3600, raw)}`,
      ],
    },
  ],
  // The body changed after signing, in ways a proxy or an attacker might.
  ...(
    [
      ['a field changed', (raw: string) => raw.replace('Discovery call', 'Discovery calls')],
      [
        'the workspace changed',
        (raw: string) => raw.replace(/"workspace_id":"[^"]*"/, '"workspace_id":"ws_other"'),
      ],
      ['a space added', (raw: string) => raw.replace('{"id"', '{ "id"')],
      ['a trailing newline', (raw: string) => `${raw}\n`],
      ['a byte-order mark added', (raw: string) => `\ufeff${raw}`],
      ['keys reordered', (raw: string) => JSON.stringify(reorder(JSON.parse(raw)))],
      ['re-encoded with escapes', (raw: string) => raw.replace('Discovery', '\\u0044iscovery')],
      ['a duplicate key appended', (raw: string) => `${raw.slice(0, -1)},"type":"booking.cancelled"}`],
      ['truncated', (raw: string) => raw.slice(0, -1)],
      ['emptied', () => ''],
    ] as Array<[string, (raw: string) => string]>
  ).map(([name, sent]): [string, Forgery] => [
    `a correct signature over the original body, with the body then ${name}`,
    { header: (raw, t) => `t=${t},v1=${mac(eventsSecret, t, raw)}`, sent },
  ]),
];

function reorder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorder);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reorder(x)]),
    );
  return v;
}

describe.each(databaseKinds)('event API signature on %s', (kind) => {
  let a: InjectApp;
  beforeAll(async () => {
    a = await injectApp(kind);
  });
  afterAll(async () => {
    await a?.close();
  });

  /** What the API may have recorded: events, their activity, workspaces, queued jobs. */
  const recorded = async () => ({
    events: await countRows(a.db, 'events'),
    activity: await countRows(a.db, 'activity'),
    workspaces: await countRows(a.db, 'workspaces'),
    jobs: a.sent.length,
  });

  // The checks run before any query: the whole table on PGlite; the replay and the accepted
  // spellings (which record) on both databases.
  it.each(kind === 'pglite' ? forgeries : [])('refuses %s with 401, recording nothing', async (_, f) => {
    // A notes event of an unknown workspace would create that workspace if it got through.
    const event = { ...bookingEvent({ workspaceId: `ws_sig_${crypto.randomBytes(4).toString('hex')}` }) };
    const raw = JSON.stringify(event);
    const before = await recorded();
    const header = f.header(raw, now(a.clock));
    const res = await postEvent(a, f.sent ? f.sent(raw) : raw, {
      'peposmart-signature': f.headerName ? undefined : header,
      ...(f.headerName ? { [f.headerName]: header } : {}),
    });
    expect(res.statusCode, res.body).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
    expect(await recorded()).toEqual(before);
  });

  it('accepts the correctly signed event (the control), and its replay does nothing twice', async () => {
    const event = bookingEvent({ workspaceId: `ws_sig_${crypto.randomBytes(4).toString('hex')}` });
    const raw = JSON.stringify(event);
    const t = now(a.clock);
    const header = `t=${t},v1=${mac(eventsSecret, t, raw)}`;
    const before = await recorded();

    const first = await postEvent(a, raw, { 'peposmart-signature': header });
    expect(first.statusCode, first.body).toBe(202);
    const after = await recorded();
    expect(after.events).toBe(before.events + 1);

    // The same request captured and sent again within the window: a duplicate, nothing new.
    a.clock.advance(60_000);
    const replay = await postEvent(a, raw, { 'peposmart-signature': header });
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json()).toEqual({ id: event.id, status: 'duplicate' });
    expect(await recorded()).toEqual(after);

    // After the window the captured request is stale.
    a.clock.advance(SIGNATURE_TOLERANCE_S * 1000);
    const late = await postEvent(a, raw, { 'peposmart-signature': header });
    expect(late.statusCode).toBe(401);
    expect(await recorded()).toEqual(after);
  });

  // Not forgeries: the same HMAC spelt in upper case, and a rotation's second MAC, are the
  // platform's own signature; listed so that a change in what is accepted is noticed.
  it.each([
    [
      'the MAC in upper-case hex',
      (raw: string, t: number) => `t=${t},v1=${mac(eventsSecret, t, raw).toUpperCase()}`,
    ],
    ['spaces after the commas', (raw: string, t: number) => `t=${t}, v1=${mac(eventsSecret, t, raw)}`],
    [
      'the right MAC second, during a secret rotation',
      (raw: string, t: number) => `t=${t},v1=${mac(other, t, raw)},v1=${mac(eventsSecret, t, raw)}`,
    ],
  ])('accepts %s (the same signature)', async (_, header) => {
    const raw = JSON.stringify(bookingEvent());
    const res = await postEvent(a, raw, { 'peposmart-signature': header(raw, now(a.clock)) });
    expect(res.statusCode, res.body).toBe(202);
  });
});
