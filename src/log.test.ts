import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger, lazyChild } from './log.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('logger redaction', () => {
  it('never writes tokens, grant codes, secrets or auth headers', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream);
    log.info(
      {
        access_token: 'AT-123',
        body: { refresh_token: 'RT-456', code: 'GC-789', client_secret: 'CS-000' },
        req: { headers: { authorization: 'Zoho-oauthtoken AT-123', cookie: 'sid=abc' } },
      },
      'token exchange',
    );
    const out = lines.join('');
    for (const secret of ['AT-123', 'RT-456', 'GC-789', 'CS-000', 'sid=abc'])
      expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
    expect(out).toContain('token exchange');
  });
});

describe('request URL redaction', () => {
  it('drops the grant code and state of an OAuth callback from request logs', () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info' }, stream);
    log.info(
      { req: { method: 'GET', url: '/cb?state=S-1&code=1000.abc.def&location=eu' } },
      'incoming request',
    );
    const out = lines.join('');
    expect(out).not.toContain('S-1');
    expect(out).not.toContain('1000.abc.def');
    expect(out).toContain('location=eu');
  });
});

describe('M2: meeting content and personal data never logged', () => {
  // Shaped as the databases raise them (see test/security/m2-log-redaction.int.test.ts for real ones).
  function pgliteError() {
    return Object.assign(new Error('unsupported Unicode escape sequence'), {
      severity: 'ERROR',
      code: '22P05',
      detail: '\\u0000 cannot be converted to text.',
      where: 'JSON data, line 1: {"name":"Ada Lovelace\\u0000...',
      routine: 'json_errsave_error',
      query: 'INSERT INTO events (id, payload) VALUES ($1, $2)',
      params: ['evt_1', { email: 'ada@analytical.example', transcript: [{ text: 'our budget is 40k' }] }],
    });
  }
  function pgError() {
    return Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
      severity: 'ERROR',
      code: '23505',
      detail: 'Key (email)=(grace@navy.example) already exists.',
      where: 'SQL statement "INSERT INTO users VALUES (\'Grace Hopper\')"',
      internalQuery: "SELECT 'Grace Hopper'",
      constraint: 'users_email_key',
      table: 'users',
    });
  }

  it.each([
    [
      'a PGlite error (query, params, where, detail)',
      pgliteError(),
      ['ada@analytical.example', 'our budget', 'Ada Lovelace', 'INSERT INTO events'],
    ],
    ['a pg error (detail, where, internalQuery)', pgError(), ['grace@navy.example', 'Grace Hopper']],
    [
      'an error whose cause is a database error',
      new Error('could not record the event', { cause: pgliteError() }),
      ['ada@analytical.example', 'our budget', 'Ada Lovelace'],
    ],
  ])('%s: its values are dropped, its message, code and stack kept', (_name, err, values) => {
    const { lines, stream } = capture();
    createLogger({ level: 'info' }, stream).error({ err }, 'request failed');
    const out = lines.join('');
    for (const v of values) expect(out).not.toContain(v);
    const line = JSON.parse(out);
    const logged = line.err.cause ?? line.err;
    expect(line.err.message).toBe(err.message);
    expect(line.err.stack).toContain(err.message);
    // As errorCode: `*.code` is redacted everywhere (a grant code).
    expect(logged.errorCode).toMatch(/^2/);
  });

  it('drops payloads, request bodies, transcripts, summaries, action items and people', () => {
    const { lines, stream } = capture();
    createLogger({ level: 'info' }, stream).info(
      {
        payload: { data: { summary: 'S1 pricing talk' } },
        body: '{"transcript":"T1 we sign in May"}',
        req: { method: 'POST', url: '/api/v1/events', body: { notes: 'N1 notes' } },
        transcript: [{ text: 'T2 the CFO agrees' }],
        summary: 'S2 renewal agreed',
        action_items: [{ text: 'A1 send the quote' }],
        attendees: [{ email: 'ada@analytical.example', name: 'Ada Lovelace' }],
        person: { email: 'grace@navy.example', name: 'Grace Hopper', phone: '+1 555 0100' },
        eventId: 'evt_kept',
      },
      'event',
    );
    const out = lines.join('');
    for (const v of [
      'S1',
      'T1',
      'N1',
      'T2',
      'S2',
      'A1',
      'ada@',
      'Ada Lovelace',
      'grace@',
      'Grace',
      '555 0100',
    ])
      expect(out).not.toContain(v);
    expect(out).toContain('evt_kept');
  });
});

describe('lazyChild', () => {
  it('makes the child only when a line at an enabled level is written, with its bindings', () => {
    const { lines, stream } = capture();
    const parent = createLogger({ level: 'info' }, stream);
    const child = vi.spyOn(parent, 'child');
    const log = lazyChild(parent, { reqId: 'req-7' });
    log.debug('below the level');
    expect(log.isLevelEnabled('debug')).toBe(false);
    expect(log.isLevelEnabled('no-such-level')).toBe(false);
    expect(log.level).toBe('info');
    expect(child).not.toHaveBeenCalled();
    expect(lines).toEqual([]);

    log.warn({ token: 'AT-1' }, 'slow request');
    expect(child).toHaveBeenCalledTimes(1);
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ reqId: 'req-7', msg: 'slow request', token: '[redacted]' });
    log.error('again');
    expect(child).toHaveBeenCalledTimes(1);
    expect(lines).toHaveLength(2);
  });

  it('honours a level of its own, before and after the child is made', () => {
    const { lines, stream } = capture();
    const parent = createLogger({ level: 'info' }, stream);
    const log = lazyChild(parent, { reqId: 'req-8' }, { level: 'warn' });
    log.info('dropped');
    expect(lines).toEqual([]);
    log.level = 'debug';
    log.debug('kept');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['kept']);
    log.level = 'silent';
    log.fatal('dropped too');
    expect(lines).toHaveLength(1);
  });
});
