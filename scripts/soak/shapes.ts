import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadState, type SandboxState } from '../../sandbox/state.ts';
import { formatVaultKey, newVaultKey } from '../../src/crypto/vault.ts';
import { openPglite } from '../../src/db/pglite.ts';
import type { Queryable } from '../../src/db/port.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { type SandboxAdmin, sandboxAdmin } from './admin.ts';
import type { EventRow, RefRow } from './audit.ts';
import type { ChaosPlan } from './chaos.ts';
import { baseEnv, ServiceProcess } from './processes.ts';
import { SOAK_WORKSPACE } from './users.ts';

/**
 * The two ways the service runs, each started from scratch in a temporary folder:
 * - scaled: `npm run sandbox`, one `npm run web` and two `npm run worker` on a fresh
 *   PostgreSQL schema (dropped at the end);
 * - embedded: one `npm start` on PGlite, with the sandbox inside it.
 * The app is told Zoho's search may lag 10 s (the sandbox's orgs lag 3 s), so a create left
 * unanswered by a kill is looked for after 10 s rather than the default 60.
 */
export type ShapeName = 'scaled' | 'embedded';

export interface Shape {
  name: ShapeName;
  description: string;
  appUrl: string;
  sandboxBase: string;
  admin: SandboxAdmin;
  handoffSecret: string;
  eventsSecret: string;
  processes: ServiceProcess[];
  chaos: Pick<
    ChaosPlan,
    'killable' | 'stallable' | 'killEverySeconds' | 'stallEverySeconds' | 'stallSeconds'
  >;
  /** Events recorded and how many are still in progress; undefined while the app does not answer. */
  progress(): Promise<{ recorded: number; inProgress: number } | undefined>;
  /**
   * Stops every process gracefully (the sandbox last: it saves its state as it closes) and
   * reads what the app's database holds and what the sandbox saved.
   */
  finish(): Promise<Finished>;
  /** Stops whatever still runs; removes the folder (logs, data) and the schema unless kept. */
  cleanup(keep: Keep): Promise<void>;
}

export interface Keep {
  folder: boolean;
  schema: boolean;
}
const keepNothing: Keep = { folder: false, schema: false };

export interface Finished {
  events: EventRow[];
  refs: RefRow[];
  sandbox: SandboxState;
}

export const SEARCH_LAG_SECONDS = '10';

function savedSandbox(dataDir: string): SandboxState {
  const state = loadState(path.join(dataDir, 'sandbox', 'zoho-sandbox.json'));
  if (!state) throw new Error(`the sandbox saved no state in ${dataDir}`);
  return state;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

const secrets = () => ({
  handoffSecret: crypto.randomBytes(32).toString('hex'),
  eventsSecret: crypto.randomBytes(32).toString('hex'),
  metricsToken: crypto.randomBytes(16).toString('hex'),
});

function workDir(name: ShapeName) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `peposmart-soak-${name}-`));
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir);
  return { dir, logDir };
}

async function readApp(db: Queryable): Promise<{ events: EventRow[]; refs: RefRow[] }> {
  const events = await db.query<EventRow>('SELECT id, status, detail FROM events WHERE workspace_id = $1', [
    SOAK_WORKSPACE.id,
  ]);
  const refs = await db.query<{ user_id: string; kind: string; module: string; zoho_id: string }>(
    `SELECT c.user_id, r.kind, r.module, r.zoho_id FROM sync_refs r
       JOIN connections c ON c.id = r.connection_id WHERE r.workspace_id = $1`,
    [SOAK_WORKSPACE.id],
  );
  return {
    events: events.rows,
    refs: refs.rows.map((r) => ({ userId: r.user_id, kind: r.kind, module: r.module, zohoId: r.zoho_id })),
  };
}

export async function startScaled(databaseUrl: string, workers = 2): Promise<Shape> {
  const { dir, logDir } = workDir('scaled');
  const s = secrets();
  const schema = `soak_${crypto.randomBytes(5).toString('hex')}`;
  const server = openPostgres({ url: databaseUrl, max: 1 });
  await server.query(`CREATE SCHEMA ${schema}`);
  const db = openPostgres({ url: databaseUrl, schema, max: 2 });
  const [sandboxPort, webPort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${webPort}`;
  const processes: ServiceProcess[] = [];
  const own = (name: string) => {
    const d = path.join(dir, name);
    fs.mkdirSync(d);
    return d;
  };
  const cleanup = async (keep: Keep) => {
    for (const p of processes.toReversed()) await p.close();
    await db.close();
    if (!keep.schema) {
      await server.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await server.query(`DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`);
    }
    if (!keep.folder) fs.rmSync(dir, { recursive: true, force: true });
    await server.close();
  };
  try {
    const sandboxDir = own('sandbox');
    const sandbox = new ServiceProcess({
      name: 'sandbox',
      args: ['sandbox/main.ts'],
      env: {
        ...baseEnv(),
        DATA_DIR: sandboxDir,
        ZOHO_SANDBOX_PORT: String(sandboxPort),
        PORT: String(webPort),
      },
      ready: /Zoho sandbox listening on/,
      logDir,
    });
    processes.push(sandbox);
    await sandbox.start();
    const sandboxBase = `http://127.0.0.1:${sandboxPort}`;
    const admin = sandboxAdmin(sandboxBase);
    const client = await admin.call<{ client_id: string; client_secret: string }>('POST', '/clients', {
      name: 'PepoSmart (soak)',
      redirect_uris: [`${appUrl}/integrations/zoho/callback`],
    });
    const env = {
      ...baseEnv(),
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      ZOHO_SANDBOX_URL: sandboxBase,
      ZOHO_CLIENT_ID: client.client_id,
      ZOHO_CLIENT_SECRET: client.client_secret,
      TOKEN_ENCRYPTION_KEYS: formatVaultKey(newVaultKey('soak1')),
      PUBLIC_URL: appUrl,
      HOST: '127.0.0.1',
      PORT: String(webPort),
      AUTH_HANDOFF_SECRET: s.handoffSecret,
      EVENTS_SIGNING_SECRET: s.eventsSecret,
      METRICS_TOKEN: s.metricsToken,
      ZOHO_SEARCH_LAG_SECONDS: SEARCH_LAG_SECONDS,
    };
    const web = new ServiceProcess({
      name: 'web',
      args: ['src/main.ts', 'web'],
      env: { ...env, DATA_DIR: own('web') },
      ready: /PepoSmart Zoho CRM integration on/,
      logDir,
    });
    processes.push(web);
    await web.start();
    const workerProcesses = Array.from(
      { length: workers },
      (_, i) =>
        new ServiceProcess({
          name: `worker${i + 1}`,
          args: ['src/main.ts', 'worker'],
          env: { ...env, DATA_DIR: own(`worker${i + 1}`) },
          ready: /sync worker \(database/,
          logDir,
        }),
    );
    for (const w of workerProcesses) {
      processes.push(w);
      await w.start();
    }
    return {
      name: 'scaled',
      description: `npm run sandbox + npm run web + ${workers} × npm run worker, PostgreSQL schema ${schema}`,
      appUrl,
      sandboxBase,
      admin,
      handoffSecret: s.handoffSecret,
      eventsSecret: s.eventsSecret,
      processes,
      chaos: {
        // Mostly workers; the web process now and then (the platform then sends again).
        killable: [
          ...workerProcesses.map((w) => ({ process: w, weight: 4 / workers })),
          { process: web, weight: 0.5 },
        ],
        stallable: workerProcesses,
        killEverySeconds: [5, 10],
        stallEverySeconds: [8, 15],
        stallSeconds: [15, 25],
      },
      async progress() {
        const { rows } = await db.query<{ recorded: number; in_progress: number }>(
          `SELECT count(*)::int AS recorded,
                  count(*) FILTER (WHERE status IN ('queued', 'waiting'))::int AS in_progress
             FROM events WHERE workspace_id = $1`,
          [SOAK_WORKSPACE.id],
        );
        return { recorded: rows[0]!.recorded, inProgress: rows[0]!.in_progress };
      },
      async finish() {
        for (const p of [...workerProcesses, web, sandbox]) await p.end('SIGTERM', 60_000);
        return { ...(await readApp(db)), sandbox: savedSandbox(sandboxDir) };
      },
      cleanup,
    };
  } catch (err) {
    await cleanup(keepNothing);
    throw err;
  }
}

export async function startEmbedded(): Promise<Shape> {
  const { dir, logDir } = workDir('embedded');
  const s = secrets();
  const [sandboxPort, webPort] = [await freePort(), await freePort()];
  const appUrl = `http://127.0.0.1:${webPort}`;
  const sandboxBase = `http://127.0.0.1:${sandboxPort}`;
  const app = new ServiceProcess({
    name: 'npm-start',
    args: ['src/main.ts'],
    env: {
      ...baseEnv(),
      DATA_DIR: path.join(dir, 'data'),
      HOST: '127.0.0.1',
      PORT: String(webPort),
      PUBLIC_URL: appUrl,
      ZOHO_SANDBOX_PORT: String(sandboxPort),
      AUTH_HANDOFF_SECRET: s.handoffSecret,
      EVENTS_SIGNING_SECRET: s.eventsSecret,
      METRICS_TOKEN: s.metricsToken,
      ZOHO_SEARCH_LAG_SECONDS: SEARCH_LAG_SECONDS,
    },
    ready: /PepoSmart Zoho CRM integration on/,
    logDir,
  });
  const cleanup = async (keep: Keep) => {
    await app.close();
    if (!keep.folder) fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await app.start();
  } catch (err) {
    await cleanup(keepNothing);
    throw err;
  }
  return {
    name: 'embedded',
    description: 'npm start (web, workers and the sandbox in one process), PGlite',
    appUrl,
    sandboxBase,
    admin: sandboxAdmin(sandboxBase),
    handoffSecret: s.handoffSecret,
    eventsSecret: s.eventsSecret,
    processes: [app],
    chaos: {
      killable: [{ process: app, weight: 1 }],
      stallable: [app],
      killEverySeconds: [5, 12],
      stallEverySeconds: [15, 30],
      stallSeconds: [13, 18],
    },
    async progress() {
      try {
        const res = await fetch(`${appUrl}/metrics`, {
          headers: { authorization: `Bearer ${s.metricsToken}` },
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) return undefined;
        return eventsFromMetrics(await res.text());
      } catch {
        return undefined;
      }
    },
    async finish() {
      await app.end('SIGTERM', 60_000);
      const db = await openPglite({ dataDir: path.join(dir, 'data', 'pglite') });
      try {
        return { ...(await readApp(db)), sandbox: savedSandbox(path.join(dir, 'data')) };
      } finally {
        await db.close();
      }
    },
    cleanup,
  };
}

/** `peposmart_sync_events{type,status}`: the app's events by status, read at each scrape. */
export function eventsFromMetrics(text: string): { recorded: number; inProgress: number } {
  let recorded = 0;
  let inProgress = 0;
  for (const m of text.matchAll(/^peposmart_sync_events\{[^}]*status="([^"]+)"[^}]*\} (\d+)/gm)) {
    const n = Number(m[2]);
    recorded += n;
    if (m[1] === 'queued' || m[1] === 'waiting') inProgress += n;
  }
  return { recorded, inProgress };
}
