import { describe, expect, it } from 'vitest';
import { ZohoError } from './errors.ts';
import { backoffMs, shouldRetry } from './retry.ts';

const policy = { attempts: 4, baseMs: 100, maxMs: 1000 };

describe('retry decisions', () => {
  it('retries rate limits for any method, up to the attempt limit', () => {
    const e = new ZohoError('rate_limit', 'x', { status: 429 });
    expect(shouldRetry(e, 'POST', 1, policy)).toBe(true);
    expect(shouldRetry(e, 'GET', 3, policy)).toBe(true);
    expect(shouldRetry(e, 'GET', 4, policy)).toBe(false);
  });

  it('retries transient failures of reads and updates but not of creates, which may have landed', () => {
    const e = new ZohoError('transient', 'x', { status: 500 });
    expect(shouldRetry(e, 'GET', 1, policy)).toBe(true);
    expect(shouldRetry(e, 'PUT', 1, policy)).toBe(true);
    expect(shouldRetry(e, 'POST', 1, policy)).toBe(false);
  });

  it('leaves a wait longer than the longest backoff to the caller', () => {
    const e = new ZohoError('rate_limit', 'x', { retryAfterMs: 60_000 });
    expect(shouldRetry(e, 'GET', 1, policy)).toBe(false);
    expect(shouldRetry(new ZohoError('rate_limit', 'x', { retryAfterMs: 500 }), 'GET', 1, policy)).toBe(true);
  });

  it('never retries what a retry cannot fix', () => {
    for (const kind of ['invalid', 'permission', 'scope', 'edition', 'grant', 'not_found'] as const)
      expect(shouldRetry(new ZohoError(kind, 'x'), 'GET', 1, policy)).toBe(false);
  });

  it('backs off exponentially with jitter, capped, and never below a floor', () => {
    expect(backoffMs(1, policy, 0, () => 0)).toBe(50);
    expect(backoffMs(1, policy, 0, () => 1)).toBe(100);
    expect(backoffMs(3, policy, 0, () => 1)).toBe(400);
    expect(backoffMs(10, policy, 0, () => 1)).toBe(1000);
    expect(backoffMs(1, policy, 60_000, () => 1)).toBe(60_000);
  });
});
