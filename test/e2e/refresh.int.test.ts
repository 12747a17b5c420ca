import { afterEach, describe, expect, it } from 'vitest';
import { findConnection } from '../../src/connections/repo.ts';
import { ConnectionUnavailableError } from '../../src/connections/tokens.ts';
import { ZohoError } from '../../src/zoho/errors.ts';
import { refreshCount, zohoEmail } from '../helpers/app.ts';
import { type Connected, connectedApp, expireStoredAccessToken } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const sb = useSandbox();

describe.each(databaseKinds)('access token refresh on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('200 concurrent calls with an expired access token cause exactly one refresh', async () => {
    c = await connectedApp(sb, kind, { edition: 'ultimate' });
    await expireStoredAccessToken(c.app, c.connectionId);
    const api = c.app.deps.api;
    const results = await Promise.all(Array.from({ length: 200 }, () => api.currentUser(c!.source)));
    expect(new Set(results.map((u) => u.email))).toEqual(new Set([zohoEmail(c.org)]));
    expect(await refreshCount(sb.client, c.org)).toBe(1);
  });

  it('refreshes when Zoho rejects a token it still considers live, once for all callers', async () => {
    c = await connectedApp(sb, kind);
    // The sandbox's clock moves past the token's hour; the app's stored expiry still looks fine.
    await sb.client.advanceClock(3601);
    try {
      const results = await Promise.all(Array.from({ length: 20 }, () => c!.app.deps.api.org(c!.source)));
      expect(results.every((o) => o.id === c!.org.org_id)).toBe(true);
      expect(await refreshCount(sb.client, c.org)).toBe(1);
    } finally {
      await sb.client.json('POST', '/__sandbox/clock', { offset_seconds: 0 });
    }
  });

  it('retries a refresh that fails for a moment, and the call succeeds', async () => {
    c = await connectedApp(sb, kind);
    await expireStoredAccessToken(c.app, c.connectionId);
    await sb.client.json('POST', '/__sandbox/faults', {
      method: 'POST',
      path: '^/oauth/v2/token$',
      status: 503,
      count: 2,
    });
    try {
      expect((await c.app.deps.api.currentUser(c.source)).email).toBe(zohoEmail(c.org));
      expect(await refreshCount(sb.client, c.org)).toBe(1);
      // Every attempt counts against Zoho's limit, the two that failed included.
      const { rows } = await c.app.db.query<{ n: number }>(
        'SELECT cardinality(refresh_log) AS n FROM connection_tokens WHERE connection_id = $1',
        [c.connectionId],
      );
      expect(Number(rows[0]!.n)).toBe(3);
    } finally {
      await sb.client.json('DELETE', '/__sandbox/faults');
    }
  });

  it('keeps answering other requests while a refresh waits on a slow accounts server', async () => {
    c = await connectedApp(sb, kind);
    await expireStoredAccessToken(c.app, c.connectionId);
    await sb.client.json('POST', '/__sandbox/faults', {
      method: 'POST',
      path: '^/oauth/v2/token$',
      latency_ms: 3000,
    });
    try {
      const call = c.app.deps.api.currentUser(c.source).then(() => 'refresh');
      await new Promise((r) => setTimeout(r, 300));
      const page = await c.session.get('/integrations');
      expect(page.status).toBe(200);
      // The page was served while Zoho had not yet answered the refresh.
      expect(await refreshCount(sb.client, c.org)).toBe(0);
      expect(await call).toBe('refresh');
      expect(await refreshCount(sb.client, c.org)).toBe(1);
    } finally {
      await sb.client.json('DELETE', '/__sandbox/faults');
    }
  });

  it('never asks Zoho for more than 10 refreshes in 10 minutes', async () => {
    c = await connectedApp(sb, kind);
    for (let i = 0; i < 10; i++) {
      await expireStoredAccessToken(c.app, c.connectionId);
      await c.app.deps.api.currentUser(c.source);
    }
    await expireStoredAccessToken(c.app, c.connectionId);
    const err = await c.app.deps.api.currentUser(c.source).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoError);
    expect((err as ZohoError).kind).toBe('rate_limit');
    expect((err as ZohoError).retryAfterMs).toBeGreaterThan(0);
    expect(await refreshCount(sb.client, c.org)).toBe(10);
  });

  it('a refresh token revoked in Zoho turns the card to Reconnect needed; reconnecting restores it', async () => {
    c = await connectedApp(sb, kind);
    await sb.client.json('POST', `/__sandbox/orgs/${c.org.org_id}/revoke-tokens`, {});
    const check = await c.session.post('/integrations/zoho/check');
    expect(check.status).toBe(303);
    const page = await c.session.get('/integrations');
    expect(page.html).toContain('data-status="reconnect_needed"');
    expect(page.html).toContain('data-code="refresh_rejected"');
    expect(page.html).toContain('id="zoho-reconnect"');
    const err = await c.app.deps.api.currentUser(c.source).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionUnavailableError);
    expect((err as ConnectionUnavailableError).reason).toBe('reconnect_needed');

    const again = await c.session.connect(sb.base, zohoEmail(c.org));
    expect(again.location?.search).toBe('?done=connected');
    const conn = await findConnection(c.app.db, 'ws_demo', 'usr_alex');
    expect(conn?.status).toBe('connected');
    expect(conn?.problem).toBeNull();
    expect(conn?.id).toBe(c.connectionId);
    expect((await c.app.deps.api.currentUser(c.source)).email).toBe(zohoEmail(c.org));
  });
});
