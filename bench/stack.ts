import { AsyncLocalStorage } from 'node:async_hooks';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { registerClient } from '../sandbox/admin/auth.ts';
import { createSandbox } from '../sandbox/app.ts';
import { buildAnalysis } from '../src/analysis/build.ts';
import { systemClock } from '../src/clock.ts';
import { createConnectionDeps } from '../src/connections/build.ts';
import { findConnection } from '../src/connections/repo.ts';
import { createVault, newVaultKey } from '../src/crypto/vault.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPglite } from '../src/db/pglite.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { backgroundLane, createPriority } from '../src/db/priority.ts';
import { countStatements, createStatementCounter } from '../src/db/statements.ts';
import { type QueueDatabase, startQueue } from '../src/jobs/queue.ts';
import { createLogger } from '../src/log.ts';
import { createEventSync } from '../src/sync/event-sync.ts';
import { startSyncWorker } from '../src/sync/worker.ts';
import { buildWebApp } from '../src/web/app.ts';
import { seedDemoWorkspace } from '../src/workspaces/demo.ts';
import { sandboxDataCentres } from '../src/zoho/datacentres.ts';
import { undiciHttp, type ZohoHttp } from '../src/zoho/http.ts';
import { authorize, CookieBrowser } from '../test/helpers/oauth-flow.ts';

/**
 * The whole product in one process, as `npm start` wires it in sandbox mode: the Zoho sandbox
 * on a free port, the app on a fresh embedded PGlite in a temporary folder, the job queue, the
 * sync worker and the event API. The app's fetch is wrapped to record every CRM call a sync
 * job makes, attributed to its event by AsyncLocalStorage (the sandbox's own call log cannot
 * say which booking a call belonged to).
 */
export interface ObservedCall {
  eventId: string;
  method: string;
  /** Below /crm/v8, e.g. /Notes. */
  path: string;
  status: number;
  /** Date.now() when the reply's headers arrived. */
  at: number;
}

export interface SandboxCall {
  at: string;
  method: string;
  path: string;
  status: number;
}

export interface Org {
  org_id: string;
  users: Array<{ id: string; email: string }>;
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * `postgres`: the same one-process service on PostgreSQL (`npm start` with `DATABASE_URL`), in a
 * schema of its own on that server, dropped at close; otherwise embedded PGlite.
 */
export async function startStack(options: { postgres?: string } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peposmart-bench-'));
  const sandbox = await createSandbox();
  const sandboxBase = await sandbox.listen(0);
  // The bench reads the database through `db`; the app's statements, through `appDb`, are counted.
  const schema = `bench_${crypto.randomBytes(5).toString('hex')}`;
  const db: QueueDatabase = options.postgres
    ? openPostgres({ url: options.postgres, schema })
    : await openPglite({ dataDir: path.join(dataDir, 'pglite'), thread: true });
  if (db.kind === 'postgres') await db.query(`CREATE SCHEMA ${schema}`);
  await migrate(db);
  await seedDemoWorkspace(db);
  const statements = createStatementCounter();
  const appDb = countStatements(db, statements);
  // As `npm start` wires it: on PGlite, accepting events comes before the sync's statements.
  const priority = db.kind === 'pglite' ? createPriority() : undefined;
  const syncDb = priority ? backgroundLane(appDb, priority) : appDb;

  const logger = createLogger({ level: 'warn', name: 'bench' }, process.stderr);
  const secret = crypto.randomBytes(32).toString('hex');
  const current = new AsyncLocalStorage<string>();
  const observed: ObservedCall[] = [];
  // The CRM's calls, through the service's own client, recorded as their replies arrive.
  const recordingHttp: ZohoHttp = async (url, req) => {
    const res = await undiciHttp(url, req);
    const eventId = current.getStore();
    const at = url.pathname.indexOf('/crm/v8/');
    if (eventId && at >= 0)
      observed.push({
        eventId,
        method: req.method,
        path: url.pathname.slice(at + '/crm/v8'.length),
        status: res.status,
        at: Date.now(),
      });
    return res;
  };

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const client = {
    clientId: `1000.${crypto.randomBytes(16).toString('hex').toUpperCase()}`,
    clientSecret: crypto.randomBytes(20).toString('hex'),
    redirectUri: `${url}/integrations/zoho/callback`,
  };
  registerClient(sandbox.core, {
    name: 'PepoSmart (bench)',
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uris: [client.redirectUri],
    home_dc: 'us',
    multi_dc: true,
    self_client: false,
  });
  const deps = createConnectionDeps({
    db: appDb,
    logger,
    clock: systemClock,
    vault: createVault([newVaultKey('bench1')]),
    client,
    dataCentres: sandboxDataCentres(sandboxBase),
    http: recordingHttp,
  });
  const queue = await startQueue({ db: appDb, logger, statements });
  const sync = createEventSync({
    ...deps,
    db: syncDb,
    analyze: buildAnalysis(undefined, logger).analyze,
  });
  await startSyncWorker({
    db: syncDb,
    queue,
    logger,
    eventSync: { handle: (eventId: string) => current.run(eventId, () => sync.handle(eventId)) },
  });
  const app = buildWebApp({
    db: appDb,
    logger,
    clock: systemClock,
    connections: deps,
    publicUrl: url,
    signIn: { mode: 'demo' },
    sandbox: { url: sandboxBase, accounts: [] },
    events: { queue, secret, ...(priority ? { priority } : {}) },
  });
  await app.listen({ port, host: '127.0.0.1' });

  const admin = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sandboxBase}/__sandbox${p}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`sandbox ${method} ${p}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };

  return {
    url,
    db,
    statements,
    deps,
    secret,
    observed,
    admin,
    createOrg(name: string, settings: Record<string, unknown> = {}): Promise<Org> {
      const email = `admin.${crypto.randomBytes(4).toString('hex')}@bench.example`;
      return admin<Org>('POST', '/orgs', {
        name,
        edition: 'enterprise',
        data_center: 'us',
        users: [{ email, first_name: 'Ada', last_name: 'Admin', profile: 'Administrator' }],
        ...settings,
      });
    },
    /** CRM calls in the org's sandbox log (token calls left out). */
    async crmCalls(org: Org): Promise<SandboxCall[]> {
      const { calls } = await admin<{ calls: SandboxCall[] }>('GET', `/orgs/${org.org_id}/calls`);
      return calls.filter((c) => !c.path.startsWith('/oauth'));
    },
    async records(org: Org, module: string): Promise<Array<Record<string, unknown>>> {
      const res = await admin<{ records: Record<string, Array<Record<string, unknown>>> }>(
        'GET',
        `/orgs/${org.org_id}/records?module=${module}`,
      );
      return res.records[module] ?? [];
    },
    /** The real OAuth flow: sign in to the app as `userId`, Connect, consent at the sandbox. */
    async connect(userId: string, org: Org): Promise<string> {
      const browser = new CookieBrowser();
      await browser.post(`${url}/signin`, { workspace_id: 'ws_demo', user_id: userId });
      const start = await browser.get(`${url}/integrations/zoho/connect`);
      if (!start.location) throw new Error(`connect did not redirect: ${start.status}`);
      const params = Object.fromEntries(start.location.searchParams);
      const back = await authorize(sandboxBase, params, org.users[0]!.email);
      const done = await browser.get(back.toString());
      if (done.location?.search !== '?done=connected') throw new Error(`connect failed: ${done.location}`);
      return (await findConnection(db, 'ws_demo', userId))!.id;
    },
    async close() {
      await app.close();
      await queue.stop();
      await sandbox.close();
      if (db.kind === 'postgres')
        await db.query(
          `DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`,
        );
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}
