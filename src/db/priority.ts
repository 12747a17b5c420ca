import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Queryable } from './port.ts';

const foregroundWork = new AsyncLocalStorage<true>();

/**
 * Runs `fn` as foreground work for the embedded database's own thread too: its statements take
 * their turn there before any background statement already waiting (pglite-worker.ts).
 */
export function inForeground<T>(fn: () => T): T {
  return foregroundWork.run(true, fn);
}

export const isForeground = (): boolean => foregroundWork.getStore() === true;

/**
 * Foreground first on the embedded database (issue 13). PGlite has one connection, on this
 * thread, for everything: requests being answered (an event being accepted) and the sync
 * draining a burst. Work marked foreground holds background statements back — each waits, before
 * it starts, until no foreground work is in progress or `maxWaitMs` has passed (so a steady stream
 * of requests slows the sync down but never stops it). A transaction already running is not
 * interrupted: a foreground statement waits at most for the one in progress.
 *
 * On PostgreSQL every process and connection runs on its own and the lane is not used; work marked
 * with `inForeground` takes connections of its own there instead (db/postgres.ts).
 */
export interface Priority {
  /** Foreground work begins; call the returned function (once or more) when it ends. */
  foreground(): () => void;
  /** Resolves when no foreground work is in progress, or after `maxWaitMs`. */
  idle(maxWaitMs: number): Promise<void>;
}

export function createPriority(): Priority {
  let active = 0;
  let waiters: Array<() => void> = [];
  return {
    foreground() {
      active++;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        if (--active > 0) return;
        const ready = waiters;
        waiters = [];
        for (const go of ready) go();
      };
    },
    idle(maxWaitMs) {
      if (active === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== go);
          resolve();
        }, maxWaitMs);
        const go = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.push(go);
      });
    },
  };
}

/** The most a background statement waits for foreground work to end. */
export const BACKGROUND_MAX_WAIT_MS = 10;

/** `db` as background work sees it: each statement (or transaction) waits its turn first. */
export function backgroundLane<D extends Database>(
  db: D,
  priority: Priority,
  maxWaitMs = BACKGROUND_MAX_WAIT_MS,
): D {
  const wait = () => priority.idle(maxWaitMs);
  const query: Queryable['query'] = async (text, values) => {
    await wait();
    return db.query(text, values);
  };
  return {
    ...db,
    query,
    async transaction(fn) {
      await wait();
      return db.transaction(fn);
    },
  };
}
