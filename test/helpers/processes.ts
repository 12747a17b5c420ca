import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestApp } from './app.ts';
import { testDatabaseUrl } from './db.ts';
import { captureLines } from './logs.ts';

/** Waits until the process has printed text matching `pattern`, or fails when it exits. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, sink: { out: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      sink.out += chunk.toString();
      if (pattern.test(sink.out)) resolve(sink.out);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      sink.out += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${sink.out}`)));
  });
}

export interface WorkerProcess {
  child: ChildProcess;
  sink: { out: string };
  /** Ends it (SIGTERM unless told otherwise) and waits for it to exit; its output is scanned for secrets. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * `npm run worker` as a separate process on the test app's PostgreSQL schema, reaching the
 * test's sandbox with the test app's OAuth client and keys (what an operator's environment
 * gives every worker).
 */
export async function startWorkerProcess(
  app: TestApp,
  sandboxBase: string,
  env: Record<string, string> = {},
): Promise<WorkerProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepo-worker-'));
  const key = app.keys[0]!;
  const child = spawn(process.execPath, ['src/main.ts', 'worker'], {
    env: {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: testDatabaseUrl,
      DATABASE_SCHEMA: app.schema!,
      ZOHO_SANDBOX_URL: sandboxBase,
      ZOHO_CLIENT_ID: app.client.clientId,
      ZOHO_CLIENT_SECRET: app.client.clientSecret,
      TOKEN_ENCRYPTION_KEYS: `${key.id}:${key.key.toString('base64')}`,
      PUBLIC_URL: new URL(app.client.redirectUri).origin,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sink = { out: '' };
  await waitForOutput(child, /sync worker \(database/, sink);
  return {
    child,
    sink,
    async stop(signal = 'SIGTERM') {
      const exited = new Promise<number | null>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
        else child.once('exit', (code) => resolve(code));
      });
      child.kill(signal);
      const code = await exited;
      captureLines(sink.out);
      fs.rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
