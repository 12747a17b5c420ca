import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/port.ts';
import { createLogger } from '../../src/log.ts';
import { recordEvent } from '../../src/sync/intake.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { bookingEvent, notesEvent, sendEvent } from '../helpers/events.ts';
import { leakedLines } from '../helpers/logs.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * M2: a database error used to be logged whole — PGlite's `query` and `params` (the event's
 * payload: transcript, attendees' emails and names), pg's `where` (the JSON it choked on) and
 * `detail` ("Key (email)=(…)"). Real errors from both databases are logged here as the app logs
 * them, and hostile events are sent through the running app: no meeting content may reach the log.
 */
const sb = useSandbox();

const email = 'ada.secret@analytical.example';
const spoken = 'Our budget for this is forty thousand';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, log: createLogger({ level: 'info' }, stream) };
}

const noQueue = { send: async () => null };

/** Cases: a real query that fails on the database, the content it carries. */
const cases: Array<[string, (db: Database) => Promise<unknown>, string[]]> = [
  [
    'a booking whose attendee name holds a NUL (jsonb refuses \\u0000)',
    (db) => {
      const e = bookingEvent({ attendees: [{ email, name: 'Ada\u0000Lovelace-Secret' }] });
      return recordEvent({ db, queue: noQueue, logger: capture().log }, e as never);
    },
    [email, 'Lovelace-Secret', 'Discovery call'],
  ],
  [
    'meeting notes whose transcript holds a lone surrogate',
    (db) => {
      const e = notesEvent('bk_1', {
        summary: 'Summary: they sign in May',
        transcript: [{ speaker: 'Ada', text: `${spoken} \ud800` }],
      });
      return recordEvent({ db, queue: noQueue, logger: capture().log }, e as never);
    },
    [spoken, 'they sign in May'],
  ],
  [
    'a unique key holding an email (detail: "Key (id)=(…)")',
    (db) => db.query("INSERT INTO workspaces (id, name) VALUES ($1, 'x'), ($1, 'x')", [email]),
    [email],
  ],
  ['a text value with a NUL byte', (db) => db.query('SELECT $1::text', [`${spoken}\u0000`]), [spoken]],
];

describe.each(databaseKinds)('M2: database errors are logged without their values on %s', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it.each(cases)('%s', async (_name, fail, content) => {
    t = await freshDatabase(kind);
    const err = (await fail(t.db).then(
      () => expect.fail('the database accepted it'),
      (e: unknown) => e,
    )) as Error & { code: string };
    const { lines, log } = capture();
    log.error({ err }, 'request failed');
    const out = lines.join('');
    for (const value of content) expect(out).not.toContain(value);
    const line = JSON.parse(out);
    expect(line.err.message).toBe(err.message);
    expect(line.err.errorCode).toBe(err.code);
  });
});

describe.each(databaseKinds)('M2: hostile events through the API on %s', (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('leave no transcript, summary, attendee email or name in the app log, whatever the answer', async () => {
    app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base, sync: true });
    const booking = bookingEvent({
      attendees: [{ email: 'grace.hostile@navy.example', name: 'Grace\u0000Hopper-Hostile' }],
    });
    const notes = notesEvent(booking.data.booking.id, {
      summary: 'Hostile summary with a NUL\u0000 inside',
      transcript: [{ speaker: 'Grace', text: 'A hostile transcript line \ud800 with a lone surrogate' }],
    });
    for (const e of [booking, notes]) expect((await sendEvent(app.url, e)).status).not.toBe(202);
    expect(leakedLines()).toEqual([]);
  });
});
