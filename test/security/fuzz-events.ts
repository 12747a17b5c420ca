/**
 * Generated event bodies for the fuzz test: valid ones built from the rules of
 * src/sync/event-schema.ts, mutations of them, and hostile ones. Each case says what the API
 * must answer: `valid` → accepted, `invalid` → refused, `either` → either, as long as it is not
 * a 5xx and the database agrees with the answer. Everything comes from one seeded PRNG.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
export type Expectation = 'valid' | 'invalid' | 'either';

export interface FuzzCase {
  /** The event id when the body has one (to look the row up), for the report. */
  id: string | undefined;
  kind: string;
  /** What was done to the valid event, for the failure report. */
  what: string;
  raw: string;
  expect: Expectation;
}

export class Gen {
  readonly rand: () => number;
  constructor(rand: () => number) {
    this.rand = rand;
  }
  int(n: number): number {
    return Math.floor(this.rand() * n);
  }
  chance(p: number): boolean {
    return this.rand() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chars(alphabet: readonly string[], min: number, max: number): string {
    const n = min + this.int(max - min + 1);
    let s = '';
    for (let i = 0; i < n; i++) s += this.pick(alphabet);
    return s;
  }
}

const ascii = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-_\'"!?&<>/\\:;()[]{}#%@+=*$^~`|',
];
/** Text that is valid in any string field: no control characters but tab and newline. */
const unicode = [
  ...ascii,
  'é',
  'e\u0301',
  'ß',
  'Ω',
  '漢',
  '字',
  'ك',
  'ש',
  '\u202e',
  '\u200b',
  '\u200d',
  '\ufeff',
  '\u00a0',
  '\u2028',
  '\u2029',
  '😀',
  '👩‍👩‍👧',
  '𝕏',
  '\t',
  '\n',
  '0',
  '-1',
  '1e9',
  'null',
  'true',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template string as text, on purpose
  '${x}',
  '{{x}}',
  '%s',
  '%00',
  '\\u0000',
];
const lower = [...'abcdefghijklmnopqrstuvwxyz0123456789'];
const zones = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'UTC',
  'Etc/GMT-14',
  'Pacific/Chatham',
  'Australia/Eucla',
];

const text = (g: Gen, min: number, max: number) => g.chars(g.chance(0.5) ? ascii : unicode, min, max);
const email = (g: Gen) =>
  `${g.chars(lower, 1, 12)}${g.chance(0.3) ? `.${g.chars(lower, 1, 6)}` : ''}${g.chance(0.2) ? `+${g.chars(lower, 1, 4)}` : ''}${g.chance(0.1) ? "'o" : ''}@${g.chars(lower, 1, 10)}.${g.pick(['com', 'example', 'test', 'co.uk', 'de'])}`;
function isoPair(g: Gen): [string, string] {
  const start = Date.UTC(2020 + g.int(10), g.int(12), 1 + g.int(28), g.int(24), g.int(60));
  const end = start + g.int(8) * 15 * 60_000;
  const fmt = (ms: number) =>
    g.chance(0.3) ? new Date(ms).toISOString().replace('Z', '+00:00') : new Date(ms).toISOString();
  return [fmt(start), fmt(end)];
}

function attendee(g: Gen): Obj {
  const a: Obj = { email: email(g) };
  if (g.chance(0.7)) a['name'] = text(g, 0, 60);
  if (g.chance(0.4)) a['first_name'] = text(g, 0, 30);
  if (g.chance(0.4)) a['last_name'] = text(g, 0, 30);
  if (g.chance(0.3)) a['phone'] = g.chars([...'0123456789 +-()'], 3, 20);
  if (g.chance(0.3)) a['timezone'] = g.pick(zones);
  if (g.chance(0.2)) a['company'] = `${g.chars(lower, 1, 1)}${text(g, 0, 40)}`;
  return a;
}

/** A valid event of a random type: every field within the schema's rules. */
export function validEvent(g: Gen, id: string): Obj {
  const type = g.pick([
    'booking.created',
    'booking.rescheduled',
    'booking.cancelled',
    'meeting.notes_processed',
  ]);
  const envelope = {
    id,
    type,
    created_at: new Date(Date.UTC(2026, 0, 1) + g.int(1e9)).toISOString(),
    workspace_id: g.chance(0.5) ? 'ws_demo' : `ws_fz_${g.chars(lower, 1, 12)}`,
  };
  if (type === 'meeting.notes_processed') {
    const data: Obj = { booking_id: `bk_${g.chars(lower, 1, 20)}` };
    if (g.chance(0.7)) data['summary'] = text(g, 0, 400);
    if (g.chance(0.6))
      data['action_items'] = Array.from({ length: g.int(6) }, () => {
        const item: Obj = { text: `${g.chars(lower, 1, 1)}${text(g, 0, 120)}` };
        if (g.chance(0.5)) item['priority'] = g.pick(['high', 'medium', 'low', 'urgent', '', text(g, 0, 10)]);
        if (g.chance(0.5))
          item['due'] = g.pick(['tomorrow', 'next Friday', '2026-13-45', '', text(g, 0, 20)]);
        if (g.chance(0.3)) item['owner'] = text(g, 0, 30);
        return item;
      });
    if (g.chance(0.6))
      data['transcript'] = Array.from({ length: g.int(8) }, () => {
        const line: Obj = { speaker: text(g, 0, 30), text: text(g, 0, 200) };
        if (g.chance(0.5)) line['role'] = g.pick(['host', 'attendee']);
        if (g.chance(0.5)) line['start_ms'] = g.int(3_600_000);
        return line;
      });
    return { ...envelope, data };
  }
  const [start, end] = isoPair(g);
  const booking: Obj = {
    id: `bk_${g.chars(lower, 1, 20)}`,
    host: { user_id: g.pick(['usr_alex', 'usr_sam', `usr_${g.chars(lower, 1, 8)}`]), email: email(g) },
    title: `${g.chars(lower, 1, 1)}${text(g, 0, 120)}`,
    start_time: start,
    end_time: end,
    timezone: g.pick(zones),
    attendees: Array.from({ length: 1 + g.int(g.chance(0.05) ? 100 : 4) }, () => attendee(g)),
  };
  if (g.chance(0.5)) (booking['host'] as Obj)['name'] = text(g, 0, 40);
  if (g.chance(0.6)) booking['description'] = text(g, 0, 600);
  if (g.chance(0.5)) booking['video_url'] = `https://meet.example.com/${g.chars(lower, 1, 12)}`;
  if (g.chance(0.4)) booking['location'] = text(g, 0, 100);
  if (g.chance(0.4)) booking['event_type'] = { id: g.chars(lower, 1, 8), name: text(g, 0, 30) };
  if (type === 'booking.cancelled' && g.chance(0.7)) booking['cancel_reason'] = text(g, 0, 200);
  return { ...envelope, data: { booking } };
}

/** Every path to a value in `v`, with the value. */
function leaves(v: Json, path: string[] = []): Array<{ path: string[]; value: Json }> {
  const out: Array<{ path: string[]; value: Json }> = path.length ? [{ path, value: v }] : [];
  if (Array.isArray(v)) for (const [i, x] of v.entries()) out.push(...leaves(x, [...path, String(i)]));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push(...leaves(x, [...path, k]));
  return out;
}
const stringLeaves = (e: Obj) => leaves(e).filter((l) => typeof l.value === 'string');
const objects = (e: Obj) =>
  [{ path: [] as string[], value: e as Json }, ...leaves(e)].filter(
    (l) => l.value && typeof l.value === 'object' && !Array.isArray(l.value),
  );

function setAt(root: Obj, path: string[], value: Json | undefined): void {
  let o: Json = root;
  for (const k of path.slice(0, -1)) o = (o as Obj)[k]!;
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(o)) o.splice(Number(last), 1);
    else delete (o as Obj)[last];
  } else (o as Obj)[last] = value;
}

/** Fields the schema requires, as paths that exist in the event. */
function requiredPaths(e: Obj): string[][] {
  const top = [['id'], ['type'], ['created_at'], ['workspace_id'], ['data']];
  if (e['type'] === 'meeting.notes_processed') return [...top, ['data', 'booking_id']];
  const b = ['data', 'booking'];
  return [
    ...top,
    b,
    ...['id', 'host', 'title', 'start_time', 'end_time', 'timezone', 'attendees'].map((k) => [...b, k]),
    [...b, 'host', 'user_id'],
    [...b, 'host', 'email'],
    [...b, 'attendees', '0', 'email'],
  ];
}

/** Values that break a field's type or format, whatever the field (every field is typed). */
const wrongValues: Json[] = [null, 0, -1, 1.5, true, [], {}, ['x'], { a: 1 }];

/**
 * Characters refused in any event string (L1: NUL and unpaired surrogates made the API answer
 * 500): C0 controls but tab and line breaks, DEL, C1 controls, unpaired surrogates.
 */
export const refusedChars = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u000e',
  '\u001b',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u009b',
  '\u009f',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
];
/** Tab and line breaks: kept in free text, refused in identifiers, addresses and links (one line). */
export const lineBreaks = ['\t', '\n', '\r', '\r\n', '\u2028', '\u2029'];
/** Fields whose value is one line (or a fixed format): any line break makes the event invalid. */
const oneLineKeys = new Set([
  'id',
  'workspace_id',
  'user_id',
  'booking_id',
  'email',
  'video_url',
  'type',
  'created_at',
  'start_time',
  'end_time',
  'timezone',
  'role',
]);
const isOneLine = (path: string[]) => oneLineKeys.has(path[path.length - 1]!);

const clone = (e: Obj): Obj => JSON.parse(JSON.stringify(e));

/** `ch` inserted between two code points of `s` (never between the halves of a surrogate pair). */
function insertAt(g: Gen, s: string, ch: string): string {
  const points = [...s];
  const at = g.int(points.length + 1);
  return `${points.slice(0, at).join('')}${ch}${points.slice(at).join('')}`;
}

type Mutation = (g: Gen, e: Obj) => { what: string; expect: Expectation; raw?: string };

export const mutations: Record<string, Mutation> = {
  'missing required field': (g, e) => {
    const path = g.pick(requiredPaths(e));
    setAt(e, path, undefined);
    return { what: `removed ${path.join('.')}`, expect: 'invalid' };
  },
  'wrong type': (g, e) => {
    const path = g.pick(requiredPaths(e));
    const value = g.pick(wrongValues);
    setAt(e, path, value);
    return { what: `${path.join('.')} = ${JSON.stringify(value)}`, expect: 'invalid' };
  },
  'number as a string': (g, e) => {
    if (e['type'] !== 'meeting.notes_processed') {
      setAt(e, ['data', 'booking', 'attendees'], String(g.int(5)));
      return { what: 'attendees = "<n>"', expect: 'invalid' };
    }
    (e['data'] as Obj)['transcript'] = [{ speaker: 'A', text: 'x', start_ms: String(g.int(1000)) }];
    return { what: 'start_ms = "<n>"', expect: 'invalid' };
  },
  'too long': (g, e) => {
    const limits: Array<[string[], number]> =
      e['type'] === 'meeting.notes_processed'
        ? [
            [['id'], 200],
            [['workspace_id'], 200],
            [['data', 'summary'], 50_000],
          ]
        : [
            [['id'], 200],
            [['data', 'booking', 'id'], 200],
            [['data', 'booking', 'title'], 255],
            [['data', 'booking', 'description'], 10_000],
            [['data', 'booking', 'location'], 500],
            [['data', 'booking', 'attendees', '0', 'name'], 200],
            [['data', 'booking', 'attendees', '0', 'phone'], 50],
          ];
    const [path, max] = g.pick(limits);
    const over = g.chance(0.5);
    // One UTF-16 unit per character: the schema's limits count units.
    setAt(
      e,
      path,
      g.chars(g.chance(0.5) ? lower : ['漢', 'ß', 'é'], max + (over ? 1 : 0), max + (over ? 1 : 0)),
    );
    return {
      what: `${path.join('.')} of ${max + (over ? 1 : 0)} characters`,
      expect: over ? 'invalid' : 'valid',
    };
  },
  'bad format': (g, e) => {
    const isBooking = e['type'] !== 'meeting.notes_processed';
    const options: Array<[string[], Json]> = [
      [
        ['created_at'],
        g.pick(['yesterday', '2026-12-01', '2026-12-01T09:00:00', '2026-13-01T00:00:00Z', '']),
      ],
      [['type'], g.pick(['booking.deleted', 'BOOKING.CREATED', 'booking.created ', 'meeting', ''])],
      [['id'], ''],
      [['workspace_id'], ''],
      ...(isBooking
        ? ([
            [
              ['data', 'booking', 'attendees', '0', 'email'],
              g.pick(['no-at', 'a@b', 'a@@b.com', '<x>@y.com', 'a b@c.com', '.a@b.com', 'a..b@c.com']),
            ],
            [['data', 'booking', 'timezone'], g.pick(['Mars/Olympus', '../../etc/passwd', '', 'GMT+25'])],
            [['data', 'booking', 'video_url'], g.pick(['not a url', 'meet.example.com', '//x'])],
            [['data', 'booking', 'attendees'], []],
            [['data', 'booking', 'title'], ''],
            [['data', 'booking', 'end_time'], '2000-01-01T00:00:00Z'],
          ] as Array<[string[], Json]>)
        : ([
            [['data', 'booking_id'], ''],
            [['data', 'transcript'], [{ speaker: 'A', text: 'x', role: 'guest' }]],
            [['data', 'transcript'], [{ speaker: 'A', text: 'x', start_ms: g.pick([-1, 1.5]) }]],
            [['data', 'action_items'], [{ text: '' }]],
          ] as Array<[string[], Json]>)),
    ];
    const [path, value] = g.pick(options);
    setAt(e, path, value);
    return { what: `${path.join('.')} = ${JSON.stringify(value)}`, expect: 'invalid' };
  },
  'refused character': (g, e) => {
    const leaf = g.pick(stringLeaves(e));
    const ch = g.pick(refusedChars);
    setAt(e, leaf.path, insertAt(g, leaf.value as string, ch));
    return {
      what: `U+${ch.charCodeAt(0).toString(16).padStart(4, '0')} in ${leaf.path.join('.')}`,
      expect: 'invalid',
    };
  },
  'line break': (g, e) => {
    const leaf = g.pick(stringLeaves(e));
    const ch = g.pick(lineBreaks);
    setAt(e, leaf.path, insertAt(g, leaf.value as string, ch));
    return {
      what: `${JSON.stringify(ch)} in ${leaf.path.join('.')}`,
      expect: isOneLine(leaf.path) ? 'invalid' : 'valid',
    };
  },
  'raw control byte (not valid JSON)': (g, e) => {
    const raw = JSON.stringify(e).replace(
      /"title":"|"booking_id":"/,
      (m) => `${m}${g.pick(['\u0000', '\u0001', '\u001f'])}`,
    );
    return { what: 'a raw control character inside a JSON string', expect: 'invalid', raw };
  },
  'extra fields': (g, e) => {
    const where = g.pick(objects(e));
    const key = g.pick([
      'x_extra',
      'ID',
      'Type',
      '',
      ' ',
      '漢字',
      '😀',
      'data ',
      '$where',
      'id\u200b',
      `k${g.chars(lower, 1, 5)}`,
    ]);
    (where.value as Obj)[key] = g.pick<Json>([1, 'x', null, [1, 2], { a: { b: 'c' } }, text(g, 0, 50)]);
    return { what: `extra ${JSON.stringify(key)} at ${where.path.join('.') || '(top)'}`, expect: 'valid' };
  },
  'optional fields dropped': (g, e) => {
    const optional = leaves(e)
      .filter((l) => !l.path.includes('event_type') || l.path[l.path.length - 1] === 'event_type')
      .filter((l) =>
        [
          'description',
          'video_url',
          'location',
          'event_type',
          'name',
          'first_name',
          'last_name',
          'phone',
          'summary',
          'action_items',
          'transcript',
          'cancel_reason',
          'company',
          'priority',
          'due',
          'owner',
          'role',
          'start_ms',
        ].includes(l.path[l.path.length - 1]!),
      );
    if (!optional.length) return { what: 'nothing optional to drop', expect: 'valid' };
    const leaf = g.pick(optional);
    setAt(e, leaf.path, undefined);
    return { what: `dropped ${leaf.path.join('.')}`, expect: 'valid' };
  },
  'prototype keys': (g, e) => {
    const where = g.pick(objects(e));
    const key = g.pick([
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '__defineGetter__',
    ]);
    const value = g.pick<Json>([{ polluted: 'yes' }, { prototype: { polluted: 'yes' } }, 'x', 1, null]);
    return {
      what: `${key} = ${JSON.stringify(value)} at ${where.path.join('.') || '(top)'}`,
      expect: 'valid',
      raw: withMember(e, where.path, key, value),
    };
  },
  'deep nesting': (g, e) => {
    const depth = 1 + g.int(3000);
    const raw = `${JSON.stringify(e).slice(0, -1)},"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    return { what: `an extra field nested ${depth} deep`, expect: 'valid', raw };
  },
  'deep nesting in a known field': (g, e) => {
    const depth = 2 + g.int(3000);
    const key = e['type'] === 'meeting.notes_processed' ? 'booking_id' : 'booking';
    const raw = JSON.stringify(e).replace(
      `"${key}":`,
      `"${key}":${'['.repeat(depth)}${']'.repeat(depth)},"${key}_was":`,
    );
    return { what: `data.${key} nested ${depth} deep`, expect: 'invalid', raw };
  },
  'prototype key instead of an object': (g, e) => {
    const raw = JSON.stringify(e)
      .replace(/"data":/, g.pick(['"data":{"__proto__":', '"data":{"constructor":']))
      .replace(/}$/, '}}');
    return { what: 'data hidden behind a prototype key', expect: 'either', raw };
  },
  'truncated JSON': (g, e) => {
    const raw = JSON.stringify(e);
    return { what: 'cut short', expect: 'invalid', raw: raw.slice(0, 1 + g.int(raw.length - 1)) };
  },
  'a huge string': (g, e) => {
    const leaf = g.pick(stringLeaves(e));
    const n = g.pick([20_000, 200_000, 1_100_000]);
    setAt(e, leaf.path, 'x'.repeat(n));
    return {
      what: `${leaf.path.join('.')} of ${n} characters`,
      expect: n > 1_000_000 ? 'invalid' : 'either',
    };
  },
};

/** The event's JSON with `key: value` as a member of the object at `path`, written as raw JSON so
 * that `__proto__` arrives as an own member, as a client would send it. */
function withMember(e: Obj, path: string[], key: string, value: Json): string {
  const copy = clone(e);
  let o: Json = copy;
  for (const k of path) o = (o as Obj)[k]!;
  (o as Obj)['__fuzz_marker__'] = 0;
  return JSON.stringify(copy).replace(
    '"__fuzz_marker__":0',
    `${JSON.stringify(key)}:${JSON.stringify(value)}`,
  );
}

export const kinds = ['valid', ...Object.keys(mutations)];

/** Case `i` of the run: kinds in turn, so every kind is in the first few dozen cases. */
export function fuzzCase(g: Gen, i: number, runId: string): FuzzCase {
  const kind = kinds[i % kinds.length]!;
  const id = `evt_fz_${runId}_${i}`;
  const event = validEvent(g, id);
  if (kind === 'valid')
    return { id, kind, what: 'as generated', raw: JSON.stringify(event), expect: 'valid' };
  const mutated = clone(event);
  const m = mutations[kind]!(g, mutated);
  const raw = m.raw ?? JSON.stringify(mutated);
  return {
    id: typeof mutated['id'] === 'string' ? mutated['id'] : undefined,
    kind,
    what: m.what,
    raw,
    expect: m.expect,
  };
}
