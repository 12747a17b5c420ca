import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';

/**
 * The embedded database on a thread of its own (pglite-thread.ts is the other end). PGlite runs
 * each statement synchronously on the thread that calls it; here that thread is this one, so the
 * service's event loop — requests, the sync's Zoho calls — keeps running while the database works.
 * Every request is answered by id; a transaction stays open between messages until told to end.
 */
type Request =
  | { id: number; op: 'query'; text: string; values: unknown[]; tx?: number; fg?: boolean }
  | { id: number; op: 'exec'; text: string; tx?: number; fg?: boolean }
  | { id: number; op: 'begin'; fg?: boolean }
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
const transactions = new Map<number, { tx: Transaction; end: (commit: boolean) => void }>();
const listeners = new Map<string, () => Promise<void>>();
let nextTx = 1;
const ROLLBACK = Symbol('rollback');

async function handle(m: Request): Promise<void> {
  switch (m.op) {
    case 'query': {
      const q = m.tx === undefined ? pglite : transactions.get(m.tx)!.tx;
      const res = await q.query(m.text, m.values);
      return reply(m.id, { rows: res.rows, affectedRows: res.affectedRows ?? 0 });
    }
    case 'exec': {
      const q = m.tx === undefined ? pglite : transactions.get(m.tx)!.tx;
      const results = await q.exec(m.text);
      return reply(
        m.id,
        results.map((r) => ({ rows: r.rows, affectedRows: r.affectedRows ?? 0 })),
      );
    }
    case 'begin': {
      const txId = nextTx++;
      let opened = false;
      // Open until its `end` arrives; PGlite holds every other statement back meanwhile.
      const whole = pglite
        .transaction(async (tx) => {
          opened = true;
          const commit = await new Promise<boolean>((end) => {
            transactions.set(txId, { tx, end });
            reply(m.id, txId);
          });
          if (!commit) throw ROLLBACK;
        })
        .then(
          () => endReplies.get(txId)?.(null),
          (err: unknown) =>
            opened ? endReplies.get(txId)?.(err === ROLLBACK ? null : err) : fail(m.id, err),
        )
        .finally(() => transactions.delete(txId));
      // The transaction holds the turn (pump) until it ends; `whole` settles then, never rejecting.
      await whole;
      return;
    }
    case 'end': {
      const t = transactions.get(m.tx);
      if (!t) return fail(m.id, new Error('no such transaction'));
      endReplies.set(m.tx, (err) => {
        endReplies.delete(m.tx);
        if (err) fail(m.id, err);
        else reply(m.id, null);
      });
      t.end(m.commit);
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
  const queued =
    (m.op === 'query' || m.op === 'exec' || m.op === 'begin') && !('tx' in m && m.tx !== undefined);
  if (!queued) {
    handle(m).catch((err: unknown) => fail(m.id, err));
    return;
  }
  ('fg' in m && m.fg ? foreground : background).push(m);
  void pump();
});
port.postMessage({ op: 'ready' });
