import { describe, expect, it } from 'vitest';
import { ConnectionUnavailableError } from '../connections/tokens.ts';
import { ZohoError, type ZohoErrorKind } from '../zoho/errors.ts';
import { unavailableReason } from './decide.ts';

/** What stood in the way of an approval, and so what the page tells the user to do. */
describe('unavailableReason', () => {
  it('the connection as the token manager found it: not connected, or reconnect needed', () => {
    for (const reason of ['not_connected', 'reconnect_needed'] as const)
      for (const sent of [false, true])
        expect(unavailableReason(new ConnectionUnavailableError(reason, 'x'), sent)).toBe(reason);
  });

  const cases: Array<[ZohoErrorKind, string, string]> = [
    ['token', 'reconnect_needed', 'reconnect_needed'],
    ['grant', 'reconnect_needed', 'reconnect_needed'],
    ['scope', 'reconnect_needed', 'reconnect_needed'],
    ['permission', 'no_access', 'no_access'],
    ['edition', 'no_access', 'no_access'],
    // A 429 was not applied, even after sending; anything else after sending may have been.
    ['rate_limit', 'unreachable', 'unreachable'],
    ['transient', 'unreachable', 'unconfirmed'],
    ['invalid', 'unreachable', 'unconfirmed'],
    ['not_found', 'unreachable', 'unconfirmed'],
    ['redirect', 'unreachable', 'unconfirmed'],
    ['untrusted_host', 'unreachable', 'unconfirmed'],
  ];
  it.each(cases)('Zoho error %s: %s before the stage change is sent, %s after', (kind, before, after) => {
    const err = new ZohoError(kind, 'x');
    expect(unavailableReason(err, false)).toBe(before);
    expect(unavailableReason(err, true)).toBe(after);
  });

  it('anything else is no Zoho answer at all: not explained away (the route fails loudly)', () => {
    expect(unavailableReason(new Error('bug'), false)).toBeUndefined();
    expect(unavailableReason('x', true)).toBeUndefined();
  });
});
