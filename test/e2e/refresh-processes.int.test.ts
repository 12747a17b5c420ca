import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { refreshCount } from '../helpers/app.ts';
import { type Connected, connectedApp, expireStoredAccessToken } from '../helpers/connected.ts';
import { testDatabaseUrl } from '../helpers/db.ts';
import { captureLines } from '../helpers/logs.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const sb = useSandbox();

/** A worker process making `calls` Zoho calls on the connection when told to. */
function worker(c: Connected, calls: number) {
  const key = c.app.keys[0]!;
  const child: ChildProcess = spawn(process.execPath, ['test/helpers/zoho-calls-child.ts'], {
    env: {
      ...process.env,
      CHILD_DATABASE_URL: testDatabaseUrl,
      CHILD_SCHEMA: c.app.schema!,
      CHILD_KEY_ID: key.id,
      CHILD_KEY: key.key.toString('base64'),
      CHILD_CLIENT_ID: c.app.client.clientId,
      CHILD_CLIENT_SECRET: c.app.client.clientSecret,
      CHILD_SANDBOX: sb.base,
      CHILD_CONNECTION: c.connectionId,
      CHILD_WORKSPACE: 'ws_demo',
      CHILD_CALLS: String(calls),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => out.includes('READY\n') && resolve());
    child.once('exit', (code) => reject(new Error(`worker exited early (${code}): ${err}`)));
  });
  const result = new Promise<{ ok: number; failed: number }>((resolve, reject) => {
    child.once('exit', (code) => {
      captureLines(out);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`worker failed (${code}): ${err}`));
      else resolve(JSON.parse(line.slice(7)));
    });
  });
  return { ready, result, go: () => child.stdin!.write('go\n') };
}

describe('access token refresh across processes on postgres', () => {
  let c: Connected | undefined;
  afterEach(async () => {
    await sb.client.json('DELETE', '/__sandbox/faults');
    await c?.app.close();
    c = undefined;
  });

  it('two worker processes and the web process making 200 calls on an expired token refresh once', async () => {
    c = await connectedApp(sb, 'postgres', { edition: 'ultimate' });
    await expireStoredAccessToken(c.app, c.connectionId);
    // A slow accounts server widens the race: without the row lock each process would refresh.
    await sb.client.json('POST', '/__sandbox/faults', {
      method: 'POST',
      path: '^/oauth/v2/token$',
      latency_ms: 500,
      count: 3,
    });
    const workers = [worker(c, 80), worker(c, 80)];
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const own = Array.from({ length: 40 }, () => c!.app.deps.api.currentUser(c!.source));
    const [a, b] = await Promise.all(workers.map((w) => w.result));
    await Promise.all(own);
    expect(a).toEqual({ ok: 80, failed: 0 });
    expect(b).toEqual({ ok: 80, failed: 0 });
    expect(await refreshCount(sb.client, c.org)).toBe(1);
  });
});
