import { type PGlite, parse, protocol, type Results, type Transaction } from '@electric-sql/pglite';

const { serialize } = protocol;

/**
 * Statements with parameters run on PGlite as named prepared statements (issue 13), as they do on
 * PostgreSQL (postgres.ts): the first run of a text parses it once under a name and learns its
 * parameters' types; every run after that is one message to the engine — bind, describe, execute,
 * sync — with no parse or plan. PGlite's own `query` parses, describes and plans the text on every
 * call, in six trips into its WebAssembly engine; measured on this machine, a typical claim update
 * fell from 0.42–0.47 ms to 0.17 ms and a read by key from 0.27–0.30 ms to 0.08–0.10 ms, and on
 * the embedded shape the database's one thread is what sets the pace of the sync.
 *
 * Parameters are turned into text by PGlite's own serializers for the types the engine gave, and
 * rows read by its own parsers, so values cross exactly as through `query`; an error carries the
 * same fields (the statement's text and parameters on it, as PGlite adds them). Prepared statements
 * belong to the session, not to a transaction: one prepared inside a transaction that rolls back
 * stays usable. Texts are a fixed set; beyond `maxNamed`, and without parameters, they run through
 * `query` unnamed.
 *
 * A prepared statement whose result's columns changed under it (a migration while it ran) fails
 * with "cached plan must not change result type"; the names then start a new generation, so the
 * next try prepares afresh.
 */
export interface PreparedStatements {
  /**
   * Runs `text` with `values`: in `tx`, an open transaction of this PGlite whose holder has the
   * turn; without it, once any open transaction has ended, as PGlite's `query` waits.
   */
  query<R>(text: string, values: readonly unknown[], tx?: Pick<Transaction, 'query'>): Promise<Results<R>>;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function preparedStatements(pglite: PGlite, maxNamed = 2_000): PreparedStatements {
  const prepared = new Map<string, { name: string; types: number[] }>();
  let generation = 0;
  let next = 0;

  async function prepare(text: string): Promise<{ name: string; types: number[] }> {
    const name = `peposmart_${generation}_${next++}`;
    const { messages } = await pglite.execProtocol(
      concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      { syncToFs: false },
    );
    const statement = { name, types: parse.parseDescribeStatementResults(messages) };
    prepared.set(text, statement);
    return statement;
  }

  async function run<R>(text: string, values: readonly unknown[], inTransaction: boolean) {
    const statement = prepared.get(text) ?? (await prepare(text));
    const params = values.map((v, i) => {
      if (v === null || v === undefined) return null;
      const type = statement.types[i];
      const toText = type === undefined ? undefined : pglite.serializers[type];
      return toText ? toText(v) : String(v);
    });
    const { messages } = await pglite.execProtocol(
      concat([
        serialize.bind({ statement: statement.name, values: params }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    if (!inTransaction) await pglite.syncToFs();
    return parse.parseResults(messages, pglite.parsers)[0] as Results<R>;
  }

  return {
    async query<R>(text: string, values: readonly unknown[], tx?: Pick<Transaction, 'query'>) {
      // Parameterless texts (pg-boss's schema statements, one-offs) run as they are.
      if (values.length === 0 || (!prepared.has(text) && prepared.size >= maxNamed))
        return (tx ?? pglite).query<R>(text, values as unknown[]);
      // In a transaction its holder has the turn; outside one, wait for any open one to end (the
      // lock PGlite's own `query` takes), then for the engine (the lock each statement takes).
      const exclusive = () => pglite.runExclusive(() => run<R>(text, values, tx !== undefined));
      try {
        return await (tx ? exclusive() : pglite._runExclusiveTransaction(exclusive));
      } catch (err) {
        if (err !== null && typeof err === 'object') {
          const e = err as { code?: string; routine?: string; query?: string; params?: unknown };
          // Recognised by the routine that raises it, not its text (in any language).
          if (e.code === '0A000' && e.routine === 'RevalidateCachedQuery') {
            generation++;
            prepared.clear();
          }
          e.query = text;
          e.params = values;
        }
        throw err;
      }
    },
  };
}
