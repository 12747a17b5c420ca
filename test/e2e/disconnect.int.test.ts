import { afterEach, describe, expect, it } from 'vitest';
import { findConnection, readTokens } from '../../src/connections/repo.ts';
import { ConnectionUnavailableError } from '../../src/connections/tokens.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const sb = useSandbox();

describe.each(databaseKinds)('disconnecting Zoho CRM on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await sb.client.json('DELETE', '/__sandbox/faults');
    await c?.app.close();
    c = undefined;
  });

  it('deletes the tokens, revokes the refresh token at Zoho, and no later call reaches the org', async () => {
    c = await connectedApp(sb, kind);
    const res = await c.session.post('/integrations/zoho/disconnect');
    expect(res.location?.search).toBe('?done=disconnected');
    expect(await readTokens(c.app.db, 'ws_demo', c.connectionId)).toBeUndefined();
    expect((await findConnection(c.app.db, 'ws_demo', 'usr_alex'))?.status).toBe('not_connected');

    const calls = await sb.client.calls(c.org);
    const revoke = calls.filter((x) => x.path === '/oauth/v2/token/revoke');
    expect(revoke.map((x) => x.status)).toEqual([200]);

    const err = await c.app.deps.api.currentUser(c.source).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionUnavailableError);
    await c.session.post('/integrations/zoho/check');
    expect((await sb.client.calls(c.org)).length).toBe(calls.length);
    const page = await c.session.get('/integrations');
    expect(page.html).toContain('data-status="not_connected"');
    expect(page.html).toContain('id="zoho-connect"');
  });

  it('still disconnects when Zoho cannot be reached to revoke, and says nothing alarming', async () => {
    c = await connectedApp(sb, kind);
    await sb.client.json('POST', '/__sandbox/faults', {
      path: '^/oauth/v2/token/revoke$',
      status: 503,
      count: 5,
    });
    const res = await c.session.post('/integrations/zoho/disconnect');
    expect(res.location?.search).toBe('?done=disconnected');
    expect(await readTokens(c.app.db, 'ws_demo', c.connectionId)).toBeUndefined();
    const page = await c.session.get('/integrations?done=disconnected');
    expect(page.html).toContain('data-status="not_connected"');
    expect(page.html).not.toContain('id="zoho-problem"');
  });

  it('asks for confirmation before disconnecting', async () => {
    c = await connectedApp(sb, kind);
    const confirm = await c.session.get('/integrations/zoho/disconnect');
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('id="confirm-disconnect"');
    expect((await findConnection(c.app.db, 'ws_demo', 'usr_alex'))?.status).toBe('connected');
  });
});
