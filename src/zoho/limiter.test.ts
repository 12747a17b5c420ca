import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter.ts';

describe('per-org limiter', () => {
  it('never runs more than the limit at once for a key, and runs every task', async () => {
    const limiter = createLimiter();
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return 1;
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.run('org', 3, task)));
    expect(results).toHaveLength(20);
    expect(peak).toBe(3);
  });

  it('keeps keys apart and frees a slot when a task throws', async () => {
    const limiter = createLimiter();
    await expect(limiter.run('a', 1, () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    const order: string[] = [];
    await Promise.all([
      limiter.run('a', 1, async () => order.push('a')),
      limiter.run('b', 1, async () => order.push('b')),
    ]);
    expect(order.sort()).toEqual(['a', 'b']);
  });
});
