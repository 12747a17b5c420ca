import { describe, expect, it } from 'vitest';
import { authorize, authParams, exchange, registerWebClient, type WebClient } from '../helpers/oauth-flow.ts';
import { type CreatedOrg, useSandbox } from '../helpers/sandbox.ts';

/**
 * CRM v8 "Token validity": at most 10 grant codes per client ID in a span of ten minutes; "if
 * the limit is reached, "access_denied" exception will be thrown for the remaining time". On
 * the consent page that is the redirect's `error=access_denied` (as for a Deny); the Self
 * Client console answers 429 (sandbox Guesses: no source shows either answer).
 */
describe('conformance 35: at most 10 grant codes per client in ten minutes', () => {
  const s = useSandbox();

  const accept = (org: CreatedOrg, app: WebClient, state: string) =>
    authorize(s.base, authParams(app, { state }), org.users[0]!.email);

  async function tenCodes(org: CreatedOrg, app: WebClient): Promise<string[]> {
    const codes: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const back = await accept(org, app, `st-${i}`);
      expect(back.searchParams.get('code'), `code ${i + 1}`).toEqual(expect.any(String));
      codes.push(back.searchParams.get('code')!);
    }
    return codes;
  }

  it('the 11th Accept within the span redirects with error=access_denied and no code', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const codes = await tenCodes(org, app);

    await s.client.advanceClock(60);
    const back = await accept(org, app, 'st-11');
    expect(`${back.origin}${back.pathname}`).toBe(app.redirect_uri);
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: 'access_denied', state: 'st-11' });

    // The ten codes given are good: the cap refuses new ones only.
    const token = await exchange(s.client, org.accounts_url, app, codes[9]!);
    expect(token.body.access_token).toEqual(expect.any(String));
  });

  it('refuses for the rest of the span that began with the first code, then gives codes again', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    await tenCodes(org, app);
    for (const seconds of [120, 300, 170]) {
      await s.client.advanceClock(seconds); // 2, 7 and 9:50 minutes after the first code
      expect((await accept(org, app, 'st-late')).searchParams.get('error')).toBe('access_denied');
    }
    await s.client.advanceClock(12); // the span is over: a fresh one with ten codes
    const codes = await tenCodes(org, app);
    expect((await exchange(s.client, org.accounts_url, app, codes[0]!)).body.access_token).toEqual(
      expect.any(String),
    );
  });

  it('counts per client: another client, and other users, are not held back by it', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const other = await registerWebClient(s.client);
    await tenCodes(org, app);
    expect((await accept(org, app, 'st')).searchParams.get('error')).toBe('access_denied');
    expect((await accept(org, other, 'st')).searchParams.get('code')).toEqual(expect.any(String));
  });

  it('caps the Self Client too: the 11th code request gets 429 access_denied, with when to retry', async () => {
    const org = await s.client.createOrg();
    const request = () =>
      s.client.json('POST', '/__sandbox/self-client', {
        org_id: org.org_id,
        user_email: org.users[0]!.email,
        scope: 'ZohoCRM.modules.ALL',
      });
    for (let i = 0; i < 10; i += 1) expect((await request()).status, `code ${i + 1}`).toBe(201);
    await s.client.advanceClock(4 * 60);
    const refused = await request();
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/^access_denied/);
    expect(refused.body.error.details[0]).toMatchObject({ error: 'access_denied' });
    expect(refused.body.error.details[0].retry_after_seconds).toBeGreaterThan(5 * 60);
    expect(refused.body.error.details[0].retry_after_seconds).toBeLessThanOrEqual(6 * 60);

    await s.client.advanceClock(refused.body.error.details[0].retry_after_seconds);
    expect((await request()).status).toBe(201);
  });
});
