import { describe, expect, it } from 'vitest';
import { refresh } from '../helpers/oauth-flow.ts';
import { type Tokens, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 08: the 11th refresh of one refresh token within 10 minutes', () => {
  const s = useSandbox();

  /** Zoho's throttle reply, quoted by several clients (HTTP status per the research notes). */
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

  it('allows 10 refreshes and refuses the 11th with Access Denied and no token', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const ten = await refreshTimes(tokens, 10);
    for (const r of ten) expect(r.body.access_token).toEqual(expect.any(String));
    expect(new Set(ten.map((r) => r.body.access_token)).size).toBe(10);

    await s.client.advanceClock(5 * 60); // still inside the 10 minutes
    const eleventh = await refresh(s.client, tokens, tokens.refresh_token!);
    expect(eleventh.status).toBe(400);
    expect(eleventh.body).toEqual(throttled);

    // Access tokens already minted are not affected.
    const last = { access_token: ten[9]!.body.access_token, api_domain: tokens.api_domain };
    expect((await s.client.api(last, 'GET', '/org')).status).toBe(200);
  });

  it('allows refreshing again once the 10-minute window has passed', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    await refreshTimes(tokens, 10);
    await s.client.advanceClock(9 * 60);
    expect((await refresh(s.client, tokens, tokens.refresh_token!)).body).toEqual(throttled);

    await s.client.advanceClock(61); // the first ten are now more than 10 minutes old
    const res = await refresh(s.client, tokens, tokens.refresh_token!);
    expect(res.status).toBe(200);
    expect(res.body.access_token).toEqual(expect.any(String));
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
