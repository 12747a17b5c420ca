import { Worker } from 'node:worker_threads';
import { isForeground } from './priority.ts';

/**
 * PGlite on a thread of its own (pglite-worker.ts), behind the few methods the app and pg-boss
 * use: query, exec, transaction, listen, dumpDataDir, close. A statement's parameters and rows
 * cross by structured clone (dates, JSON, numbers keep their types); an error comes back as an
 * Error with Postgres's fields (code, constraint…) on it.
 */
export interface PGliteResults<R = Record<string, unknown>> {
  rows: R[];
  affectedRows: number;
}

export interface PGliteTx {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<PGliteResults<R>>;
  exec(text: string): Promise<PGliteResults[]>;
}

export interface PGliteLike extends PGliteTx {
  transaction<T>(fn: (tx: PGliteTx) => Promise<T>): Promise<T>;
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
  dumpDataDir(compression: 'none'): Promise<File | Blob>;
  close(): Promise<void>;
}

type Reply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: Record<string, unknown> };
type Notice = { op: 'notify'; channel: string; payload: string } | { op: 'ready' };

function revive(plain: Record<string, unknown>): Error {
  const err = new Error(String(plain['message'] ?? 'database error'));
  Object.assign(err, plain);
  return err;
}

export async function startPgliteThread(options: {
  dataDir: string;
  loadDataDir?: Blob;
}): Promise<PGliteLike> {
  const worker = new Worker(new URL('./pglite-worker.ts', import.meta.url), {
    workerData: {
      dataDir: options.dataDir,
      ...(options.loadDataDir ? { loadDataDir: await options.loadDataDir.arrayBuffer() } : {}),
    },
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let nextId = 1;
  let failure: Error | undefined;

  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: Reply | Notice) => {
      if ('op' in m) {
        if (m.op === 'ready') resolve();
        else for (const cb of listeners.get(m.channel) ?? []) cb(m.payload);
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(revive(m.error));
    });
    worker.on('error', (err) => {
      failure = err;
      reject(err);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
    worker.on('exit', (code) => {
      failure ??= new Error(`the database thread stopped (exit code ${code})`);
      reject(failure);
      for (const p of pending.values()) p.reject(failure);
      pending.clear();
    });
  });
  await ready;

  function call<T>(message: Record<string, unknown>): Promise<T> {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...message, id });
    });
  }

  // Outside a transaction a statement waits its turn on the database's thread, foreground first;
  // so does a transaction, whose first statement carries its BEGIN (one message fewer: each answer
  // waits for a turn of this thread's event loop, long under a burst of requests).
  // (Async so that a refused turn is a rejection; the message still leaves before the first await.)
  const on = (turn: () => Record<string, unknown>): PGliteTx => ({
    query: async (text, values = []) => call({ op: 'query', text, values, ...turn() }),
    exec: async (text) => call({ op: 'exec', text, ...turn() }),
  });
  const alone = on(() => ({ fg: isForeground() }));
  let nextTx = 1;

  return {
    ...alone,
    async transaction(fn) {
      const tx = nextTx++;
      const fg = isForeground();
      let begun = false;
      // A statement sent after the transaction's end is refused, as PGlite refuses it: here it
      // would wait for a transaction that is gone, or open one that nothing ends.
      let ended = false;
      const turn = () => {
        if (ended) throw new Error('Transaction is closed');
        if (begun) return { tx };
        begun = true;
        return { tx, begin: true, fg };
      };
      let out: Awaited<ReturnType<typeof fn>>;
      try {
        out = await fn(on(turn));
      } catch (err) {
        ended = true;
        if (begun) await call({ op: 'end', tx, commit: false }).catch(() => {});
        throw err;
      }
      ended = true;
      // No statement, nothing to commit.
      if (begun) await call({ op: 'end', tx, commit: true });
      return out;
    },
    async listen(channel, callback) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await call({ op: 'listen', channel });
      }
      set.add(callback);
      return async () => {
        set.delete(callback);
        if (set.size === 0 && listeners.get(channel) === set) {
          listeners.delete(channel);
          await call({ op: 'unlisten', channel }).catch(() => {});
        }
      };
    },
    async dumpDataDir() {
      return new Blob([await call<ArrayBuffer>({ op: 'dump' })]);
    },
    async close() {
      if (!failure) await call({ op: 'close' });
      await worker.terminate();
    },
  };
}
