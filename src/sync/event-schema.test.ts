import { describe, expect, it } from 'vitest';
import { parseEvent } from './event-schema.ts';

const booking = {
  id: 'bk_1',
  host: { user_id: 'usr_alex', email: 'alex@peposmart.test', name: 'Alex' },
  title: 'Intro call',
  start_time: '2026-11-26T09:00:00Z',
  end_time: '2026-11-26T09:30:00Z',
  timezone: 'Europe/Berlin',
  video_url: 'https://meet.example.com/abc',
  attendees: [{ email: 'ada@example.com', name: 'Ada Lovelace' }],
};
const event = {
  id: 'evt_1',
  type: 'booking.created',
  created_at: '2026-11-25T10:00:00Z',
  workspace_id: 'ws_demo',
};

describe('parsing platform events', () => {
  it('accepts a booking event and ignores fields it does not know', () => {
    const r = parseEvent({ ...event, extra: true, data: { booking: { ...booking, color: 'blue' } } });
    expect(r.ok).toBe(true);
  });

  it.each(['.', '..'])('refuses the event id %j: it would be a path step in the Retry form', (id) => {
    const r = parseEvent({ ...event, id, data: { booking } });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).toContain('must not be');
  });

  it('accepts ids with slashes, question marks and percent signs (pages encode them)', () => {
    expect(parseEvent({ ...event, id: '../a/b?c=%2F#d', data: { booking } }).ok).toBe(true);
  });

  it('accepts notes with only a booking id', () => {
    expect(parseEvent({ ...event, type: 'meeting.notes_processed', data: { booking_id: 'bk_1' } }).ok).toBe(
      true,
    );
  });

  it('names every invalid field by its path', () => {
    const r = parseEvent({
      ...event,
      data: {
        booking: {
          ...booking,
          timezone: 'Mars/Olympus',
          end_time: '2026-11-26T08:00:00Z',
          attendees: [{ email: 'not-an-email' }],
        },
      },
    });
    expect(r.ok).toBe(false);
    const paths = !r.ok ? r.details.map((d) => d.path).sort() : [];
    expect(paths).toEqual([
      'data.booking.attendees.0.email',
      'data.booking.end_time',
      'data.booking.timezone',
    ]);
  });

  it('explains the end-before-start rule', () => {
    const r = parseEvent({ ...event, data: { booking: { ...booking, end_time: '2026-11-26T08:00:00Z' } } });
    expect(!r.ok && r.details).toEqual([
      { path: 'data.booking.end_time', message: 'must not be before start_time' },
    ]);
  });

  it('refuses an unknown type and a body that is not an object', () => {
    expect(parseEvent({ ...event, type: 'booking.deleted', data: {} }).ok).toBe(false);
    const r = parseEvent('hello');
    expect(!r.ok && r.details[0]?.path).toBe('(body)');
  });
});

describe('L1: control characters and unpaired surrogates', () => {
  const full = {
    ...event,
    data: {
      booking: {
        ...booking,
        description: 'Talk about the rollout.',
        location: 'Room 4',
        event_type: { id: 'et_1', name: '30 min intro' },
        cancel_reason: 'Travel',
        attendees: [
          {
            email: 'ada@example.com',
            name: 'Ada Lovelace',
            first_name: 'Ada',
            last_name: 'Lovelace',
            phone: '+44 20 1234',
            company: 'Analytical Engines',
          },
        ],
      },
    },
  };
  const notes = {
    ...event,
    type: 'meeting.notes_processed',
    data: {
      booking_id: 'bk_1',
      summary: 'They will sign in May.',
      action_items: [{ text: 'Send the quote', priority: 'High', due: 'Friday', owner: 'host' }],
      transcript: [{ speaker: 'Ada', role: 'attendee', start_ms: 0, text: 'We sign in May.' }],
    },
  };

  /** A copy of `body` with the string at `path` (dot-separated) changed by `f`. */
  function withString(body: object, path: string, f: (s: string) => string): unknown {
    const copy = structuredClone(body) as Record<string, any>;
    const keys = path.split('.');
    const last = keys.pop()!;
    const parent = keys.reduce((o, k) => o[k], copy);
    parent[last] = f(parent[last]);
    return copy;
  }

  // Every string of both shapes: free text (tab and line breaks allowed) and one-line values.
  const freeText = [
    [full, 'data.booking.host.name'],
    [full, 'data.booking.title'],
    [full, 'data.booking.description'],
    [full, 'data.booking.location'],
    [full, 'data.booking.event_type.name'],
    [full, 'data.booking.cancel_reason'],
    [full, 'data.booking.attendees.0.name'],
    [full, 'data.booking.attendees.0.first_name'],
    [full, 'data.booking.attendees.0.last_name'],
    [full, 'data.booking.attendees.0.phone'],
    [full, 'data.booking.attendees.0.company'],
    [notes, 'data.summary'],
    [notes, 'data.action_items.0.text'],
    [notes, 'data.action_items.0.priority'],
    [notes, 'data.action_items.0.due'],
    [notes, 'data.action_items.0.owner'],
    [notes, 'data.transcript.0.speaker'],
    [notes, 'data.transcript.0.text'],
  ] as const;
  const oneLine = [
    [full, 'id'],
    [full, 'workspace_id'],
    [full, 'data.booking.id'],
    [full, 'data.booking.host.user_id'],
    [full, 'data.booking.host.email'],
    [full, 'data.booking.video_url'],
    [full, 'data.booking.event_type.id'],
    [full, 'data.booking.attendees.0.email'],
    [full, 'data.booking.timezone'],
    [full, 'data.booking.attendees.0.timezone'],
    [notes, 'data.booking_id'],
  ] as const;
  const bad = [
    ['a NUL byte', '\u0000'],
    ['an escape', '\u001b[31m'],
    ['a vertical tab', '\u000b'],
    ['a DEL', '\u007f'],
    ['a C1 control', '\u0085'],
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udc00'],
  ] as const;

  it('the full bodies used below are valid', () => {
    expect(parseEvent(full).ok).toBe(true);
    expect(parseEvent(notes).ok).toBe(true);
    expect(
      parseEvent({
        ...full,
        data: {
          booking: { ...full.data.booking, attendees: [{ email: 'a@b.co', timezone: 'Europe/Paris' }] },
        },
      }).ok,
    ).toBe(true);
  });

  describe.each(bad)('%s', (_name, char) => {
    it.each([...freeText, ...oneLine].map(([body, path]) => [path, body] as const))(
      'in %s is refused, naming the field',
      (path, body) => {
        const base =
          path === 'data.booking.attendees.0.timezone'
            ? {
                ...full,
                data: {
                  booking: {
                    ...full.data.booking,
                    attendees: [{ email: 'a@b.co', timezone: 'Europe/Paris' }],
                  },
                },
              }
            : body;
        const r = parseEvent(withString(base, path, (s) => `${s}${char}x`));
        expect(r.ok).toBe(false);
        expect(!r.ok && r.details.map((d) => d.path)).toContain(path);
      },
    );
  });

  it.each(freeText.map(([body, path]) => [path, body] as const))(
    'tabs and line breaks (LF, CRLF) in %s are kept',
    (path, body) => {
      const r = parseEvent(withString(body, path, (s) => `${s}\tcol\nline\r\nline`));
      expect(r.ok && JSON.stringify(r.event)).toContain('\\tcol\\nline\\r\\nline');
    },
  );

  it.each(
    oneLine
      .filter(([, p]) => !p.endsWith('timezone') && p !== 'data.booking.video_url')
      .map(([body, path]) => [path, body] as const),
  )('a line break or tab in the one-line %s is refused', (path, body) => {
    for (const br of ['\n', '\r', '\t']) {
      const r = parseEvent(withString(body, path, (s) => `${s}${br}Booking id: bk_2`));
      expect(!r.ok && r.details.map((d) => d.path)).toContain(path);
    }
  });

  it('the video link is checked as sent, not as the URL parser cleans it (it drops edge controls and breaks)', () => {
    const cases: Array<[string, (s: string) => string]> = [
      ['\n', (s) => `${s}\nBooking id: bk_2`],
      ['\t', (s) => `\t${s}`],
      ['\r', (s) => `${s}\r`],
      ['\f', (s) => `${s}\f`],
      ['\u0000', (s) => `\u0000${s}`],
    ];
    for (const [what, edit] of cases) {
      const r = parseEvent(withString(full, 'data.booking.video_url', edit));
      expect(r.ok, JSON.stringify(what)).toBe(false);
      expect(!r.ok && r.details.map((d) => d.path), JSON.stringify(what)).toEqual(['data.booking.video_url']);
    }
  });

  it('says why', () => {
    const r = parseEvent(withString(full, 'data.booking.attendees.0.name', () => 'Ada\u0000'));
    expect(!r.ok && r.details).toEqual([
      {
        path: 'data.booking.attendees.0.name',
        message:
          'must not contain control characters (other than tab and line breaks) or unpaired surrogates',
      },
    ]);
  });
});
