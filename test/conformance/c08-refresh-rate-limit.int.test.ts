import { describe, expect, it } from 'vitest';
import { refresh } from '../helpers/oauth-flow.ts';
import { type Tokens, useSandbox } from '../helpers/sandbox.ts';

/**
 * Zoho: at most 10 access tokens from one refresh token "in a span of 10 minutes"; beyond
 * that, "Access Denied" with HTTP 200 (Kaizen #43: "the status code … remains 200"; body from
 * the CRM token-validity page) until the span is over. The span opens with the first refresh
 * after the previous one closed (sandbox Guesses: no source says how Zoho cuts the spans).
 */
describe('conformance 08: the 11th refresh of one refresh token within 10 minutes', () => {
  const s = useSandbox();

  const throttled = {
    error_description: 'You have made too many requests continuously. Please try again after some time.',
    error: 'Access Denied',
    status: 'failure',
  };

  async function refreshTimes(tokens: Tokens, n: number) {
    const replies = [];
    for (let i = 0; i < n; i += 1) replies.push(await refresh(s.client, tokens, tokens.refresh_token!));
    return replies;
  }

  it('allows 10 refreshes and refuses the 11th with HTTP 200, Access Denied and no token', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const ten = await refreshTimes(tokens, 10);
    for (const r of ten) expect(r.body.access_token).toEqual(expect.any(String));
    expect(new Set(ten.map((r) => r.body.access_token)).size).toBe(10);

    await s.client.advanceClock(5 * 60); // still inside the 10 minutes
    const eleventh = await refresh(s.client, tokens, tokens.refresh_token!);
    expect(eleventh.status).toBe(200);
    expect(eleventh.headers.get('content-type')).toMatch(/^application\/json/);
    expect(eleventh.body).toEqual(throttled);

    // Access tokens already minted are not affected.
    const last = { access_token: ten[9]!.body.access_token, api_domain: tokens.api_domain };
    expect((await s.client.api(last, 'GET', '/org')).status).toBe(200);
  });

  it('blocks for the rest of the span that began with the first refresh, however often it is asked', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    await refreshTimes(tokens, 10);
    for (const seconds of [60, 240, 239]) {
      await s.client.advanceClock(seconds); // 1, 5 and 8:59 minutes after the first refresh
      expect((await refresh(s.client, tokens, tokens.refresh_token!)).body).toEqual(throttled);
    }
    await s.client.advanceClock(61); // the span that began with the first refresh is over
    const res = await refresh(s.client, tokens, tokens.refresh_token!);
    expect(res.status).toBe(200);
    expect(res.body.access_token).toEqual(expect.any(String));
  });

  it('opens a whole new span once the last one is over, not a slot per refresh that aged out', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    await refreshTimes(tokens, 1); // opens the span at t0
    await s.client.advanceClock(9 * 60);
    await refreshTimes(tokens, 9); // t0 + 9 min: the span is full
    expect((await refresh(s.client, tokens, tokens.refresh_token!)).body).toEqual(throttled);

    await s.client.advanceClock(61); // t0 + 10:01: a new span, though nine refreshes are a minute old
    const next = await refreshTimes(tokens, 10);
    for (const r of next) expect(r.body.access_token).toEqual(expect.any(String));
    expect((await refresh(s.client, tokens, tokens.refresh_token!)).body).toEqual(throttled);
  });

  it('counts per refresh token: another refresh token of the same user and client still refreshes', async () => {
    const org = await s.client.createOrg();
    const a = await s.client.tokens(org);
    const b = await s.client.tokens(org);
    expect(b.client_id).toBe(a.client_id);
    await refreshTimes(a, 10);
    expect((await refresh(s.client, a, a.refresh_token!)).body).toEqual(throttled);

    const res = await refresh(s.client, b, b.refresh_token!);
    expect(res.status).toBe(200);
    expect(res.body.access_token).toEqual(expect.any(String));
  });
});
