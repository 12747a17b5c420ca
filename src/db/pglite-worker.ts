import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { preparedStatements } from './pglite-prepared.ts';

/**
 * The embedded database on a thread of its own (pglite-thread.ts is the other end). PGlite runs
 * each statement synchronously on the thread that calls it; here that thread is this one, so the
 * service's event loop — requests, the sync's Zoho calls — keeps running while the database works.
 * Every request is answered by id; a transaction stays open between messages until told to end.
 */
/**
 * A statement with `tx` belongs to that transaction; with `begin` too, it opens it (the first
 * statement of a transaction carries its BEGIN: one message, one turn of the caller's event loop,
 * fewer). Transaction ids are the caller's.
 */
type Statement =
  | { id: number; op: 'query'; text: string; values: unknown[]; tx?: number; begin?: true; fg?: boolean }
  | { id: number; op: 'exec'; text: string; tx?: number; begin?: true; fg?: boolean };
type Request =
  | Statement
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'unlisten'; channel: string }
  | { id: number; op: 'dump' }
  | { id: number; op: 'close' };

const port = parentPort!;
const { dataDir, loadDataDir } = workerData as { dataDir: string; loadDataDir?: ArrayBuffer };

/** What crosses back for an error: its message and the fields Postgres gives (code, constraint…). */
function plain(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  for (const [k, v] of Object.entries(err))
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v) || Array.isArray(v)) out[k] = v;
  return out;
}

const reply = (id: number, result: unknown) => port.postMessage({ id, ok: true, result });
const fail = (id: number, err: unknown) => port.postMessage({ id, ok: false, error: plain(err) });

const pglite = await PGlite.create(dataDir, loadDataDir ? { loadDataDir: new Blob([loadDataDir]) } : {});
/**
 * Open transactions: their statements run one after another in arrival order (`chain`), and
 * `end` commits or rolls back. Statements that arrive before their transaction is open (sent
 * without waiting for the first one's answer) wait in `early`.
 */
const transactions = new Map<
  number,
  { tx: Transaction; end: (commit: boolean) => void; chain: Promise<void> }
>();
const early = new Map<number, Statement[]>();
/** Transactions whose first statement waits for its turn; `end`s that arrive before it opens. */
const queuedBegins = new Set<number>();
const earlyEnds = new Map<number, boolean>();
const listeners = new Map<string, () => Promise<void>>();
const ROLLBACK = Symbol('rollback');

/** Statements with parameters run prepared once (pglite-prepared.ts). */
const prepared = preparedStatements(pglite);

/** A statement, in open transaction `tx` or alone. */
async function run(tx: Transaction | undefined, m: Statement): Promise<void> {
  if (m.op === 'query') {
    const res = await prepared.query(m.text, m.values, tx);
    return reply(m.id, { rows: res.rows, affectedRows: res.affectedRows ?? 0 });
  }
  const results = await (tx ?? pglite).exec(m.text);
  return reply(
    m.id,
    results.map((r) => ({ rows: r.rows, affectedRows: r.affectedRows ?? 0 })),
  );
}

/** A statement inside an open transaction, after the ones before it. */
function inTransaction(m: Statement & { tx: number }): void {
  const t = transactions.get(m.tx);
  if (!t) {
    const waiting = early.get(m.tx) ?? [];
    waiting.push(m);
    early.set(m.tx, waiting);
    return;
  }
  t.chain = t.chain.then(() => run(t.tx, m).catch((err: unknown) => fail(m.id, err)));
}

/**
 * Opens transaction `m.tx` with its first statement, and holds the turn (pump) until it ends;
 * settles then, never rejecting.
 */
async function begin(m: Statement & { tx: number }): Promise<void> {
  const txId = m.tx;
  let opened = false;
  // Open until its `end` arrives; PGlite holds every other statement back meanwhile.
  await pglite
    .transaction(async (tx) => {
      opened = true;
      const commit = await new Promise<boolean>((end) => {
        transactions.set(txId, { tx, end, chain: Promise.resolve() });
        inTransaction(m);
        for (const later of early.get(txId) ?? []) inTransaction(later as Statement & { tx: number });
        early.delete(txId);
        const ended = earlyEnds.get(txId);
        if (ended !== undefined) end(ended);
      });
      await transactions.get(txId)?.chain;
      if (!commit) throw ROLLBACK;
    })
    .then(
      () => endReplies.get(txId)?.(null),
      (err: unknown) => {
        if (opened) return endReplies.get(txId)?.(err === ROLLBACK ? null : err);
        // Never opened: whatever was sent into it fails with the same error.
        for (const later of [m, ...(early.get(txId) ?? [])]) fail(later.id, err);
        endReplies.get(txId)?.(err);
      },
    )
    .finally(() => {
      queuedBegins.delete(txId);
      transactions.delete(txId);
      early.delete(txId);
      earlyEnds.delete(txId);
    });
}

async function handle(m: Request): Promise<void> {
  switch (m.op) {
    case 'query':
    case 'exec': {
      if (m.tx !== undefined) return m.begin ? begin({ ...m, tx: m.tx }) : inTransaction({ ...m, tx: m.tx });
      return run(undefined, m);
    }
    case 'end': {
      const t = transactions.get(m.tx);
      if (!t && !queuedBegins.has(m.tx)) return fail(m.id, new Error('no such transaction'));
      // After the statements sent before it (a caller may end without waiting for their answers),
      // and, for a transaction still waiting for its turn, as soon as it opens.
      endReplies.set(m.tx, (err) => {
        endReplies.delete(m.tx);
        if (err) fail(m.id, err);
        else reply(m.id, null);
      });
      if (t) t.end(m.commit);
      else earlyEnds.set(m.tx, m.commit);
      return;
    }
    case 'listen': {
      if (!listeners.has(m.channel))
        listeners.set(
          m.channel,
          await pglite.listen(m.channel, (payload) =>
            port.postMessage({ op: 'notify', channel: m.channel, payload }),
          ),
        );
      return reply(m.id, null);
    }
    case 'unlisten': {
      await listeners.get(m.channel)?.();
      listeners.delete(m.channel);
      return reply(m.id, null);
    }
    case 'dump': {
      const file = await pglite.dumpDataDir('none');
      return reply(m.id, await file.arrayBuffer());
    }
    case 'close': {
      await pglite.close();
      reply(m.id, null);
      port.close();
      return;
    }
  }
}

/** The reply to each transaction's `end`, once PGlite has committed or rolled it back. */
const endReplies = new Map<number, (err: unknown) => void>();

/**
 * Statements and transactions take turns, one at a time, foreground first (a request being
 * answered: the event API's intake, db/priority.ts) before background (the sync, the queue). A
 * statement inside an open transaction, and a transaction's end, go at once: the transaction holds
 * the turn.
 */
const foreground: Request[] = [];
const background: Request[] = [];
let busy = false;

async function pump(): Promise<void> {
  if (busy) return;
  busy = true;
  try {
    for (;;) {
      const m = foreground.shift() ?? background.shift();
      if (!m) return;
      await handle(m).catch((err: unknown) => fail(m.id, err));
    }
  } finally {
    busy = false;
  }
}

port.on('message', (m: Request) => {
  const queued = (m.op === 'query' || m.op === 'exec') && (m.tx === undefined || m.begin === true);
  if (!queued) {
    handle(m).catch((err: unknown) => fail(m.id, err));
    return;
  }
  if ('begin' in m && m.begin && m.tx !== undefined) queuedBegins.add(m.tx);
  ('fg' in m && m.fg ? foreground : background).push(m);
  void pump();
});
port.postMessage({ op: 'ready' });
