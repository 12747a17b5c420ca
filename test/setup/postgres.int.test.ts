import { execFileSync, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../src/db/migrate.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { testDatabaseUrl } from '../helpers/db.ts';
import { installedBinaries, linkLibraries, startEmbeddedPostgres } from './embedded-postgres.ts';
import { ProvisionError, provisionPostgres } from './postgres.ts';

/**
 * `npm test` on a fresh machine (issue 14): with no PostgreSQL reachable and TEST_DATABASE_URL
 * unset, the run starts its own server from the embedded-postgres package. This proves that
 * path whatever server the run itself uses.
 */
describe('the PostgreSQL a test run provisions (test/setup/postgres.ts)', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean().catch(() => {});
  });

  it('with no server reachable and TEST_DATABASE_URL unset, starts an embedded PostgreSQL that takes the migrations, and deletes it at the end', async () => {
    const nothingThere = `postgres://postgres@127.0.0.1:${await unusedPort()}/test`;
    const run = await provisionPostgres({}, nothingThere);
    cleanups.push(run.stop);
    expect(run.summary).toMatch(
      /^PostgreSQL for tests: embedded PostgreSQL 18\.\d+ at postgres:\/\/postgres@127\.0\.0\.1:\d+\/test, started in [\d.]+ s \(no usable server at .*ECONNREFUSED/,
    );
    const embedded = run.embedded!;
    expect(run.url).toBe(embedded.url);
    expect(fs.existsSync(embedded.dir)).toBe(true);

    const db = openPostgres({ url: run.url });
    cleanups.push(() => db.close());
    const applied = await migrate(db);
    expect(applied).toEqual((await readMigrations()).map((m) => m.name));
    expect(applied.length).toBeGreaterThan(0);
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
    expect(Number(rows[0]!.n)).toBe(applied.length);
    await db.close();

    await run.stop();
    expect(embedded.process.exitCode !== null || embedded.process.signalCode !== null).toBe(true);
    expect(fs.existsSync(embedded.dir)).toBe(false);
    const after = new pg.Client({ connectionString: run.url });
    await expect(after.connect()).rejects.toThrow(/ECONNREFUSED/);
  });

  it('TEST_DATABASE_URL that cannot be reached stops the run with one line, and starts nothing', async () => {
    const asked = `postgres://postgres:hunter2@127.0.0.1:${await unusedPort()}/test`;
    const error = await provisionPostgres({ TEST_DATABASE_URL: asked }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ProvisionError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^TEST_DATABASE_URL=postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/test cannot be used \(/,
    );
    expect(message).toContain('ECONNREFUSED');
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('\n');
  });

  it('TEST_DATABASE_URL that answers is used as it is', async () => {
    const run = await provisionPostgres(
      { TEST_DATABASE_URL: testDatabaseUrl },
      'postgres://nobody@127.0.0.1:1/x',
    );
    expect(run.url).toBe(testDatabaseUrl);
    expect(run.embedded).toBeUndefined();
    expect(run.summary).toMatch(/from TEST_DATABASE_URL\)$/);
  });

  it('a local server without the test database yet gets it created, and is used', async () => {
    const name = `t_provision_${process.pid}_${Date.now()}`;
    const local = new URL(testDatabaseUrl);
    local.pathname = `/${name}`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    cleanups.push(() => admin.end());
    cleanups.push(() => admin.query(`DROP DATABASE IF EXISTS ${name}`));

    const run = await provisionPostgres({}, local.toString());
    expect(run.url).toBe(local.toString());
    expect(run.embedded).toBeUndefined();
    expect(run.summary).toMatch(/^PostgreSQL for tests: this machine's server/);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    expect(rowCount).toBe(1);
  });

  it.runIf(process.getuid?.() === 0)(
    'as root, runs the server as another OS user owning its folder: `nobody` on a machine without a postgres user',
    async () => {
      const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
      const server = await startEmbeddedPostgres({ osUser: 'nobody' });
      cleanups.push(server.stop);
      expect(fs.statSync(server.dir).uid).toBe(nobody);
      const status = fs.readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
      expect(status).toMatch(new RegExp(`^Uid:\\s+${nobody}\\s`, 'm'));
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      cleanups.push(() => client.end());
      expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    },
  );

  it('binaries installed without install scripts (no hydrate-symlinks) run once their library links are made', () => {
    // A copy of the package's binaries as npm unpacks them: its tarball cannot hold the links.
    const installed = installedBinaries();
    fs.mkdirSync('test-results', { recursive: true });
    const copy = path.join(fs.mkdtempSync(path.resolve('test-results', 'pg-bin-')), 'native');
    cleanups.push(async () => fs.rmSync(path.dirname(copy), { recursive: true, force: true }));
    for (const sub of ['bin', 'lib']) {
      fs.mkdirSync(path.join(copy, sub), { recursive: true });
      for (const entry of fs.readdirSync(path.join(installed, sub), { withFileTypes: true })) {
        if (entry.isFile()) place(path.join(installed, sub, entry.name), path.join(copy, sub, entry.name));
      }
    }
    place(path.join(installed, 'pg-symlinks.json'), path.join(copy, 'pg-symlinks.json'));

    const before = spawnSync(path.join(copy, 'bin', 'postgres'), ['--version'], { encoding: 'utf8' });
    expect(before.status).not.toBe(0);
    expect(before.stderr).toMatch(/cannot open shared object file/);

    linkLibraries(copy);
    const after = spawnSync(path.join(copy, 'bin', 'postgres'), ['--version'], { encoding: 'utf8' });
    expect(after.stderr).toBe('');
    expect(after.stdout).toMatch(/^postgres \(PostgreSQL\) 18\./);
    linkLibraries(copy); // again: nothing to do, no error
  });
});

/** A port nothing listens on (taken from the system, then released). */
async function unusedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** A hard link when the folders share a file system (no 60 MB copy), else a copy. */
function place(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}
