import { describe, expect, it } from 'vitest';
import { uniqueEmail, useSandbox } from '../../test/helpers/sandbox.ts';

describe('sandbox admin API', () => {
  const s = useSandbox();

  it('POST /__sandbox/orgs answers the contract: org id, data centre, base URLs and user ids', async () => {
    const email = uniqueEmail('eu');
    const res = await s.client.json('POST', '/__sandbox/orgs', {
      name: 'Contract GmbH',
      edition: 'professional',
      data_center: 'eu',
      users: [{ email, first_name: 'Eva', last_name: 'Berg', profile: 'Administrator' }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      org_id: expect.any(String),
      data_center: 'eu',
      accounts_url: `${s.base}/eu/accounts`,
      api_domain: `${s.base}/eu/api`,
      users: [{ id: expect.stringMatching(/^\d{19}$/), email }],
    });
  });

  it('refuses an invalid org with every problem named, and a duplicate user email', async () => {
    const bad = await s.client.json('POST', '/__sandbox/orgs', {
      name: '',
      edition: 'gold',
      data_center: 'mars',
      users: [],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'data_center',
      'edition',
      'name',
      'users',
    ]);
    const org = await s.client.createOrg();
    const dup = await s.client.json('POST', '/__sandbox/orgs', {
      name: 'Dup',
      edition: 'free',
      data_center: 'us',
      users: [{ email: org.users[0]!.email }],
    });
    expect(dup.status).toBe(409);
  });

  it('POST /__sandbox/self-client mints a grant code; GET calls lists calls oldest first with the contract fields', async () => {
    const org = await s.client.createOrg();
    const sc = await s.client.json('POST', '/__sandbox/self-client', {
      org_id: org.org_id,
      user_email: org.users[0]!.email,
      scope: 'ZohoCRM.org.READ',
    });
    expect(sc.status).toBe(201);
    expect(sc.body).toEqual(
      expect.objectContaining({
        client_id: expect.any(String),
        client_secret: expect.any(String),
        code: expect.any(String),
      }),
    );
    const tokens = await s.client.tokens(org, 'ZohoCRM.org.READ');
    await s.client.api(tokens, 'GET', '/org');
    await s.client.api(tokens, 'GET', '/users?type=CurrentUser');
    const calls = await s.client.calls(org);
    const api = calls.filter((c) => c.path.startsWith('/crm/'));
    expect(api.map((c) => [c.method, c.path, c.status])).toEqual([
      ['GET', '/crm/v8/org', 200],
      ['GET', '/crm/v8/users', 401],
    ]);
    for (const c of calls) {
      expect(c).toEqual(
        expect.objectContaining({
          at: expect.any(String),
          method: expect.any(String),
          path: expect.any(String),
          status: expect.any(Number),
          user_id: org.users[0]!.id,
        }),
      );
    }
    expect(calls.map((c) => c.at)).toEqual([...calls.map((c) => c.at)].sort());
  });

  it('shows each org and its records in a web view a person can read', async () => {
    const org = await s.client.createOrg({ name: 'Viewable Co' });
    const tokens = await s.client.tokens(org);
    const created = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ First_Name: 'Vera', Last_Name: 'Visible', Email: 'vera@example.com' }],
    });
    const index = await (await fetch(`${s.base}/__sandbox/`)).text();
    expect(index).toContain('Viewable Co');
    const view = await (await fetch(`${s.base}/__sandbox/orgs/${org.org_id}/view`)).text();
    expect(view).toContain('Visible');
    expect(view).toContain('vera@example.com');
    const detail = await fetch(
      `${s.base}/__sandbox/orgs/${org.org_id}/view/Contacts/${created.body.data[0].details.id}`,
    );
    expect(detail.status).toBe(200);
    expect(await detail.text()).toContain('Vera');
  });

  it('lists converted, merged-away and deleted records apart in the web view', async () => {
    const org = await s.client.createOrg();
    const [lead] = await s.client.seed(org, 'Leads', [
      { First_Name: 'Lou', Last_Name: 'Converted', Company: 'Co' },
    ]);
    const [contact] = await s.client.seed(org, 'Contacts', [{ Last_Name: 'Binned' }]);
    const converted = await s.client.convertLead(org, lead!, { account: false });
    await s.client.deleteRecord(org, 'Contacts', contact!);
    const view = await (await fetch(`${s.base}/__sandbox/orgs/${org.org_id}/view`)).text();
    const gone = view.slice(view.indexOf('id="gone"'));
    expect(gone).toContain('Lou Converted');
    expect(gone).toContain(`Contacts ${converted.body.Contacts}`);
    expect(gone).toContain('Binned');
    expect(gone).toContain('deleted');
  });

  it('escapes record content in the web view', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: '<script>alert(1)</script>' }] });
    const view = await (await fetch(`${s.base}/__sandbox/orgs/${org.org_id}/view`)).text();
    expect(view).not.toContain('<script>alert(1)</script>');
    expect(view).toContain('&lt;script&gt;');
  });

  it('takes latency_jitter_ms (default 0) at creation and by PATCH, shows it beside latency_ms, and refuses a bad one', async () => {
    const plain = await s.client.createOrg({ latency_ms: 20 });
    const shown = async (orgId: string) => (await s.client.json('GET', `/__sandbox/orgs/${orgId}`)).body;
    expect(await shown(plain.org_id)).toMatchObject({ latency_ms: 20, latency_jitter_ms: 0 });

    const jittered = await s.client.createOrg({ latency_ms: 200, latency_jitter_ms: 100 });
    expect(await shown(jittered.org_id)).toMatchObject({ latency_ms: 200, latency_jitter_ms: 100 });
    const patched = await s.client.json('PATCH', `/__sandbox/orgs/${jittered.org_id}`, {
      latency_jitter_ms: 40,
    });
    expect(patched.body).toMatchObject({ latency_ms: 200, latency_jitter_ms: 40 });
    expect(await shown(jittered.org_id)).toMatchObject({ latency_ms: 200, latency_jitter_ms: 40 });

    for (const bad of [-1, 1.5, 60_001, '100'])
      expect(
        (await s.client.json('PATCH', `/__sandbox/orgs/${jittered.org_id}`, { latency_jitter_ms: bad }))
          .status,
      ).toBe(400);
    const refused = await s.client.json('POST', '/__sandbox/orgs', {
      name: 'Bad jitter',
      edition: 'free',
      data_center: 'us',
      latency_jitter_ms: -5,
      users: [{ email: uniqueEmail('jitter') }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d: { path: string }) => d.path)).toEqual(['latency_jitter_ms']);
    expect(await shown(jittered.org_id)).toMatchObject({ latency_jitter_ms: 40 });
  });

  it('holds each API call at least latency_ms − latency_jitter_ms', async () => {
    const org = await s.client.createOrg({ latency_ms: 300, latency_jitter_ms: 100 });
    const tokens = await s.client.tokens(org);
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    }
  });

  it('GET calls/count counts every API and accounts call by status until the log is cleared', async () => {
    // Five credits a day: the sixth and seventh calls are refused with 429, one after the other —
    // not by overlapping calls, which a loaded machine may send too far apart to overlap (a CI
    // run had all seven answered 200 behind a 300 ms latency).
    const org = await s.client.createOrg({ edition: 'free', credits_per_day: 5 });
    const tokens = await s.client.tokens(org);
    for (let i = 0; i < 7; i++) await s.client.api(tokens, 'GET', '/org');
    const count = (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/calls/count`)).body;
    expect(count).toEqual({ api: { 200: 5, 429: 2 }, accounts: { 200: 1 } });
    const log = await s.client.calls(org);
    expect(log.filter((c: { path: string }) => !c.path.startsWith('/oauth'))).toHaveLength(7);

    expect((await s.client.json('DELETE', `/__sandbox/orgs/${org.org_id}/calls`)).status).toBe(204);
    expect((await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/calls/count`)).body).toEqual({
      api: {},
      accounts: {},
    });
    expect((await s.client.json('GET', '/__sandbox/orgs/nope/calls/count')).status).toBe(404);
  });

  it('reset forgets every org and token', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    expect((await s.client.json('POST', '/__sandbox/reset', {})).status).toBe(200);
    expect((await s.client.json('GET', '/__sandbox/orgs')).body.orgs).toEqual([]);
    expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(401);
  });
});
