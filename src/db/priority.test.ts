import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Database, Queryable } from './port.ts';
import { backgroundLane, createPriority } from './priority.ts';

describe('foreground first on the embedded database', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const recording = () => {
    const ran: string[] = [];
    const q: Queryable = {
      query: async (text) => {
        ran.push(text);
        return { rows: [], rowCount: 0 };
      },
    };
    const db: Database = { kind: 'pglite', ...q, transaction: (fn) => fn(q), close: async () => {} };
    return { ran, db };
  };

  it('holds background statements while foreground work is in progress, and lets them go when it ends', async () => {
    const priority = createPriority();
    const { ran, db } = recording();
    const background = backgroundLane(db, priority, 60_000);
    const end = priority.foreground();
    const waiting = background.query('SELECT background');
    await db.query('SELECT foreground');
    await Promise.resolve();
    expect(ran).toEqual(['SELECT foreground']);
    end();
    end(); // ending twice counts once
    await waiting;
    expect(ran).toEqual(['SELECT foreground', 'SELECT background']);
  });

  it('never holds background work longer than its most wait, however long foreground work lasts', async () => {
    vi.useFakeTimers();
    const priority = createPriority();
    const { ran, db } = recording();
    const background = backgroundLane(db, priority, 50);
    priority.foreground();
    const waiting = background.transaction((tx) => tx.query('SELECT in transaction'));
    await vi.advanceTimersByTimeAsync(49);
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await waiting;
    expect(ran).toEqual(['SELECT in transaction']);
  });

  it('lets background work through at once when nothing is in the foreground', async () => {
    const { ran, db } = recording();
    await backgroundLane(db, createPriority()).query('SELECT now');
    expect(ran).toEqual(['SELECT now']);
  });
});
