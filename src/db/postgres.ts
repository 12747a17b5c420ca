import pg from 'pg';
import type { Database, Queryable, QueryResult } from './port.ts';

// Zoho ids are 19-digit strings and our bigint counters must not lose precision: keep
// int8 as text rather than JS numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(text: string, values: readonly unknown[] = []): Promise<QueryResult<R>> {
      const reply: pg.QueryResult | pg.QueryResult[] = await client.query(text, values as unknown[]);
      // A parameterless query with several statements answers one result per statement.
      const res = Array.isArray(reply) ? reply.at(-1)! : reply;
      return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
    },
  };
}

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
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  pool.on('error', (err) => options.onIdleError?.(err));
  const base = wrap(pool);
  return {
    kind: 'postgres',
    pool,
    url: options.url,
    schema: options.schema,
    query: base.query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
