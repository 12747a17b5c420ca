import { describe, expect, it } from 'vitest';
import { refresh } from '../helpers/oauth-flow.ts';
import { type CreatedOrg, invalidToken, type Tokens, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 09: the 21st refresh token for one user and client deletes the oldest', () => {
  const s = useSandbox();

  /**
   * `n` refresh tokens of one user, all for the org's one Self Client. A minute apart, so
   * no 10 minutes ever hold more than 10 new grants (Zoho also throttles grant codes).
   */
  async function mint(org: CreatedOrg, n: number, email = org.users[0]!.email): Promise<Tokens[]> {
    const all: Tokens[] = [];
    for (let i = 0; i < n; i += 1) {
      all.push(await s.client.tokens(org, 'ZohoCRM.modules.ALL,ZohoCRM.org.READ', email));
      await s.client.advanceClock(61);
    }
    expect(new Set(all.map((t) => t.client_id)).size).toBe(1);
    return all;
  }

  const refreshes = async (t: Tokens) => (await refresh(s.client, t, t.refresh_token!)).body;

  it('keeps all 20 refresh tokens of a user working, whatever other users hold', async () => {
    const org = await s.client.createOrg();
    const otherEmail = uniqueEmail('other');
    const added = await s.client.json('POST', `/__sandbox/orgs/${org.org_id}/users`, {
      email: otherEmail,
      profile: 'Administrator',
    });
    expect(added.status).toBe(201);
    const mine = await mint(org, 10);
    await mint(org, 5, otherEmail);
    mine.push(...(await mint(org, 10)));

    for (const t of mine) expect((await refreshes(t)).access_token).toEqual(expect.any(String));
    expect((await s.client.api(mine[0]!, 'GET', '/org')).status).toBe(200);
  });

  it('the 21st deletes the oldest: it no longer refreshes and its access token gets 401', async () => {
    const org = await s.client.createOrg();
    const all = await mint(org, 21);
    const [oldest, second] = all;
    const newest = all[20]!;

    expect(await refreshes(oldest!)).toEqual({ error: 'invalid_code' });
    const api = await s.client.api(oldest!, 'GET', '/org');
    expect(api.status).toBe(401);
    expect(api.body).toEqual(invalidToken);

    for (const t of [second!, newest]) {
      expect((await refreshes(t)).access_token).toEqual(expect.any(String));
      expect((await s.client.api(t, 'GET', '/org')).status).toBe(200);
    }
  });
});
