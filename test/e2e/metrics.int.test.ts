import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startTestApp, type TestApp } from '../helpers/app.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { registerSecret } from '../helpers/logs.ts';
import { startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/** `/metrics`: Prometheus text for the people who run the service. */
const sb = useSandbox();

/** The value of one series in Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (want.length === have.length && want.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

const total = (text: string, name: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);

async function scrape(url: string, token?: string) {
  const res = await fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe.each(databaseKinds)('metrics on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('counts events received and Zoho calls, and reads syncs and connections from the database', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const event = bookingEvent();
    expect((await sendEvent(c.app.url, event)).status).toBe(202);
    expect(await settled(c.app.db, event.id)).toBe('done');
    expect((await sendEvent(c.app.url, event)).status).toBe(200);
    expect((await sendEvent(c.app.url, event, { signature: 't=1,v1=00' })).status).toBe(401);
    expect((await sendEvent(c.app.url, { ...event, type: 'booking.created', data: {} })).status).toBe(400);

    const m = await scrape(c.app.url);
    expect(m.status).toBe(200);
    expect(m.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const received = (outcome: string, type = 'booking.created') =>
      sample(m.text, 'peposmart_events_received_total', { type, outcome });
    expect(received('accepted')).toBe(1);
    expect(received('duplicate')).toBe(1);
    expect(received('unauthorized', 'unknown')).toBe(1);
    expect(received('invalid')).toBe(1);

    // Every CRM API call the sandbox received from this org, and no other, is counted.
    const crmCalls = (await sb.client.calls(c.org)).filter((x) => x.path.includes('/crm/'));
    expect(total(m.text, 'peposmart_zoho_api_calls_total')).toBe(crmCalls.length);
    expect(
      sample(m.text, 'peposmart_zoho_api_calls_total', {
        method: 'POST',
        resource: 'Contacts',
        status: '201',
      }),
    ).toBe(1);
    expect(
      sample(m.text, 'peposmart_zoho_api_call_seconds_count', { method: 'POST', resource: 'Contacts' }),
    ).toBe(1);
    // Record ids never become labels.
    expect(m.text).not.toMatch(/resource="[^"]*\d{6,}/);

    expect(sample(m.text, 'peposmart_sync_events', { type: 'booking.created', status: 'done' })).toBe(1);
    expect(sample(m.text, 'peposmart_sync_oldest_in_progress_seconds')).toBe(0);
    expect(sample(m.text, 'peposmart_connections', { status: 'connected' })).toBe(1);
    expect(sample(m.text, 'peposmart_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('the oldest event in progress counts from when it was last queued, not when first received', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true, worker: false });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    // As a Retry of a month-old failed event leaves it: received long ago, queued just now.
    await c.app.db.query("UPDATE events SET received_at = now() - interval '30 days' WHERE id = $1", [
      event.id,
    ]);
    const m = await scrape(c.app.url);
    expect(sample(m.text, 'peposmart_sync_events', { type: 'booking.created', status: 'queued' })).toBe(1);
    expect(sample(m.text, 'peposmart_sync_oldest_in_progress_seconds')).toBeLessThan(600);
    expect(sample(m.text, 'peposmart_metrics_database_up')).toBe(1);
  });

  it('counts Zoho’s 429s as calls and retries', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sb.client.fault(c.org, 'GET', '/Contacts/search', {
      status: 429,
      count: 2,
      body: { code: 'TOO_MANY_REQUESTS', details: {}, message: 'too many requests', status: 'error' },
    });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    await sb.client.json('DELETE', '/__sandbox/faults');
    const m = await scrape(c.app.url);
    expect(
      sample(m.text, 'peposmart_zoho_api_calls_total', {
        method: 'GET',
        resource: 'Contacts/search',
        status: '429',
      }),
    ).toBe(2);
    expect(sample(m.text, 'peposmart_zoho_api_retries_total', { kind: 'rate_limit' })).toBe(2);
  });
});

describe('who may read metrics', () => {
  let app: TestApp | undefined;
  let worker: WorkerProcess | undefined;
  afterEach(async () => {
    await worker?.stop();
    await app?.close();
    app = worker = undefined;
  });

  it('with METRICS_TOKEN, only a request bearing it', async () => {
    const token = 'metrics-token-0123456789abcdef';
    registerSecret(token);
    app = await startTestApp({
      kind: 'pglite',
      sandbox: sb.sandbox,
      sandboxBase: sb.base,
      metricsToken: token,
    });
    expect((await scrape(app.url)).status).toBe(401);
    expect((await scrape(app.url, 'wrong-token-0123456789')).status).toBe(401);
    const ok = await scrape(app.url, token);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('peposmart_connections');
  });

  it('outside sandbox mode without a token: off', async () => {
    app = await startTestApp({
      kind: 'pglite',
      sandbox: sb.sandbox,
      sandboxBase: sb.base,
      sandboxMode: false,
    });
    const res = await scrape(app.url);
    expect(res.status).toBe(404);
    expect(res.text).toContain('set METRICS_TOKEN');
  });

  it('a worker process serves its own on METRICS_PORT, with /healthz', async () => {
    app = await startTestApp({ kind: 'postgres', sandbox: sb.sandbox, sandboxBase: sb.base, sync: true });
    const port = await freePort();
    const token = 'worker-metrics-token-0123456789';
    registerSecret(token);
    worker = await startWorkerProcess(app, sb.base, { METRICS_PORT: String(port), METRICS_TOKEN: token });
    const url = `http://127.0.0.1:${port}`;
    expect(worker.sink.out).toContain(`Metrics on ${url}/metrics`);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await scrape(url)).status).toBe(401);
    const m = await scrape(url, token);
    expect(m.status).toBe(200);
    expect(m.text).toContain('# TYPE peposmart_zoho_api_calls_total counter');
    expect(sample(m.text, 'peposmart_sync_oldest_in_progress_seconds')).toBe(0);
  });
});
