import { describe, expect, it } from 'vitest';
import { refresh } from '../helpers/oauth-flow.ts';
import { invalidToken, type Tokens, useSandbox } from '../helpers/sandbox.ts';

/**
 * CRM v8 "Token validity": at most 15 active access tokens per refresh token; the 16th
 * invalidates the oldest. Ten refreshes fit a ten-minute span (case 8), so the test mints
 * across two spans; every token still has most of its hour.
 */
describe('conformance 34: at most 15 live access tokens per refresh token', () => {
  const s = useSandbox();

  async function mint(tokens: Tokens, n: number): Promise<string[]> {
    const minted: string[] = [];
    for (let i = 0; i < n; i += 1) {
      const res = await refresh(s.client, tokens, tokens.refresh_token!);
      expect(res.body.access_token, `refresh ${i + 1}`).toEqual(expect.any(String));
      minted.push(res.body.access_token);
    }
    return minted;
  }

  const status = async (tokens: Tokens, accessToken: string) =>
    (await s.client.api({ access_token: accessToken, api_domain: tokens.api_domain }, 'GET', '/org')).status;

  it('keeps 15 working; the 16th invalidates the oldest, the 17th the next', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org); // live token 1: the code exchange's
    const live = [tokens.access_token, ...(await mint(tokens, 10))]; // 11
    await s.client.advanceClock(10 * 60 + 1); // a new refresh span; all still within their hour
    live.push(...(await mint(tokens, 4))); // 15
    for (const t of live) expect(await status(tokens, t)).toBe(200);

    live.push(...(await mint(tokens, 1))); // 16: the oldest goes
    const oldest = await s.client.api(
      { access_token: live[0]!, api_domain: tokens.api_domain },
      'GET',
      '/org',
    );
    expect(oldest.status).toBe(401);
    expect(oldest.body).toEqual(invalidToken);
    for (const t of live.slice(1)) expect(await status(tokens, t)).toBe(200);

    live.push(...(await mint(tokens, 1))); // 17: the next oldest goes
    expect(await status(tokens, live[1]!)).toBe(401);
    for (const t of live.slice(2)) expect(await status(tokens, t)).toBe(200);
  });

  it('counts live tokens only: expired ones make room without invalidating anything', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    await mint(tokens, 10); // 11 minted, all expire within the hour
    await s.client.advanceClock(3601);
    const fresh = await mint(tokens, 10);
    await s.client.advanceClock(10 * 60 + 1);
    fresh.push(...(await mint(tokens, 5))); // 15 live again, 11 expired before them
    for (const t of fresh) expect(await status(tokens, t)).toBe(200);
  });

  it('counts per refresh token: another grant of the same user keeps its own 15', async () => {
    const org = await s.client.createOrg();
    const a = await s.client.tokens(org);
    const b = await s.client.tokens(org);
    await mint(a, 10);
    await s.client.advanceClock(10 * 60 + 1);
    await mint(a, 6); // a's first token is gone
    expect(await status(a, a.access_token)).toBe(401);
    expect(await status(b, b.access_token)).toBe(200);
  });
});
