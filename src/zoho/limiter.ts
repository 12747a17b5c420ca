/**
 * Caps concurrent Zoho calls per org within this process. Zoho counts concurrent calls per
 * org and client and answers 429 beyond the edition's limit (ZOHO-API.md §6), so we queue
 * rather than learn the limit from refusals. A dozen lines do not justify a dependency.
 * The limit comes with each call (an org's edition sets it); a full key queues in order.
 */
export interface Limiter {
  run<T>(key: string, limit: number, fn: () => Promise<T>): Promise<T>;
  /** Calls of `key` queued for a slot right now. */
  waiting?(key: string): number;
}

export function createLimiter(): Limiter {
  const active = new Map<string, number>();
  const waiting = new Map<string, Array<() => void>>();

  const release = (key: string) => {
    const next = waiting.get(key)?.shift();
    if (next) return next();
    const n = (active.get(key) ?? 1) - 1;
    if (n > 0) active.set(key, n);
    else {
      active.delete(key);
      waiting.delete(key);
    }
  };

  return {
    waiting: (key) => waiting.get(key)?.length ?? 0,
    async run(key, limit, fn) {
      const n = active.get(key) ?? 0;
      if (n < limit) active.set(key, n + 1);
      else await new Promise<void>((resolve) => waiting.set(key, [...(waiting.get(key) ?? []), resolve]));
      try {
        return await fn();
      } finally {
        release(key);
      }
    },
  };
}
