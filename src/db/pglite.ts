import fs from 'node:fs';
import path from 'node:path';
import { PGlite, type Results } from '@electric-sql/pglite';
import { AppError } from '../errors.ts';
import { ensurePrivateDir, privateFileMode, tightenTree } from '../files/private-dir.ts';
import { preparedStatements } from './pglite-prepared.ts';
import { type PGliteLike, type PGliteResults, type PGliteTx, startPgliteThread } from './pglite-thread.ts';
import type { Database, Queryable, QueryResult } from './port.ts';

/**
 * Like `pg`, a query without parameters goes through the simple protocol and may hold
 * several statements (migration scripts); the last statement's result is returned.
 */
function wrap(q: PGliteTx): Queryable {
  return {
    async query<R>(text: string, values: readonly unknown[] = []): Promise<QueryResult<R>> {
      if (values.length === 0) {
        const results = await q.exec(text);
        const last = results.at(-1);
        const rows = (last?.rows ?? []) as R[];
        return { rows, rowCount: last?.affectedRows || rows.length };
      }
      const res = await q.query<R>(text, values as unknown[]);
      return { rows: res.rows, rowCount: res.affectedRows || res.rows.length };
    },
  };
}

/**
 * PGlite on the caller's thread behind the same methods as on its own (pglite-thread.ts), its
 * statements with parameters prepared once as there (pglite-prepared.ts).
 */
function onThisThread(pglite: PGlite): PGliteLike {
  const prepared = preparedStatements(pglite);
  return {
    query: <R>(text: string, values: unknown[] = []) => prepared.query<R>(text, values).then(results<R>),
    exec: (text) => pglite.exec(text).then((all) => all.map(results)),
    transaction: (fn) =>
      pglite.transaction((tx) =>
        fn({
          query: <R>(text: string, values: unknown[] = []) =>
            prepared.query<R>(text, values, tx).then(results<R>),
          exec: (text) => tx.exec(text).then((all) => all.map(results)),
        }),
      ),
    listen: (channel, callback) => pglite.listen(channel, callback),
    dumpDataDir: (compression) => pglite.dumpDataDir(compression),
    close: () => pglite.close(),
  };
}

function results<R>(r: Results<R>): PGliteResults<R> {
  return { rows: r.rows, affectedRows: r.affectedRows ?? 0 };
}

/**
 * A second process opening the same PGlite folder corrupts it (seen on this stack), so
 * the owner holds an exclusive lock file carrying its pid; a lock left by a dead process
 * is taken over.
 */
export function lockDataDir(dir: string): () => void {
  ensurePrivateDir(dir);
  const lockPath = path.join(dir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx', mode: privateFileMode });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(fs.readFileSync(lockPath, 'utf8'));
      if (isAlive(owner)) {
        throw new AppError(
          'db_locked',
          `The data folder ${dir} is in use by process ${owner}. Only one process may open an embedded database; ` +
            'set DATABASE_URL to run several processes.',
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new AppError('db_locked', `Could not lock the data folder ${dir}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The data folder is owner-only (issue 12, M3): PGlite's file system layer sets the modes of
 * the files it creates itself — 0666 for the cluster initdb makes, 0644 for some written
 * later — whatever the process umask. The folder is created 0700 (so nothing in it is
 * reachable by other users meanwhile) and its files are tightened on open and on close.
 */
function keepPrivate(dataDir: string | undefined): void {
  if (dataDir !== undefined) tightenTree(dataDir);
}

/**
 * `dataDir` undefined: an in-memory database (tests). `thread`: PGlite runs on a thread of its own
 * (pglite-thread.ts) — the service's shape (`npm start`), so the event loop serves requests while
 * the database works; without it, on this thread (tests, one-off commands).
 */
export async function openPglite(
  options: { dataDir?: string; loadDataDir?: Blob; thread?: boolean } = {},
): Promise<Database & { readonly kind: 'pglite'; pglite: PGliteLike }> {
  const unlock = options.dataDir === undefined ? () => {} : lockDataDir(options.dataDir);
  let pglite: PGliteLike;
  try {
    keepPrivate(options.dataDir);
    const dataDir = options.dataDir ?? 'memory://';
    const load = options.loadDataDir ? { loadDataDir: options.loadDataDir } : {};
    pglite = options.thread
      ? await startPgliteThread({ dataDir, ...load })
      : onThisThread(await PGlite.create(dataDir, load));
    keepPrivate(options.dataDir);
  } catch (err) {
    unlock();
    throw err;
  }
  const base = wrap(pglite);
  // On this thread PGlite runs each statement synchronously: a stream of them (a burst being
  // synced) would hold the event loop from one statement to the next, and requests would wait
  // for the whole stream. So each statement first lets pending I/O run.
  const turn = options.thread ? () => Promise.resolve() : () => new Promise<void>((r) => setImmediate(r));
  return {
    kind: 'pglite',
    pglite,
    async query(text, values) {
      await turn();
      return base.query(text, values);
    },
    async transaction(fn) {
      await turn();
      return pglite.transaction((tx) => fn(wrap(tx)));
    },
    async close() {
      await pglite.close();
      keepPrivate(options.dataDir);
      unlock();
    },
  };
}
