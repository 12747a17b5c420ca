import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppSession, freePort } from '../helpers/app.ts';
import { captureLines } from '../helpers/logs.ts';
import { waitForOutput } from '../helpers/processes.ts';

describe('npm start in sandbox mode', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  const sink = { out: '' };
  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    captureLines(sink.out);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seeds demo users and US and EU sandbox orgs, so a newcomer can sign in, connect and try a meeting', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepo-start-'));
    const [port, sandboxPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, ['src/main.ts'], {
      env: {
        ...process.env,
        DATA_DIR: dir,
        PORT: String(port),
        ZOHO_SANDBOX_PORT: String(sandboxPort),
        LOG_LEVEL: 'info',
        DATABASE_URL: '',
        ZOHO_CLIENT_ID: '',
        ZOHO_CLIENT_SECRET: '',
        TOKEN_ENCRYPTION_KEYS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = await waitForOutput(child, /Sign in at .*\n/, sink);
    // The first line, written before the first-start setup: the terminal never sits silent.
    expect(out.split('\n')[0]).toMatch(/^Starting .*first start, creating its database in .*pglite/);
    const app = `http://127.0.0.1:${port}`;
    const sandbox = `http://127.0.0.1:${sandboxPort}`;
    expect(out).toContain(`PepoSmart Zoho CRM integration on ${app}`);
    expect(out).toContain(`Zoho sandbox on ${sandbox}/__sandbox/`);
    expect(out).toContain('alex.morgan@northwind.example (US)');
    expect(out).toContain('sam.rivera@blauwal.example (EU)');
    expect(out).toContain('set TOKEN_ENCRYPTION_KEYS in production');
    expect(fs.statSync(path.join(dir, 'local-secrets.json')).mode & 0o777).toBe(0o600);

    const signInPage = await (await fetch(`${app}/signin`)).text();
    expect(signInPage).toContain('Alex Morgan');
    expect(signInPage).toContain('Sam Rivera');
    // The embedded demo, and only it, has /metrics open without METRICS_TOKEN (L6).
    expect((await fetch(`${app}/metrics`)).status).toBe(200);

    const session = new AppSession(app);
    const signedIn = await session.post('/signin', { workspace_id: 'ws_demo', user_id: 'usr_sam' }, false);
    expect(signedIn.status).toBe(303);
    const done = await session.connect(sandbox, 'sam.rivera@blauwal.example');
    expect(done.location?.search).toBe('?done=connected');
    const page = await session.get('/integrations');
    expect(page.html).toContain('Blauwal GmbH (EU)');
    expect(page.html).toContain('Europe (EU)');

    // Try it: a demo booking and its notes through the signed event API, synced to the EU org.
    expect(page.html).toContain('id="try-it"');
    const tryId = /name="try_id" value="([^"]+)"/.exec(page.html)?.[1];
    const tried = await session.post('/integrations/try-it', {
      try_id: tryId ?? '',
      sample: 'f01',
      name: 'Tom Alvarez',
      email: 'tom.alvarez@brightline.example',
      with_deal: 'on',
    });
    expect(tried.location?.pathname + tried.location!.search).toBe('/activity?tried=deal');
    const until = Date.now() + 20_000;
    let activity = '';
    while (Date.now() < until) {
      activity = (await session.get('/activity')).html;
      if ((activity.match(/data-status="done"/g) ?? []).length === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(activity.match(/data-status="done"/g)).toHaveLength(2);
    const suggestions = (await session.get('/suggestions')).html;
    expect(suggestions).toContain('Northwind x Brightline — pricing follow-up (Try it)');
    expect(suggestions).toContain('Proposal/Price Quote');

    // A favicon, not a 404 on every page; and no log line per request at the default level.
    const icon = await fetch(`${app}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    expect(sink.out).not.toMatch(/request completed|incoming request/);
    expect(sink.out).not.toContain('"url":"/activity"');
  });
});
