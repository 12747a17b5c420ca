import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../src/clock.ts';
import type { HandoffClaims } from '../../src/users/handoff.ts';
import { SESSION_COOKIE } from '../../src/users/sessions.ts';
import { freePort } from '../helpers/app.ts';
import { type DatabaseKind, freshDatabase, testDatabaseUrl } from '../helpers/db.ts';
import { captureLines, registerSecret } from '../helpers/logs.ts';
import { waitForOutput } from '../helpers/processes.ts';

/**
 * Shared by the sign-in findings' tests (H1, M1, L2, L5, L6): handoff claims, requests with a
 * hand-made cookie, and the service started as an operator starts it (`npm start`, `npm run web`).
 */

/** A handoff secret for a test file; registered so the log scan fails on any line holding it. */
export function handoffSecret(): string {
  const secret = crypto.randomBytes(32).toString('hex');
  registerSecret(secret);
  return secret;
}

let seq = 0;
/** Claims for a fresh user of `ws_acme` (or what `over` says), valid two minutes from `clock`. */
export function handoffClaims(clock: Clock, over: Partial<HandoffClaims> = {}): HandoffClaims {
  const now = Math.floor(clock.now().getTime() / 1000);
  const n = ++seq;
  return {
    jti: crypto.randomUUID(),
    iat: now,
    exp: now + 120,
    workspace: { id: 'ws_acme', name: 'Acme Scheduling' },
    user: { id: `usr_nora_${n}`, email: `nora.${n}@acme.test`, name: `Nora New ${n}`, role: 'member' },
    ...over,
  };
}

export const handoffPath = (token: string, next?: string) =>
  `/auth/handoff?${new URLSearchParams({ token, ...(next === undefined ? {} : { next }) })}`;

export interface RawResponse {
  status: number;
  location: URL | null;
  headers: Headers;
  setCookies: string[];
  text: string;
}

/** One request with exactly the cookies and headers given: what another site or a stale tab sends. */
export async function raw(
  url: string,
  init: {
    method?: string;
    cookies?: Record<string, string>;
    form?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
): Promise<RawResponse> {
  const cookie = Object.entries(init.cookies ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: { ...(cookie ? { cookie } : {}), ...init.headers },
    ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
  });
  const location = res.headers.get('location');
  return {
    status: res.status,
    location: location ? new URL(location, url) : null,
    headers: res.headers,
    setCookies: res.headers.getSetCookie(),
    text: await res.text(),
  };
}

/** Whether a response gives the browser a (non-empty) session cookie. */
export const setsSession = (res: { setCookies: string[] }) =>
  res.setCookies.some((c) => c.startsWith(`${SESSION_COOKIE}=`) && !/^[^=]+=;/.test(c));

/** The user a signed-in page names in its top bar, or undefined when the page is not signed in. */
export const signedInAs = (html: string) => /<span id="signed-in-as"[^>]*>([^<]*)<\/span>/.exec(html)?.[1];

/**
 * A started service migrates a fresh database (PGlite: initdb in a new DATA_DIR) before it
 * answers: on a busy 2-core machine that alone can take most of a minute.
 */
export const processTimeout = 240_000;

export interface ServiceProcess {
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  sink: { out: string };
  stop(): Promise<void>;
}

/**
 * The service as an operator starts it, on a free port: `all` (`npm start`) on PGlite in a fresh
 * DATA_DIR, or `web` (`npm run web`) on a fresh PostgreSQL schema. Every variable a developer's
 * shell might hold is set here (blank means unset), so only `env` decides the shape.
 */
export async function startService(options: {
  role: 'all' | 'web';
  kind: DatabaseKind;
  env: Record<string, string>;
}): Promise<ServiceProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepo-security-'));
  const database = options.kind === 'postgres' ? await freshDatabase('postgres') : undefined;
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ['src/main.ts', ...(options.role === 'all' ? [] : [options.role])],
    {
      env: {
        ...process.env,
        DATA_DIR: dir,
        PORT: String(port),
        ZOHO_SANDBOX_PORT: String(await freePort()),
        LOG_LEVEL: 'info',
        DATABASE_URL: database ? testDatabaseUrl : '',
        DATABASE_SCHEMA: database?.schema ?? '',
        ZOHO_SANDBOX_URL: '',
        ZOHO_CLIENT_ID: '',
        ZOHO_CLIENT_SECRET: '',
        PUBLIC_URL: '',
        TOKEN_ENCRYPTION_KEYS: '',
        AUTH_HANDOFF_SECRET: '',
        EVENTS_SIGNING_SECRET: '',
        METRICS_TOKEN: '',
        METRICS_PORT: '',
        OPENAI_API_KEY: '',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const sink = { out: '' };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    captureLines(sink.out);
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The start banner is one write: wait for its last line.
    await waitForOutput(child, /PepoSmart Zoho CRM integration on [\s\S]*\n(Zoho|Events): [^\n]*\n/, sink);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, sink, stop };
}
