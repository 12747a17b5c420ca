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

  it('charges an insert or an update one credit per 10 records', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org);
    const used = async () =>
      (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}`)).body.limits.credits_used as number;
    const people = Array.from({ length: 25 }, (_, i) => ({ Last_Name: `P${i}` }));
    const before = await used();
    const inserted = await s.client.api(tokens, 'POST', '/Contacts', { data: people });
    expect(inserted.status).toBe(201);
    expect((await used()) - before).toBe(3);
    const ids = inserted.body.data.map((d: { details: { id: string } }) => d.details.id);
    const updated = await s.client.api(tokens, 'PUT', '/Contacts', {
      data: ids.slice(0, 11).map((id: string) => ({ id, Title: 'Buyer' })),
    });
    expect(updated.status).toBe(200);
    expect((await used()) - before).toBe(5);
  });

  it('caps Standard at 100,000 (the other caps need thousands of licences: sandbox/limits.test.ts)', async () => {
    expect(await creditsPerDay('standard', 250)).toBe(100_000);
  });
});
