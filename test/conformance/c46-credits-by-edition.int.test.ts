import { describe, expect, it } from 'vitest';
import { uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

/**
 * ZOHO-API.md §8 (Zoho "API limits", v8): credits per rolling 24 hours by edition and user
 * licences — Free 5,000; Standard 50,000 + 250/user up to 100,000; Professional 50,000 +
 * 500/user up to 3,000,000; Enterprise 50,000 + 1,000/user up to 5,000,000; Ultimate
 * 50,000 + 2,000/user with no maximum. The gate refuses calls past this figure (case 28).
 */
describe('conformance 46: API credits per day follow the edition and the number of users', () => {
  const s = useSandbox();

  const users = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      email: uniqueEmail(`u${i}`),
      profile: i === 0 ? 'Administrator' : 'Standard',
    }));

  const creditsPerDay = async (edition: string, n: number) => {
    const org = await s.client.createOrg({ edition: edition as 'free', users: users(n) });
    const res = await s.client.json('GET', `/__sandbox/orgs/${org.org_id}`);
    return res.body.limits.credits_per_day as number;
  };

  it('gives each edition its base plus its share per user', async () => {
    expect(await creditsPerDay('free', 3)).toBe(5_000);
    expect(await creditsPerDay('standard', 3)).toBe(50_750);
    expect(await creditsPerDay('professional', 3)).toBe(51_500);
    expect(await creditsPerDay('enterprise', 3)).toBe(53_000);
    expect(await creditsPerDay('ultimate', 3)).toBe(56_000);
  });

  it('caps Standard at 100,000, but not Ultimate', async () => {
    expect(await creditsPerDay('standard', 250)).toBe(100_000);
    // 50,000 + 2,600 × 2,000 = 5,250,000: past Enterprise's 5,000,000 cap, which Ultimate does not have.
    expect(await creditsPerDay('ultimate', 2_600)).toBe(5_250_000);
  });
});
