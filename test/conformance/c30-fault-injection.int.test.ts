import { afterEach, describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.ts';

describe('conformance 30: fault injection', () => {
  const s = useSandbox();

  // Faults are global to the sandbox: each test scopes its own and clears them after.
  afterEach(async () => {
    await s.client.json('DELETE', '/__sandbox/faults');
  });

  const addFault = async (fault: Record<string, unknown>) => {
    const res = await s.client.json('POST', '/__sandbox/faults', fault);
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };
  const faultState = async (id: string) =>
    ((await s.client.json('GET', '/__sandbox/faults')).body.faults as Array<{ id: string }>).find(
      (f) => f.id === id,
    );
  const orgAndTokens = async () => {
    const org = await s.client.createOrg();
    return { org, tokens: await s.client.tokens(org) };
  };

  it('serves the configured status and body to matching calls for count calls, then resumes', async () => {
    const { org, tokens } = await orgAndTokens();
    const body = { code: 'INTERNAL_ERROR', details: {}, message: 'injected outage', status: 'error' };
    const fault = await addFault({
      org_id: org.org_id,
      method: 'GET',
      path: '^/crm/v8/org$',
      status: 503,
      body,
      headers: { 'x-injected': 'yes' },
      count: 2,
    });
    for (let i = 0; i < 2; i++) {
      const res = await s.client.api(tokens, 'GET', '/org');
      expect(res.status).toBe(503);
      expect(res.body).toEqual(body);
      expect(res.headers.get('x-injected')).toBe('yes');
    }
    const after = await s.client.api(tokens, 'GET', '/org');
    expect(after.status).toBe(200);
    expect(after.body.org[0].id).toBe(org.org_id);
    expect(await faultState(fault.id)).toMatchObject({ remaining: 0, served: 2 });
  });

  it('leaves calls that do not match alone: other paths, methods and orgs', async () => {
    const { org, tokens } = await orgAndTokens();
    const other = await orgAndTokens();
    const fault = await addFault({
      org_id: org.org_id,
      method: 'POST',
      path: '^/crm/v8/Contacts$',
      status: 500,
    });
    expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(200);
    expect((await s.client.api(tokens, 'GET', '/Contacts?fields=Last_Name')).status).toBe(204);
    const otherOrg = await s.client.api(other.tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Other' }],
    });
    expect(otherOrg.status).toBe(201);
    expect(await faultState(fault.id)).toMatchObject({ remaining: 1, served: 0 });
    // Without a body, the status comes with Zoho's INTERNAL_ERROR body; nothing is written.
    const hit = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Lost' }] });
    expect(hit.status).toBe(500);
    expect(hit.body).toMatchObject({ code: 'INTERNAL_ERROR', status: 'error' });
    const stored = await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/records?module=Contacts`);
    expect(stored.body.records.Contacts).toEqual([]);
  });

  it('delays matching calls by the configured latency, then answers normally', async () => {
    const { org, tokens } = await orgAndTokens();
    await addFault({ org_id: org.org_id, path: '^/crm/v8/org$', latency_ms: 300, count: 1 });
    const started = performance.now();
    const slow = await s.client.api(tokens, 'GET', '/org');
    const elapsed = performance.now() - started;
    expect(slow.status).toBe(200);
    expect(slow.body.org[0].id).toBe(org.org_id);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    const calls = await s.client.calls(org);
    expect(calls.filter((c) => c.path === '/crm/v8/org').map((c) => c.status)).toEqual([200]);
  });

  it('drops the connection of matching calls (the request fails), then resumes', async () => {
    const { org, tokens } = await orgAndTokens();
    const fault = await addFault({ org_id: org.org_id, path: '^/crm/v8/users', drop: true, count: 2 });
    for (let i = 0; i < 2; i++) {
      await expect(s.client.api(tokens, 'GET', '/users?type=CurrentUser')).rejects.toThrow();
    }
    const after = await s.client.api(tokens, 'GET', '/users?type=CurrentUser');
    expect(after.status).toBe(200);
    expect(after.body.users[0].id).toBe(org.users[0]!.id);
    expect(await faultState(fault.id)).toMatchObject({ remaining: 0, served: 2 });
    const logged = (await s.client.calls(org)).filter((c) => c.path === '/crm/v8/users');
    expect(logged.map((c) => [c.status, c.code])).toEqual([
      [0, 'DROPPED'],
      [0, 'DROPPED'],
      [200, null],
    ]);
  });

  it('reaches the accounts server too: a failing, then a dropped token refresh', async () => {
    const { org, tokens } = await orgAndTokens();
    const refresh = () =>
      s.client.form(`${org.accounts_url}/oauth/v2/token`, {
        grant_type: 'refresh_token',
        client_id: tokens.client_id,
        client_secret: tokens.client_secret,
        refresh_token: tokens.refresh_token!,
      });
    await addFault({ dc: 'us', path: '^/oauth/v2/token$', status: 502, body: { error: 'bad_gateway' } });
    const failed = await refresh();
    expect(failed.status).toBe(502);
    expect(failed.body).toEqual({ error: 'bad_gateway' });
    await addFault({ dc: 'us', path: '^/oauth/v2/token$', drop: true });
    await expect(refresh()).rejects.toThrow();
    const ok = await refresh();
    expect(ok.status).toBe(200);
    expect(ok.body.access_token).toEqual(expect.any(String));
  });

  it('clears every fault with DELETE /__sandbox/faults', async () => {
    const { org, tokens } = await orgAndTokens();
    await addFault({ org_id: org.org_id, status: 500, count: 100 });
    expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(500);
    const cleared = await s.client.json('DELETE', '/__sandbox/faults');
    expect(cleared.status).toBe(204);
    expect((await s.client.json('GET', '/__sandbox/faults')).body.faults).toEqual([]);
    expect((await s.client.api(tokens, 'GET', '/org')).status).toBe(200);
  });
});
