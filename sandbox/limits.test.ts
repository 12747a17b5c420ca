import { describe, expect, it } from 'vitest';
import { creditsPerDay } from './limits.ts';
import type { Edition, SbOrg } from './state.ts';

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
