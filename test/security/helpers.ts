import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { createConnectionDeps } from '../../src/connections/build.ts';
import { createVault, newVaultKey } from '../../src/crypto/vault.ts';
import type { Database, Queryable } from '../../src/db/port.ts';
import type { JobQueue } from '../../src/jobs/queue.ts';
import { createMetrics, metricsAccess } from '../../src/metrics.ts';
import { signEvent } from '../../src/sync/signature.ts';
import { upsertUser, upsertWorkspace } from '../../src/users/repo.ts';
import { createSession, SESSION_COOKIE } from '../../src/users/sessions.ts';
import { buildWebApp, type SignIn } from '../../src/web/app.ts';
import { seedDemoWorkspace } from '../../src/workspaces/demo.ts';
import { sandboxDataCentres } from '../../src/zoho/datacentres.ts';
import { eventsSecret, otherAdmin, otherWorkspace } from '../helpers/app.ts';
import { manualClock } from '../helpers/connect-steps.ts';
import { type DatabaseKind, freshDatabase } from '../helpers/db.ts';
import { registerSecret, testLogger } from '../helpers/logs.ts';

/**
 * Shared by the adversarial suite (test/security/): the web app built in-process for
 * `inject` (fast, no port, no sandbox: nothing in these tests may reach Zoho), the app's route
 * table read from Fastify itself (so a new route without a case fails its suite), database
 * snapshots for "nothing changed", and a seeded PRNG.
 */

export type ManualClock = ReturnType<typeof manualClock>;

/** A job queue that keeps what was sent: the event API's seam (src/jobs/queue.ts). */
export function recordingQueue() {
  const sent: Array<{ name: string; data: object }> = [];
  const queue: Pick<JobQueue, 'send'> = {
    async send(_tx: Queryable, name: string, data: object) {
      sent.push({ name, data });
      return `job_${sent.length}`;
    },
  };
  return { queue, sent };
}

export interface InjectApp {
  app: FastifyInstance;
  db: Database;
  clock: ManualClock;
  /** Jobs the event API queued. */
  sent: Array<{ name: string; data: object }>;
  /** A session of an existing user, made as sign-in makes one: the cookie's value. */
  sessionFor(userId: string, workspaceId?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real web app (`buildWebApp`) on a fresh database with the demo workspace and another
 * workspace's admin, every optional part on unless switched off: the event API (signed with
 * `eventsSecret`), sandbox mode (Try it; the demo's sign-in page unless a handoff secret is
 * given), `/metrics`.
 */
export async function injectApp(
  kind: DatabaseKind,
  options: { handoffSecret?: string; sandboxMode?: boolean; events?: boolean; metricsToken?: string } = {},
): Promise<InjectApp> {
  const t = await freshDatabase(kind);
  await seedDemoWorkspace(t.db);
  await upsertWorkspace(t.db, otherWorkspace);
  await upsertUser(t.db, { ...otherAdmin, workspaceId: otherWorkspace.id });
  const clock = manualClock();
  const logger = testLogger();
  const key = newVaultKey('sec1');
  registerSecret(key.key.toString('base64'));
  const client = {
    clientId: `1000.${crypto.randomBytes(16).toString('hex').toUpperCase()}`,
    clientSecret: crypto.randomBytes(20).toString('hex'),
    redirectUri: 'http://127.0.0.1:9/integrations/zoho/callback',
  };
  registerSecret(client.clientSecret);
  // Port 9 (discard): nothing listens, so a Zoho call a test did not expect fails loudly.
  const sandboxUrl = 'http://127.0.0.1:9';
  const connections = createConnectionDeps({
    db: t.db,
    logger,
    clock,
    vault: createVault([key]),
    client,
    dataCentres: sandboxDataCentres(sandboxUrl),
    retry: { baseMs: 1, maxMs: 2 },
  });
  const { queue, sent } = recordingQueue();
  const sandboxMode = options.sandboxMode !== false;
  // As src/config.ts decides: the demo's sign-in page only in sandbox mode without a handoff secret.
  const signIn: SignIn =
    sandboxMode && !options.handoffSecret
      ? { mode: 'demo' }
      : { mode: 'handoff', secret: options.handoffSecret };
  const app = buildWebApp({
    db: t.db,
    logger,
    clock,
    connections,
    publicUrl: 'http://127.0.0.1:3000',
    signIn,
    ...(sandboxMode ? { sandbox: { url: sandboxUrl, accounts: [] } } : {}),
    ...(options.events === false ? {} : { events: { queue, secret: eventsSecret } }),
    metrics: {
      metrics: createMetrics(t.db),
      access: metricsAccess(options.metricsToken, signIn.mode === 'demo'),
    },
  });
  await app.ready();
  return {
    app,
    db: t.db,
    clock,
    sent,
    async sessionFor(userId, workspaceId = userId === otherAdmin.id ? otherWorkspace.id : 'ws_demo') {
      const s = await createSession(t.db, clock, { id: userId, workspaceId });
      return s.token;
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** The `cookie` header of a session. */
export const cookieOf = (token: string) => `${SESSION_COOKIE}=${token}`;

export interface Route {
  method: string;
  url: string;
}

/**
 * Every route the app serves, read from Fastify's own route tree (`printRoutes`), so a route
 * added later shows up here without anyone listing it. HEAD (Fastify adds one per GET) left out.
 */
export function routesOf(app: FastifyInstance): Route[] {
  const lines = app.printRoutes({ commonPrefix: false }).split('\n');
  const stack: string[] = [];
  const out: Route[] = [];
  for (const line of lines) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const node = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(m[2]!)!;
    stack.length = depth;
    stack.push(node[1]!);
    if (!node[2]) continue;
    const url = stack.join('');
    for (const method of node[2].split(',').map((s) => s.trim()))
      if (method !== 'HEAD') out.push({ method, url });
  }
  expect(out.length, 'routes read from printRoutes').toBeGreaterThan(5);
  return out.sort((a, b) => `${a.url} ${a.method}`.localeCompare(`${b.url} ${b.method}`));
}

/** The routes of a fully featured app (event API, sandbox mode, handoff, metrics). */
export async function allRoutes(kind: DatabaseKind = 'pglite'): Promise<Route[]> {
  const a = await injectApp(kind, { handoffSecret: crypto.randomBytes(16).toString('hex') });
  try {
    return routesOf(a.app);
  } finally {
    await a.close();
  }
}

export const routeKey = (r: Route) => `${r.method} ${r.url}`;

/** The app's tables in the current schema (not the job queue's). */
export async function appTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** Every row of the app's tables (or of `tables`), in a stable order: for "nothing changed". */
export async function dbSnapshot(db: Queryable, tables?: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of tables ?? (await appTables(db))) {
    const { rows } = await db.query(`SELECT * FROM ${t}`);
    out[t] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

export async function countRows(db: Queryable, table: string): Promise<number> {
  const { rows } = await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

/** The signature header of `raw`, signed now (the app's clock) or at `at`. */
export function signatureFor(raw: string, clock: ManualClock, over: { secret?: string; at?: number } = {}) {
  return signEvent(over.secret ?? eventsSecret, raw, over.at ?? Math.floor(clock.now().getTime() / 1000));
}

/** POSTs `raw` to the event API, signed correctly unless headers say otherwise. */
export function postEvent(
  a: Pick<InjectApp, 'app' | 'clock'>,
  raw: string | Buffer,
  headers: Record<string, string | string[] | undefined> = {},
) {
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  const all: Record<string, string | string[]> = {
    'content-type': 'application/json',
    'peposmart-signature': signatureFor(text, a.clock),
  };
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) delete all[k];
    else all[k] = v;
  }
  return a.app.inject({ method: 'POST', url: '/api/v1/events', headers: all, payload: raw });
}

/** A request over HTTP to a listening app, redirects not followed, with a session cookie or none. */
export async function httpRequest(
  url: string,
  init: {
    method?: string;
    cookie?: string;
    form?: Record<string, string> | URLSearchParams;
    headers?: Record<string, string>;
  } = {},
) {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: { ...(init.cookie ? { cookie: cookieOf(init.cookie) } : {}), ...init.headers },
    ...(init.form ? { body: new URLSearchParams(init.form) } : {}),
  });
  const location = res.headers.get('location');
  return {
    status: res.status,
    rawLocation: location,
    location: location ? new URL(location, url) : null,
    setsSession: setsSession(res.headers.getSetCookie()),
    text: await res.text(),
  };
}

/** Whether a reply's Set-Cookie lines give the browser a (non-empty) session. */
export function setsSession(setCookie: readonly string[] | string | undefined): boolean {
  const lines = setCookie === undefined ? [] : typeof setCookie === 'string' ? [setCookie] : setCookie;
  return lines.some((c) => c.startsWith(`${SESSION_COOKIE}=`) && !c.startsWith(`${SESSION_COOKIE}=;`));
}

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same cases. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Only local paths: what every post-sign-in redirect must look like (src/web/auth.ts safeNext). */
export const localPath = /^\/(?![/\\])[\x21-\x7e]*$/;
