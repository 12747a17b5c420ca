import { describe, expect, it } from 'vitest';
import { AnalysisTimeout } from '../analysis/offline-thread.ts';
import { ConnectionUnavailableError } from '../connections/tokens.ts';
import { createLogger } from '../log.ts';
import { ZohoError } from '../zoho/errors.ts';
import { ClaimBusy, ClaimLag, ClaimLost } from './claims.ts';
import { createFailureLog, failureFacts } from './failure-log.ts';

/** A failure log writing to an array, on a clock the test moves. */
function setUp() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: 'debug' }, { write: (l: string) => lines.push(JSON.parse(l)) });
  let now = Date.parse('2026-01-01T09:00:00Z');
  const log = createFailureLog({ logger, clock: { now: () => new Date(now) } });
  return {
    log,
    lines: (level: number) => lines.filter((l) => l['level'] === level),
    advance(ms: number) {
      now += ms;
    },
  };
}

const http500 = () =>
  new ZohoError('transient', 'Zoho CRM: Internal Server Error (INTERNAL_ERROR)', {
    status: 500,
    zohoCode: 'INTERNAL_ERROR',
  });

describe('R6: failed syncs in the service log', () => {
  it('one warn line per connection and failure code a minute, then one saying how many were left out', () => {
    const t = setUp();
    for (let i = 0; i < 5; i++)
      t.log.attemptFailed(
        { eventId: `evt_${i}`, connectionId: 'con_1', attempt: { number: 1, of: 9 } },
        http500(),
      );
    // Another code, another connection: lines of their own.
    t.log.attemptFailed(
      { eventId: 'evt_a', connectionId: 'con_1' },
      new ZohoError('transient', 'Zoho CRM: timeout'),
    );
    t.log.attemptFailed({ eventId: 'evt_b', connectionId: 'con_2' }, http500());
    expect(t.lines(40).map((l) => [l['connectionId'], l['errorCode'], l['suppressed']])).toEqual([
      ['con_1', 'INTERNAL_ERROR', 0],
      ['con_1', 'transient', 0],
      ['con_2', 'INTERNAL_ERROR', 0],
    ]);
    expect(t.lines(40)[0]).toMatchObject({ eventId: 'evt_0', status: 500, attempt: 1, attempts: 9 });

    t.advance(59_999);
    t.log.attemptFailed({ eventId: 'evt_5', connectionId: 'con_1' }, http500());
    expect(t.lines(40)).toHaveLength(3);
    t.advance(1);
    t.log.attemptFailed({ eventId: 'evt_6', connectionId: 'con_1' }, http500());
    expect(t.lines(40).at(-1)).toMatchObject({
      eventId: 'evt_6',
      errorCode: 'INTERNAL_ERROR',
      suppressed: 5,
    });
  });

  it('says so when the failed attempt was the last', () => {
    const t = setUp();
    t.log.attemptFailed(
      { eventId: 'evt_1', connectionId: 'con_1', attempt: { number: 9, of: 9 } },
      http500(),
    );
    expect(t.lines(40)[0]!['msg']).toContain('no retries left');
  });

  it('an event that gives up is an error line, every time, with its reason', () => {
    const t = setUp();
    for (const id of ['evt_1', 'evt_2'])
      t.log.gaveUp(
        { eventId: id, connectionId: 'con_1' },
        { errorCode: 'retries_exhausted' },
        'retries_exhausted',
      );
    t.log.gaveUp(
      { eventId: 'evt_3', connectionId: 'con_1' },
      { errorCode: 'INVALID_DATA', status: 400 },
      'not_retryable',
    );
    expect(t.lines(50).map((l) => [l['eventId'], l['errorCode'], l['reason']])).toEqual([
      ['evt_1', 'retries_exhausted', 'retries_exhausted'],
      ['evt_2', 'retries_exhausted', 'retries_exhausted'],
      ['evt_3', 'INVALID_DATA', 'not_retryable'],
    ]);
  });

  it('waiting for a claim is no failure; a fenced-out attempt is', () => {
    const t = setUp();
    t.log.attemptFailed({ eventId: 'evt_1', connectionId: 'con_1' }, new ClaimBusy('the note'));
    t.log.attemptFailed({ eventId: 'evt_1', connectionId: 'con_1' }, new ClaimLag('the note', 'checking'));
    expect(t.lines(40)).toEqual([]);
    t.log.attemptFailed({ eventId: 'evt_1', connectionId: 'con_1' }, new ClaimLost('the note'));
    expect(t.lines(40).map((l) => l['errorCode'])).toEqual(['claim_lost']);
  });

  it('lines carry ids, codes and statuses, never an error message (it may quote a record)', () => {
    const t = setUp();
    const refusal = new ZohoError('transient', 'Zoho refused to log the Note “Call with ada@x.example”', {
      zohoCode: 'INTERNAL_ERROR',
    });
    t.log.attemptFailed({ eventId: 'evt_1', connectionId: 'con_1' }, refusal);
    const db = Object.assign(new Error('invalid input syntax for type json: "ada@x.example"'), {
      code: '22P02',
    });
    t.log.attemptFailed({ eventId: 'evt_2', connectionId: 'con_1' }, db);
    const text = JSON.stringify(t.lines(40));
    expect(text).not.toContain('ada@x.example');
    expect(t.lines(40)[1]).toMatchObject({
      errorCode: 'internal',
      internal: { type: 'Error', errorCode: '22P02' },
    });
  });

  it.each([
    [http500(), { errorCode: 'INTERNAL_ERROR', status: 500 }],
    [new ZohoError('rate_limit', 'x', { status: 429 }), { errorCode: 'rate_limit', status: 429 }],
    [new ConnectionUnavailableError('reconnect_needed', 'x'), { errorCode: 'connection_reconnect_needed' }],
    [new TypeError('x'), { errorCode: 'internal' }],
    [new AnalysisTimeout(30_000, '6,000 turns'), { errorCode: 'analysis_timeout' }],
  ])('facts of %s', (err, facts) => {
    expect(failureFacts(err)).toEqual(facts);
  });
});
