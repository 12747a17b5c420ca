import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { createLimiter } from '../zoho/limiter.ts';
import { createLeasedLimiter } from './call-slots.ts';

describe('Zoho call slots across processes (postgres)', () => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('two processes together never run more than the limit at once, and every call runs', async () => {
    t = await freshDatabase('postgres');
    // Two "processes": each its own in-process limiter (which alone would allow 3 each).
    const a = createLeasedLimiter(t.db, createLimiter());
    const b = createLeasedLimiter(t.db, createLimiter());
    let running = 0;
    let peak = 0;
    const call = async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 15));
      running--;
      return 1;
    };
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).run('org_1', 3, call)),
    );
    expect(results).toHaveLength(24);
    expect(peak).toBe(3);
    const { rows } = await t.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM zoho_call_slots WHERE org_key = 'org_1' AND holder IS NOT NULL",
    );
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it('a lease left by a process that died expires, and its slot serves again', async () => {
    t = await freshDatabase('postgres');
    const limiter = createLeasedLimiter(t.db, createLimiter(), 300);
    await t.db.query(
      `INSERT INTO zoho_call_slots (org_key, slot, holder, expires_at)
       VALUES ('org_2', 1, 'dead:1', now() + interval '300 milliseconds')`,
    );
    const started = Date.now();
    expect(await limiter.run('org_2', 1, async () => 'ran')).toBe('ran');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });
});
