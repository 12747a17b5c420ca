import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { formatVaultKey, newVaultKey } from '../../src/crypto/vault.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { baseEnv, ServiceChild } from './processes.ts';

/**
 * The scaled shape as deployed, each part its own process: `npm run sandbox` (its own data
 * folder), one `npm run web` and `workers` × `npm run worker` on a PostgreSQL database of their
 * own (CREATE DATABASE bench_<random>, dropped at the end). The app uses the OAuth client the
 * sandbox printed, as README's "Runtime shapes" tells an operator to.
 */
export interface Cluster {
  appUrl: string;
  sandboxBase: string;
  handoffSecret: string;
  eventsSecret: string;
  metricsToken: string;
  /** The bench's own connection to the app's database (its statements are not the app's). */
  db: ReturnType<typeof openPostgres>;
  sandbox: ServiceChild;
  web: ServiceChild;
  workers: Array<{ process: ServiceChild; metricsUrl: string }>;
  /** Every process, the sandbox first. */
  all(): ServiceChild[];
  /** Stops every process (workers first, the sandbox last) and drops the database. */
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** The printed `client_id=…` and `client_secret=…` of `npm run sandbox`'s banner. */
function printedClient(banner: string) {
  const id = /client_id=(\S+)/.exec(banner)?.[1];
  const secret = /client_secret=(\S+)/.exec(banner)?.[1];
  if (!id || !secret) throw new Error(`the sandbox printed no OAuth client:\n${banner}`);
  return { id, secret };
}

export async function startCluster(options: {
  serverUrl: string;
  workers: number;
  dir: string;
}): Promise<Cluster> {
  const dbName = `bench_${crypto.randomBytes(5).toString('hex')}`;
  const server = openPostgres({ url: options.serverUrl, max: 1 });
  await server.query(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(options.serverUrl);
  dbUrl.pathname = `/${dbName}`;
  const db = openPostgres({ url: dbUrl.toString(), max: 2 });
  const started: ServiceChild[] = [];
  let closing: Promise<void> | undefined;
  // Once, whether the run ends or a signal ends the bench.
  const close = () =>
    (closing ??= (async () => {
      // Workers first (their jobs finish), then the web process, the sandbox last.
      for (const p of started.toReversed()) await p.stop();
      await db.close();
      await server.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await server.close();
    })());
  const own = (name: string) => {
    const d = path.join(options.dir, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  const start = async (spec: Parameters<typeof ServiceChild.start>[0]) => {
    const child = await ServiceChild.start(spec);
    started.push(child);
    return child;
  };
  try {
    const [sandboxPort, webPort] = [await freePort(), await freePort()];
    const appUrl = `http://127.0.0.1:${webPort}`;
    const sandboxBase = `http://127.0.0.1:${sandboxPort}`;
    const sandbox = await start({
      name: 'sandbox',
      args: ['sandbox/main.ts'],
      // PORT: the app's port, which the printed client's redirect URIs name.
      env: {
        ...baseEnv(),
        DATA_DIR: own('sandbox'),
        ZOHO_SANDBOX_PORT: String(sandboxPort),
        PORT: String(webPort),
      },
      ready: /redirect URIs: .*\n/,
      logFile: path.join(options.dir, 'sandbox.log'),
    });
    const client = printedClient(sandbox.banner);
    const secrets = {
      handoffSecret: crypto.randomBytes(32).toString('hex'),
      eventsSecret: crypto.randomBytes(32).toString('hex'),
      metricsToken: crypto.randomBytes(16).toString('hex'),
    };
    const env = {
      ...baseEnv(),
      DATABASE_URL: dbUrl.toString(),
      ZOHO_SANDBOX_URL: sandboxBase,
      ZOHO_CLIENT_ID: client.id,
      ZOHO_CLIENT_SECRET: client.secret,
      TOKEN_ENCRYPTION_KEYS: formatVaultKey(newVaultKey('bench1')),
      PUBLIC_URL: appUrl,
      HOST: '127.0.0.1',
      PORT: String(webPort),
      AUTH_HANDOFF_SECRET: secrets.handoffSecret,
      EVENTS_SIGNING_SECRET: secrets.eventsSecret,
      METRICS_TOKEN: secrets.metricsToken,
    };
    const web = await start({
      name: 'web',
      args: ['src/main.ts', 'web'],
      env: { ...env, DATA_DIR: own('web') },
      ready: /PepoSmart Zoho CRM integration on/,
      logFile: path.join(options.dir, 'web.log'),
    });
    const workers: Cluster['workers'] = [];
    for (let i = 1; i <= options.workers; i++) {
      const port = await freePort();
      const process = await start({
        name: `worker${i}`,
        args: ['src/main.ts', 'worker'],
        env: { ...env, DATA_DIR: own(`worker${i}`), METRICS_PORT: String(port) },
        ready: /Metrics on /,
        logFile: path.join(options.dir, `worker${i}.log`),
      });
      workers.push({ process, metricsUrl: `http://127.0.0.1:${port}/metrics` });
    }
    return {
      appUrl,
      sandboxBase,
      ...secrets,
      db,
      sandbox,
      web,
      workers,
      all: () => [...started],
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
