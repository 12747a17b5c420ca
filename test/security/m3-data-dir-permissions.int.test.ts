import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/app.ts';
import { captureLines } from '../helpers/logs.ts';
import { waitForOutput } from '../helpers/processes.ts';

/**
 * M3 (issue 12): `npm start` left DATA_DIR/pglite with ~968 files of mode 0666 (the WAL with
 * meeting content, sealed tokens, session hashes): any local user could read them, or write a
 * session hash and sign in as anyone. The service now runs with umask 077 and tightens what
 * it finds on start. It is started here under umask 000, the worst an operator's shell can
 * hand it, so only the service's own care keeps DATA_DIR closed.
 */
function openToOthers(root: string): string[] {
  const entries = [
    root,
    ...(fs.readdirSync(root, { recursive: true }) as string[]).map((p) => path.join(root, p)),
  ];
  return entries
    .map((p) => ({ p: path.relative(root, p) || '.', mode: fs.lstatSync(p).mode & 0o777 }))
    .filter((e) => (e.mode & 0o077) !== 0)
    .map((e) => `${e.p} ${e.mode.toString(8)}`);
}

function loosen(root: string): void {
  for (const p of fs.readdirSync(root, { recursive: true }) as string[]) {
    const full = path.join(root, p);
    fs.chmodSync(full, fs.statSync(full).isDirectory() ? 0o777 : 0o666);
  }
  fs.chmodSync(root, 0o777);
}

describe('M3: npm start keeps DATA_DIR owner-only', () => {
  let child: ChildProcess | undefined;
  let tmp: string | undefined;
  const sink = { out: '' };
  afterEach(async () => {
    await stop();
    captureLines(sink.out);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function start(dataDir: string): Promise<string> {
    const [port, sandboxPort] = [await freePort(), await freePort()];
    sink.out = '';
    child = spawn('/bin/sh', ['-c', 'umask 000 && exec "$0" src/main.ts', process.execPath], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        ZOHO_SANDBOX_PORT: String(sandboxPort),
        LOG_LEVEL: 'info',
        DATABASE_URL: '',
        ZOHO_CLIENT_ID: '',
        ZOHO_CLIENT_SECRET: '',
        ZOHO_SANDBOX_URL: '',
        TOKEN_ENCRYPTION_KEYS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return waitForOutput(child, /PepoSmart Zoho CRM integration on .*\n/, sink);
  }

  async function stop(): Promise<void> {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  // Two starts of the whole service, each opening PGlite: generous for a busy machine.
  it('creates the database, local secrets and sandbox state 0700 / 0600, and closes what an earlier version left open', {
    timeout: 300_000,
  }, async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pepo-m3-'));
    const dataDir = path.join(tmp, 'data');
    await start(dataDir);
    for (const made of ['pglite', 'pglite/PG_VERSION', 'local-secrets.json', 'sandbox'])
      expect(fs.existsSync(path.join(dataDir, made)), made).toBe(true);
    expect(openToOthers(dataDir)).toEqual([]);
    await stop();
    expect(fs.existsSync(path.join(dataDir, 'sandbox', 'zoho-sandbox.json'))).toBe(true);
    expect(openToOthers(dataDir)).toEqual([]);

    // What an earlier version left: everything readable and writable by everyone.
    loosen(dataDir);
    const out = await start(dataDir);
    const count = Number(/tightened permissions of (\d+) files in DATA_DIR/.exec(out)?.[1]);
    expect(count).toBeGreaterThan(900);
    expect(openToOthers(dataDir)).toEqual([]);
    await stop();
    expect(openToOthers(dataDir)).toEqual([]);
  });
});
