import { describe, expect, it } from 'vitest';
import { createCore } from './core.ts';
import { chargeCredits, creditsPerDay, creditsUsed } from './limits.ts';
import { type Edition, emptyState, type SbOrg } from './state.ts';

/**
 * The credit caps of ZOHO-API.md §8 need thousands of user licences to reach: checked on the
 * function the gate uses (conformance 46 checks the per-user shares over HTTP).
 */
const org = (edition: Edition, users: number) =>
  ({ edition, users: Array.from({ length: users }, (_, i) => String(i)) }) as unknown as SbOrg;

describe('API credits per day at the caps', () => {
  it('caps Standard at 100,000, Professional at 3,000,000, Enterprise at 5,000,000; Ultimate has none', () => {
    expect(creditsPerDay(org('standard', 201))).toBe(100_000);
    expect(creditsPerDay(org('professional', 5_900))).toBe(3_000_000);
    expect(creditsPerDay(org('professional', 5_901))).toBe(3_000_000);
    expect(creditsPerDay(org('professional', 5_899))).toBe(2_999_500);
    expect(creditsPerDay(org('enterprise', 4_951))).toBe(5_000_000);
    expect(creditsPerDay(org('enterprise', 4_949))).toBe(4_999_000);
    expect(creditsPerDay(org('ultimate', 2_600))).toBe(5_250_000);
    expect(creditsPerDay(org('free', 5_000))).toBe(5_000);
  });
});

describe('API credits used in the last 24 hours', () => {
  const HOUR = 60 * 60 * 1000;
  const core = () => createCore(emptyState('secret'), {});

  it('adds up the charges of the last day, and lets each go a day after it was charged', () => {
    const c = core();
    chargeCredits(c, 'org', 1);
    c.state.clock_offset_ms += 12 * HOUR;
    chargeCredits(c, 'org', 2);
    chargeCredits(c, 'other', 5);
    expect(creditsUsed(c, 'org')).toBe(3);
    c.state.clock_offset_ms += 12 * HOUR;
    expect(creditsUsed(c, 'org')).toBe(2);
    chargeCredits(c, 'org', 4);
    expect(creditsUsed(c, 'org')).toBe(6);
    c.state.clock_offset_ms += 24 * HOUR;
    expect(creditsUsed(c, 'org')).toBe(0);
    expect(creditsUsed(c, 'other')).toBe(0);
    expect(creditsUsed(c, 'none')).toBe(0);
  });

  it('keeps counting right after the sandbox clock is set back, and for charges loaded from a saved state', () => {
    const c = core();
    c.state.clock_offset_ms = 10 * HOUR;
    chargeCredits(c, 'org', 1);
    c.state.clock_offset_ms = 0;
    chargeCredits(c, 'org', 2);
    // A day after the second charge the first (charged ten hours "later") is still in the day.
    c.state.clock_offset_ms = 24 * HOUR + 1;
    expect(creditsUsed(c, 'org')).toBe(1);
    // Charges as a saved state holds them, out of clock order from an older sandbox.
    const now = Date.now();
    c.state.clock_offset_ms = 0;
    c.state.credits['loaded'] = [
      { ms: now - 2 * HOUR, cost: 3 },
      { ms: now - 30 * HOUR, cost: 7 },
      { ms: now - HOUR, cost: 1 },
    ];
    expect(creditsUsed(c, 'loaded')).toBe(4);
  });
});
