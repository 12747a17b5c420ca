import { describe, expect, it } from 'vitest';
import { signEvent, verifyEventSignature } from './signature.ts';

const secret = 'whsec_test_secret_value';
const body = '{"id":"evt_1"}';
const now = new Date('2026-11-25T10:00:00Z');
const t = Math.floor(now.getTime() / 1000);

describe('event signature', () => {
  it('accepts a fresh signature over the exact raw body', () => {
    expect(verifyEventSignature(secret, signEvent(secret, body, t), body, now)).toEqual({ ok: true });
  });

  it('refuses a missing, malformed, stale, wrong-secret or altered-body signature, saying which', () => {
    expect(verifyEventSignature(secret, undefined, body, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyEventSignature(secret, 'v1=abc', body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyEventSignature(secret, signEvent(secret, body, t - 301), body, now)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyEventSignature(secret, signEvent(secret, body, t + 301), body, now).ok).toBe(false);
    expect(verifyEventSignature(secret, signEvent('other', body, t), body, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyEventSignature(secret, signEvent(secret, body, t), `${body} `, now).ok).toBe(false);
  });

  it('accepts any of several v1 values, as during a secret rotation', () => {
    const good = signEvent(secret, body, t).split(',')[1];
    const header = `t=${t},v1=${'0'.repeat(64)},${good}`;
    expect(verifyEventSignature(secret, header, body, now)).toEqual({ ok: true });
  });
});
