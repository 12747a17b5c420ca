import crypto from 'node:crypto';
import net from 'node:net';
import { registerClient } from '../../sandbox/admin/auth.ts';
import type { Sandbox } from '../../sandbox/app.ts';
import { buildAnalysis } from '../../src/analysis/build.ts';
import type { Clock } from '../../src/clock.ts';
import { systemClock } from '../../src/clock.ts';
import type { Config } from '../../src/config.ts';
import { createConnectionDeps } from '../../src/connections/build.ts';
import type { ConnectionDeps } from '../../src/connections/deps.ts';
import { createVault, newVaultKey, type VaultKey } from '../../src/crypto/vault.ts';
import { type JobQueue, type QueueDatabase, startQueue } from '../../src/jobs/queue.ts';
import { createMetrics, metricsAccess } from '../../src/metrics.ts';
import type { ClaimTiming } from '../../src/sync/claims.ts';
import { createEventSync } from '../../src/sync/event-sync.ts';
import { startRetention } from '../../src/sync/retention.ts';
import { createSyncQueues, startSyncWorker } from '../../src/sync/worker.ts';
import { signHandoff } from '../../src/users/handoff.ts';
import { findUser, upsertUser, upsertWorkspace } from '../../src/users/repo.ts';
import { createSession, csrfToken, SESSION_COOKIE } from '../../src/users/sessions.ts';
import { buildWebApp, type SignIn } from '../../src/web/app.ts';
import { demoWorkspace, seedDemoWorkspace } from '../../src/workspaces/demo.ts';
import { sandboxDataCentres } from '../../src/zoho/datacentres.ts';
import { undiciHttp } from '../../src/zoho/http.ts';
import { type DatabaseKind, freshDatabase, type TestDatabase } from './db.ts';
import { registerSecret, testLogger } from './logs.ts';
import { authorize, CookieBrowser, type Step } from './oauth-flow.ts';
import type { CreatedOrg, SandboxClient } from './sandbox.ts';

/**
 * The real app on a free port, on a fresh database, wired to a test's sandbox with its own
 * OAuth client. Token replies pass through a recording fetch so tests can look for the
 * exact token values in tables and logs.
 */
/** The secret test apps verify event signatures with. */
export const eventsSecret = 'whsec_test_0123456789abcdef0123456789abcdef';

export const otherWorkspace = { id: 'ws_other', name: 'Other Workspace' };
export const otherAdmin = {
  id: 'usr_olga',
  email: 'olga@other.test',
  name: 'Olga Other',
  role: 'admin' as const,
};

export interface TestApp {
  url: string;
  db: TestDatabase['db'];
  schema: string | undefined;
  deps: ConnectionDeps;
  client: { clientId: string; clientSecret: string; redirectUri: string };
  keys: VaultKey[];
  /** Every access and refresh token Zoho (the sandbox) issued to the app. */
  issuedTokens: string[];
  /** With `sync`: the app's job queue. */
  queue: JobQueue | undefined;
  signIn(userId: string, workspaceId?: string): Promise<AppSession>;
  close(): Promise<void>;
}

/**
 * A port that is free now, for a server started a little later (the app's URL is needed
 * before it listens). Taken below the kernel's ephemeral range (32768–60999 by default), which
 * the OS hands to every `listen(0)` and outgoing connection: a port picked there could be given
 * to another test's server before ours binds it. Each vitest worker has its own block of 1000,
 * walked in turn from a random start, each port checked by binding it.
 */
let nextPort = -1;
export async function freePort(): Promise<number> {
  const block = 20_000 + (Number(process.env['VITEST_POOL_ID'] ?? 0) % 12) * 1000;
  if (nextPort < 0) nextPort = crypto.randomInt(1000);
  for (let tries = 0; tries < 1000; tries++) {
    const port = block + (nextPort++ % 1000);
    const server = net.createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (bound) {
      await new Promise((r) => server.close(r));
      return port;
    }
  }
  throw new Error(`no free port in ${block}–${block + 999}`);
}

export async function startTestApp(options: {
  kind: DatabaseKind;
  /** PGlite on its own thread, as `npm start` runs it (default: on the test's thread). */
  pgliteThread?: boolean;
  sandbox: Sandbox;
  sandboxBase: string;
  clock?: Clock;
  perOrgConcurrency?: number;
  /** Start the job queue, the sync worker and the event API (signed with `eventsSecret`). */
  sync?: boolean;
  /** With `sync`: false leaves the jobs to worker processes the test starts (default true). */
  worker?: boolean;
  /** Sync tuning: job retries, claim timing, Zoho call timeout. */
  syncRetry?: { limit?: number; delaySeconds?: number };
  claimTiming?: ClaimTiming;
  /** With the worker: jobs it runs at once (SYNC_CONCURRENCY; default 8). */
  syncConcurrency?: number;
  /** OpenAI (a fake server in tests) as the primary analyser. */
  openai?: Config['openai'];
  zohoTimeoutMs?: number;
  /**
   * false: the web app is built as with a real Zoho client configured (no sandbox hint, no
   * Try it panel, no demo sign-in), though Zoho is still the test's sandbox. Default true.
   */
  sandboxMode?: boolean;
  /** AUTH_HANDOFF_SECRET: with it, sign-in is by handoff only, as `npm start` decides (no demo sign-in). */
  handoffSecret?: string;
  /** METRICS_TOKEN. */
  metricsToken?: string;
  /** With the worker: EVENT_RETENTION_DAYS (default: no retention job). */
  retentionDays?: number;
}): Promise<TestApp> {
  const t = await freshDatabase(options.kind, { thread: options.pgliteThread ?? false });
  await seedDemoWorkspace(t.db);
  await upsertWorkspace(t.db, otherWorkspace);
  await upsertUser(t.db, { ...otherAdmin, workspaceId: otherWorkspace.id });

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const client = {
    clientId: `1000.${crypto.randomBytes(16).toString('hex').toUpperCase()}`,
    clientSecret: crypto.randomBytes(20).toString('hex'),
    redirectUri: `${url}/integrations/zoho/callback`,
  };
  registerClient(options.sandbox.core, {
    name: 'PepoSmart (test)',
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uris: [client.redirectUri],
    home_dc: 'us',
    multi_dc: true,
    self_client: false,
  });
  registerSecret(client.clientSecret);

  const issuedTokens: string[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (String(input).includes('/oauth/v2/token') && !String(input).includes('/revoke')) {
      const body = (await res
        .clone()
        .json()
        .catch(() => ({}))) as Record<string, unknown>;
      for (const k of ['access_token', 'refresh_token']) {
        if (typeof body[k] === 'string') {
          issuedTokens.push(body[k] as string);
          registerSecret(body[k] as string);
        }
      }
    }
    return res;
  };

  const keys = [newVaultKey('test1')];
  registerSecret(keys[0]!.key.toString('base64'));
  const logger = testLogger();
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics(t.db);
  const deps = createConnectionDeps({
    db: t.db,
    logger,
    observer: metrics,
    clock,
    vault: createVault(keys),
    client,
    dataCentres: sandboxDataCentres(options.sandboxBase),
    fetch: recordingFetch,
    // The CRM's calls through the service's own client, not the recording fetch (only Accounts'
    // replies are read here).
    http: undiciHttp,
    retry: { baseMs: 5, maxMs: 50 },
    ...(options.perOrgConcurrency ? { perOrgConcurrency: options.perOrgConcurrency } : {}),
    ...(options.zohoTimeoutMs ? { timeoutMs: options.zohoTimeoutMs } : {}),
  });
  const queue = options.sync ? await startQueue({ db: t.db as QueueDatabase, logger }) : undefined;
  if (queue) await createSyncQueues(queue, options.syncRetry);
  const analysis = queue && options.worker !== false ? buildAnalysis(options.openai, logger) : undefined;
  if (queue && analysis)
    await startSyncWorker({
      db: t.db,
      queue,
      logger,
      eventSync: createEventSync({
        ...deps,
        analyze: analysis.analyze,
        ...(options.claimTiming ? { claimTiming: options.claimTiming } : {}),
      }),
      ...(options.syncRetry ? { retry: options.syncRetry } : {}),
      ...(options.syncConcurrency ? { concurrency: options.syncConcurrency } : {}),
    });
  if (queue && options.worker !== false && options.retentionDays !== undefined)
    await startRetention({ db: t.db, queue, logger, days: options.retentionDays });
  // What src/config.ts decides: the demo sign-in only for the embedded sandbox with no secret.
  const signIn: SignIn =
    options.sandboxMode !== false && !options.handoffSecret
      ? { mode: 'demo' }
      : { mode: 'handoff', secret: options.handoffSecret };
  const app = buildWebApp({
    db: t.db,
    logger,
    clock,
    connections: deps,
    publicUrl: url,
    signIn,
    ...(options.sandboxMode === false ? {} : { sandbox: { url: options.sandboxBase, accounts: [] } }),
    ...(queue ? { events: { queue, secret: eventsSecret } } : {}),
    metrics: { metrics, access: metricsAccess(options.metricsToken, signIn.mode === 'demo') },
  });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url,
    db: t.db,
    schema: t.schema,
    deps,
    client,
    keys,
    issuedTokens,
    queue,
    async signIn(userId, workspaceId = userId === otherAdmin.id ? otherWorkspace.id : demoWorkspace.id) {
      const s = new AppSession(url);
      if (signIn.mode === 'demo' && workspaceId === demoWorkspace.id) {
        const res = await s.post('/signin', { workspace_id: workspaceId, user_id: userId }, false);
        if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${res.html}`);
        return s;
      }
      const user = await findUser(t.db, workspaceId, userId);
      if (!user) throw new Error(`no user ${userId} in ${workspaceId}`);
      if (signIn.mode === 'handoff' && signIn.secret) {
        const now = Math.floor(clock.now().getTime() / 1000);
        const token = signHandoff(signIn.secret, {
          jti: crypto.randomUUID(),
          iat: now,
          exp: now + 120,
          workspace: { id: user.workspaceId, name: user.workspaceName },
          user: { id: user.id, email: user.email, name: user.name, role: user.role },
        });
        const res = await s.get(`/auth/handoff?${new URLSearchParams({ token })}`);
        if (res.status !== 303) throw new Error(`handoff sign-in failed: ${res.status} ${res.html}`);
        return s;
      }
      // No route signs this user in here (the demo lists only the demo workspace; without a
      // secret there is no handoff): the session a handoff would have made.
      const session = await createSession(t.db, clock, user);
      s.browser.setCookie(SESSION_COOKIE, session.token);
      return s;
    },
    async close() {
      // A browser still open on the app (a test's Chromium closes after this) keeps keep-alive
      // sockets and sends late requests (the favicon) on them: at teardown every connection goes.
      const closed = app.close();
      app.server.closeAllConnections();
      await closed;
      await queue?.stop();
      await analysis?.close();
      await t.close();
    },
  };
}

/** A signed-in browser session over plain HTTP: cookies kept, redirects not followed. */
export class AppSession {
  readonly url: string;
  readonly browser = new CookieBrowser();
  constructor(url: string) {
    this.url = url;
  }

  get(path: string): Promise<Step> {
    return this.browser.get(path.startsWith('http') ? path : `${this.url}${path}`);
  }

  /** Posts a form, adding the session's CSRF token unless `csrf` is false. */
  post(path: string, fields: Record<string, string> = {}, csrf = true): Promise<Step> {
    const token = this.browser.cookie(SESSION_COOKIE);
    const extra = csrf && token ? { _csrf: csrfToken(token) } : {};
    return this.browser.post(`${this.url}${path}`, { ...fields, ...extra });
  }

  /**
   * Connect → Zoho (sandbox) consent as `zohoEmail` → the app's callback. Returns the
   * callback's response (a redirect back to /integrations).
   */
  async connect(
    sandboxBase: string,
    zohoEmail: string,
    decision: 'accept' | 'deny' = 'accept',
  ): Promise<Step> {
    const start = await this.get('/integrations/zoho/connect');
    if (start.status !== 303 || !start.location) throw new Error(`connect did not redirect: ${start.status}`);
    const params = Object.fromEntries(start.location.searchParams);
    const back = await authorize(sandboxBase, params, zohoEmail, decision);
    return this.get(back.toString());
  }
}

/** The org's first user's email: the Zoho account a test connects as. */
export const zohoEmail = (org: CreatedOrg) => org.users[0]!.email;

/** How many token refreshes the org's sandbox call log shows. */
export async function refreshCount(client: SandboxClient, org: CreatedOrg): Promise<number> {
  return (await client.calls(org)).filter((c) => c.path === '/oauth/v2/token (refresh_token)').length;
}
