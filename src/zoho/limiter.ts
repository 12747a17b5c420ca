/**
 * Caps concurrent Zoho calls per org within this process. Zoho counts concurrent calls per
 * org and client and answers 429 beyond the edition's limit (ZOHO-API.md §6), so we queue
 * rather than learn the limit from refusals. A dozen lines do not justify a dependency.
 */
export interface Limiter {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export function createLimiter(limitFor: (key: string) => number): Limiter {
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
    async run(key, fn) {
      const n = active.get(key) ?? 0;
      if (n < limitFor(key)) active.set(key, n + 1);
      else await new Promise<void>((resolve) => waiting.set(key, [...(waiting.get(key) ?? []), resolve]));
      try {
        return await fn();
      } finally {
        release(key);
      }
    },
  };
}
