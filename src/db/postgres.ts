import crypto from 'node:crypto';
import pg from 'pg';
import type { Database, Queryable, QueryResult } from './port.ts';
import { isForeground } from './priority.ts';

// Zoho ids are 19-digit strings and our bigint counters must not lose precision: keep
// int8 as text rather than JS numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

/**
 * Statements with parameters run as named prepared statements (issue 13): each connection parses
 * and plans a statement once, then only binds and executes it. Unnamed, PostgreSQL parsed and
 * planned every statement each time — in phase C 60 % of the server's time in our statements went
 * to parse and bind, not to execute. Our statements are a fixed set of texts; the names are
 * bounded all the same (texts beyond `maxNamed` run unnamed), as each connection keeps what it
 * prepared for as long as it lives.
 *
 * A prepared statement whose tables changed (a migration while this process runs) is planned again
 * by PostgreSQL, except where its result's columns changed: that raises "cached plan must not change
 * result type" on this connection each time. The names then get a new generation, so the next try
 * (a retried job) prepares afresh.
 */
export interface NamedStatements {
  /**
   * Sends `text` through `send` as a named query where it has parameters and a name, else as it
   * is; a stale plan's failure starts a new generation of names.
   */
  run<T>(
    text: string,
    values: unknown[] | undefined,
    send: (query: string | pg.QueryConfig, values: unknown[] | undefined) => Promise<T>,
  ): Promise<T>;
}

export function namedStatements(maxNamed = 2_000): NamedStatements {
  const names = new Map<string, string>();
  let generation = 0;
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (name === undefined && names.size < maxNamed) {
      name = `peposmart_${generation}_${crypto.createHash('sha256').update(text).digest('hex').slice(0, 32)}`;
      names.set(text, name);
    }
    return name;
  };
  return {
    async run(text, values, send) {
      // Parameterless texts (migrations: several statements in one) go as simple queries.
      const name = values?.length ? nameOf(text) : undefined;
      if (!name || !values) return send(text, values);
      try {
        return await send({ name, text, values }, undefined);
      } catch (err) {
        // Recognised by the routine that raises it, not its text (servers may answer in any language).
        const e = err as { code?: string; routine?: string };
        if (e.code === '0A000' && e.routine === 'RevalidateCachedQuery') {
          generation++;
          names.clear();
        }
        throw err;
      }
    },
  };
}

function wrap(client: pg.Pool | pg.PoolClient, named: NamedStatements): Queryable {
  return {
    async query<R>(text: string, values: readonly unknown[] = []): Promise<QueryResult<R>> {
      const reply: pg.QueryResult | pg.QueryResult[] = await named.run(
        text,
        values as unknown[],
        (query, v) => (typeof query === 'string' ? client.query(query, v) : client.query(query)),
      );
      // A parameterless query with several statements answers one result per statement.
      const res = Array.isArray(reply) ? reply.at(-1)! : reply;
      return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
    },
  };
}

/** Connections kept for foreground work beside the pool (see openPostgres). */
export const FOREGROUND_CONNECTIONS = 2;

export interface PostgresOptions {
  url: string;
  /** Every connection uses this schema first (tests give each suite its own). */
  schema?: string;
  max?: number;
  /**
   * Told when an idle connection fails (the server restarted, an administrator ended it): the
   * pool drops it and opens another when needed. Without a listener such an error would end
   * the process.
   */
  onIdleError?: (err: Error) => void;
}

export function openPostgres(
  options: PostgresOptions,
): Database & { readonly kind: 'postgres'; pool: pg.Pool; url: string; schema: string | undefined } {
  const poolConfig: pg.PoolConfig = {
    connectionString: options.url,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  };
  const pool = new pg.Pool({ ...poolConfig, max: options.max ?? 10 });
  pool.on('error', (err) => options.onIdleError?.(err));
  // Foreground work (accepting events, db/priority.ts) has connections of its own, opened when
  // first needed: in one process with the sync, its transaction would otherwise wait for a
  // connection behind every statement the sync's jobs have queued (issue 13).
  let foreground: pg.Pool | undefined;
  let closed = false;
  const foregroundPool = () => {
    // As the pool does once ended: no connection is opened after close().
    if (closed) throw new Error('Cannot use a pool after calling end on the pool');
    if (!foreground) {
      foreground = new pg.Pool({ ...poolConfig, max: FOREGROUND_CONNECTIONS });
      foreground.on('error', (err) => options.onIdleError?.(err));
    }
    return foreground;
  };
  const named = namedStatements();
  const base = wrap(pool, named);
  return {
    kind: 'postgres',
    pool,
    url: options.url,
    schema: options.schema,
    query: (text, values) => (isForeground() ? wrap(foregroundPool(), named) : base).query(text, values),
    async transaction(fn) {
      const client = await (isForeground() ? foregroundPool() : pool).connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client, named));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: async () => {
      closed = true;
      await Promise.all([pool.end(), foreground?.end()]);
    },
  };
}
