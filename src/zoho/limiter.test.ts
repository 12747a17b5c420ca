import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter.ts';

describe('per-org limiter', () => {
  it('never runs more than the limit at once for a key, and runs every task', async () => {
    const limiter = createLimiter(() => 3);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return 1;
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.run('org', task)));
    expect(results).toHaveLength(20);
    expect(peak).toBe(3);
  });

  it('keeps keys apart and frees a slot when a task throws', async () => {
    const limiter = createLimiter(() => 1);
    await expect(limiter.run('a', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    const order: string[] = [];
    await Promise.all([
      limiter.run('a', async () => order.push('a')),
      limiter.run('b', async () => order.push('b')),
    ]);
    expect(order.sort()).toEqual(['a', 'b']);
  });
});
