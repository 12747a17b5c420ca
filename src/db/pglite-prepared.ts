import {
  type messages,
  type PGlite,
  parse,
  protocol,
  type Results,
  type Transaction,
} from '@electric-sql/pglite';

type BackendMessage = messages.BackendMessage;

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
 * A statement that fails is prepared afresh at its next run (what failed may be the statement: a
 * migration changed a column's type or a table's columns under it); outside a transaction, one that
 * failed that way is prepared again and run at once. Named statements are planned
 * generically after a few runs (PostgreSQL's `plan_cache_mode` auto), where `query`'s unnamed ones
 * are planned for each call's values; ours look rows up by key, for which the plans are the same.
 */
export interface PreparedStatements {
  /**
   * Runs `text` with `values`: in `tx`, an open transaction of this PGlite whose holder has the
   * turn; without it, once any open transaction has ended, as PGlite's `query` waits.
   */
  query<R>(text: string, values: readonly unknown[], tx?: Transaction): Promise<Results<R>>;
}

interface Statement {
  name: string;
  /** The parameters' types, as the engine inferred them when it parsed the text. */
  types: number[];
}

export function preparedStatements(pglite: PGlite, maxNamed = 2_000): PreparedStatements {
  const prepared = new Map<string, Statement>();
  let next = 0;
  const send = (parts: Uint8Array[], throwOnError = true) =>
    pglite.execProtocolStream(Buffer.concat(parts), { syncToFs: false, throwOnError });

  async function prepare(text: string): Promise<Statement> {
    const name = `peposmart_${next++}`;
    const messages = await send([
      serialize.parse({ name, text }),
      serialize.describe({ type: 'S', name }),
      serialize.sync(),
    ]);
    const statement = { name, types: parse.parseDescribeStatementResults(messages) };
    prepared.set(text, statement);
    return statement;
  }

  /**
   * After a failed run the statement is prepared again next time: what failed may be the statement
   * itself (a column's type changed under it, so its parameters' types are stale; a table's columns
   * changed, so its plan is). Its name is released with it; releasing never fails the caller.
   */
  async function forget(text: string, statement: Statement): Promise<void> {
    if (prepared.get(text) === statement) prepared.delete(text);
    await send([serialize.close({ type: 'S', name: statement.name }), serialize.sync()], false).catch(
      () => {},
    );
  }

  async function run<R>(
    text: string,
    values: readonly unknown[],
    inTransaction: boolean,
    retried = false,
  ): Promise<Results<R>> {
    const reused = prepared.get(text);
    const statement = reused ?? (await prepare(text));
    const params = values.map((v, i) => {
      if (v === null || v === undefined) return null;
      const type = statement.types[i];
      const toText = type === undefined ? undefined : pglite.serializers[type];
      return toText ? toText(v) : String(v);
    });
    let messages: BackendMessage[];
    try {
      messages = await send([
        serialize.bind({ statement: statement.name, values: params }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]);
    } catch (err) {
      await forget(text, statement);
      // A statement prepared before a migration can fail where the text would not: its plan is
      // stale (0A000), or its parameters' types no longer fit the columns (class 42, e.g. no
      // operator for text = integer). Outside a transaction the failed statement changed nothing,
      // so it is prepared again and run once more, as PGlite's own `query` (which prepares every
      // time) would have run it. In a transaction the failure has aborted it; the caller's next
      // try prepares afresh.
      const code = (err as { code?: unknown }).code;
      const stale = code === '0A000' || (typeof code === 'string' && code.startsWith('42'));
      if (reused && stale && !inTransaction && !retried) return run<R>(text, values, inTransaction, true);
      throw err;
    }
    if (!inTransaction) await pglite.syncToFs();
    return parse.parseResults(messages, pglite.parsers)[0] as Results<R>;
  }

  return {
    async query<R>(text: string, values: readonly unknown[], tx?: Transaction) {
      // Parameterless texts (pg-boss's schema statements, one-offs) run as they are.
      if (values.length === 0 || (!prepared.has(text) && prepared.size >= maxNamed))
        return (tx ?? pglite).query<R>(text, values as unknown[]);
      try {
        if (tx) {
          // As PGlite's transaction refuses a statement after its end.
          if (tx.closed) throw new Error('Transaction is closed');
          // Its holder has the turn: only the engine's lock, which each statement takes.
          return await pglite.runExclusive(() => run<R>(text, values, true));
        }
        // As PGlite's own `query`: once the database is ready, after any open transaction ends.
        await pglite._checkReady();
        return await pglite._runExclusiveTransaction(() =>
          pglite.runExclusive(() => run<R>(text, values, false)),
        );
      } catch (err) {
        if (err !== null && typeof err === 'object') Object.assign(err, { query: text, params: values });
        throw err;
      }
    },
  };
}
