import type { ZohoError } from './errors.ts';

/**
 * Whether and when to try a Zoho call again: pure decisions, unit-tested. Zoho's 429 has no
 * Retry-After header (ZOHO-API.md §6), so we back off exponentially with full jitter.
 */
export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

/**
 * A refused call (429) was not applied, so any method may retry it. A 5xx or a dropped
 * connection may have been applied: only reads and idempotent writes are repeated here; a
 * create is left to the caller, who knows how to check before writing again.
 */
export function shouldRetry(err: ZohoError, method: string, attempt: number, policy: RetryPolicy): boolean {
  if (attempt >= policy.attempts) return false;
  // A wait longer than we would block a caller for is left to the caller (a job reschedules).
  if (err.retryAfterMs !== undefined && err.retryAfterMs > policy.maxMs) return false;
  if (err.kind === 'rate_limit') return true;
  if (err.kind === 'transient') return method !== 'POST';
  return false;
}

export function backoffMs(attempt: number, policy: RetryPolicy, floorMs = 0, random = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.max(floorMs, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}
