import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/** Waits until the process has printed text matching `pattern`, or fails when it exits. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (pattern.test(out)) resolve(out);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${out}`)));
  });
}

describe('npm run sandbox', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    // Still running: neither an exit code nor the signal that ended it.
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints its URLs and a ready-made client, and serves them', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zsb-cli-'));
    // Port 0 lets the OS choose, so the test never collides with a running sandbox.
    child = spawn(process.execPath, ['sandbox/main.ts'], {
      env: { ...process.env, DATA_DIR: dir, ZOHO_SANDBOX_PORT: '0', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = await waitForOutput(child, /State kept in/);
    const base = /listening on (http:\/\/\S+)/.exec(out)?.[1];
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out).toMatch(/client_id=1000\.[0-9A-F]{32}/);
    expect(out).toMatch(/client_secret=[0-9a-f]{40}/);
    expect(out).toContain(`${base}/us/accounts`);
    const home = await fetch(`${base}/__sandbox/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Zoho sandbox');
    const noToken = await fetch(`${base}/us/api/crm/v8/org`);
    expect(noToken.status).toBe(401);
  });

  it('M3/L7: creates DATA_DIR and its state owner-only even under umask 000, and tightens what an earlier version left open', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zsb-cli-'));
    const dataDir = path.join(dir, 'data');
    const sandboxDir = path.join(dataDir, 'sandbox');
    const run = async () => {
      child = spawn('/bin/sh', ['-c', 'umask 000 && exec "$0" sandbox/main.ts', process.execPath], {
        env: { ...process.env, DATA_DIR: dataDir, ZOHO_SANDBOX_PORT: '0', LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out = await waitForOutput(child, /State kept in/);
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      return out;
    };
    const modeOf = (p: string) => fs.statSync(p).mode & 0o777;
    const stateFiles = () => fs.readdirSync(sandboxDir).map((f) => path.join(sandboxDir, f));

    await run();
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(sandboxDir)).toBe(0o700);
    expect(stateFiles().length).toBeGreaterThan(0);
    for (const f of stateFiles()) expect(modeOf(f), f).toBe(0o600);

    fs.chmodSync(dataDir, 0o777);
    fs.chmodSync(sandboxDir, 0o755);
    for (const f of stateFiles()) fs.chmodSync(f, 0o644);
    const out = await run();
    expect(out).toMatch(/tightened permissions of \d+ files in DATA_DIR/);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(sandboxDir)).toBe(0o700);
    for (const f of stateFiles()) expect(modeOf(f), f).toBe(0o600);
  });
});
