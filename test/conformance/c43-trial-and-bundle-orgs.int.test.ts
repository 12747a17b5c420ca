import { describe, expect, it } from 'vitest';
import { type CreatedOrg, OVERLAP_MS, type Tokens, useSandbox } from '../helpers/sandbox.ts';

const DAY_S = 24 * 60 * 60;

describe('conformance 43: trial orgs and orgs on a bundle report their licence as Zoho does', () => {
  const s = useSandbox();

  const orgReply = async (tokens: Tokens) => (await s.client.api(tokens, 'GET', '/org')).body.org[0];
  const admin = async (org: CreatedOrg) => (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}`)).body;
  const burst = (tokens: Tokens, n: number) =>
    Promise.all(Array.from({ length: n }, () => s.client.api(tokens, 'GET', '/org')));

  it('a trial reads paid false, paid_type "free", trial_type of the trial edition, its expiry ahead', async () => {
    const before = Date.now();
    const org = await s.client.createOrg({ edition: 'free', trial: { edition: 'professional' } });
    const tokens = await s.client.tokens(org, 'ZohoCRM.org.READ');
    const license = (await orgReply(tokens)).license_details;
    expect(license).toMatchObject({
      paid: false,
      paid_type: 'free',
      paid_expiry: null,
      trial_type: 'professional',
      trial_expiry: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/),
    });
    // Zoho's trials last 15 days unless the admin API is told otherwise.
    const days = (Date.parse(license.trial_expiry) - before) / (DAY_S * 1000);
    expect(days).toBeGreaterThan(14.9);
    expect(days).toBeLessThan(15.1);
    expect((await admin(org)).license).toEqual(license);
  });

  it('a running trial gets the trial edition’s limits (a guess no Zoho source settles)', async () => {
    const org = await s.client.createOrg({
      edition: 'free',
      trial: { edition: 'professional' },
      latency_ms: OVERLAP_MS,
    });
    const limits = (await admin(org)).limits;
    expect(limits).toMatchObject({ edition: 'professional', concurrency: 15, credits_per_day: 50_500 });
    const tokens = await s.client.tokens(org, 'ZohoCRM.org.READ');
    const statuses = (await burst(tokens, 17)).map((r) => r.status);
    expect(statuses.filter((st) => st === 200)).toHaveLength(15);
    expect(statuses.filter((st) => st === 429)).toHaveLength(2);
  });

  it('a bundle keeps its own paid_type; the limits are those of the edition it stands for', async () => {
    const zohoOne = await s.client.createOrg({ edition: 'enterprise', paid_type: 'zohoone' });
    const crmPlus = await s.client.createOrg({ edition: 'ultimate', paid_type: 'crmplus' });
    const unknown = await s.client.createOrg({ edition: 'standard', paid_type: 'platinum' });
    for (const [org, paidType, concurrency] of [
      [zohoOne, 'zohoone', 20],
      [crmPlus, 'crmplus', 25],
      [unknown, 'platinum', 10],
    ] as const) {
      const tokens = await s.client.tokens(org, 'ZohoCRM.org.READ');
      expect((await orgReply(tokens)).license_details).toMatchObject({
        paid: true,
        paid_type: paidType,
        trial_type: null,
        trial_expiry: null,
      });
      expect((await admin(org)).limits.concurrency).toBe(concurrency);
    }
  });

  it('refuses a trial of an edition Zoho has no trial for, and a blank paid_type', async () => {
    for (const body of [
      { trial: { edition: 'free' } },
      { trial: { edition: 'professional', expires_in_days: 0 } },
      { paid_type: '' },
    ]) {
      const res = await s.client.json('POST', '/__sandbox/orgs', {
        name: 'Bad Licence',
        edition: 'free',
        data_center: 'us',
        users: [{ email: `bad.${Date.now()}.${Math.random()}@example.com` }],
        ...body,
      });
      expect(res.status).toBe(400);
    }
  });

  // Moves the sandbox clock: keep last in this file.
  it('once the trial has run out the org is on its own edition’s limits; the licence still names the trial', async () => {
    const org = await s.client.createOrg({
      edition: 'free',
      trial: { edition: 'enterprise', expires_in_days: 3 },
      latency_ms: OVERLAP_MS,
    });
    expect((await admin(org)).limits).toMatchObject({ edition: 'enterprise', concurrency: 20 });
    const moved = await s.client.advanceClock(3 * DAY_S + 60);
    const tokens = await s.client.tokens(org, 'ZohoCRM.org.READ');
    const license = (await orgReply(tokens)).license_details;
    expect(license).toMatchObject({ paid: false, paid_type: 'free', trial_type: 'enterprise' });
    // The expiry is in the past by the sandbox clock.
    expect(Date.parse(license.trial_expiry)).toBeLessThan(Date.parse(moved.body.now));
    expect((await admin(org)).limits).toMatchObject({
      edition: 'free',
      concurrency: 5,
      credits_per_day: 5_000,
    });
    const statuses = (await burst(tokens, 7)).map((r) => r.status);
    expect(statuses.filter((st) => st === 200)).toHaveLength(5);
    expect(statuses.filter((st) => st === 429)).toHaveLength(2);
  });
});
