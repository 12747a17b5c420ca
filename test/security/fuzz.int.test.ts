import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../helpers/db.ts';
import { type FuzzCase, fuzzCase, Gen, kinds } from './fuzz-events.ts';
import { countRows, injectApp, mulberry32, postEvent } from './helpers.ts';

/**
 * A few thousand generated event bodies (test/security/fuzz-events.ts: valid, mutated,
 * hostile), each signed correctly and sent to the event API: never a 5xx; a valid one is
 * accepted (202), an invalid one refused (400, or 413 when too large) and not recorded; the
 * events table ends with exactly the accepted ones.
 *
 * Seeded: the seed is in every failure message; `FUZZ_SEED=<n> npm test -- test/security/fuzz`
 * replays a run. Bounded: at most MAX_CASES per database, and no new case after the time
 * budget — but at least MIN_CASES whatever the clock, so what is checked never depends on the
 * machine's speed, only how far beyond that it goes.
 */
const seed = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : crypto.randomInt(2 ** 31);
const MAX_CASES = 3000;
const MIN_CASES = kinds.length * 12;
const budgetMs = { pglite: 20_000, postgres: 10_000 } as const;

function judge(c: FuzzCase, status: number): boolean {
  if (status >= 500) return false;
  if (c.expect === 'valid') return status === 202;
  if (c.expect === 'invalid') return status === 400 || status === 413;
  return [202, 400, 413].includes(status);
}

/** Failures grouped by kind and answer: the count and the first few of each. */
function summary(failures: Array<{ c: FuzzCase; n: number; status: number; body: string }>): string {
  const groups = new Map<string, typeof failures>();
  for (const f of failures) {
    const key = `${f.c.kind} → ${f.status} (expected ${f.c.expect})`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups]
    .map(
      ([key, fs]) =>
        `${fs.length} × ${key}\n${fs
          .slice(0, 3)
          .map((f) => `    case ${f.n}: ${f.c.what} — ${f.body.slice(0, 160)}`)
          .join('\n')}`,
    )
    .join('\n');
}

describe.each(databaseKinds)('fuzzed event bodies on %s', (kind) => {
  it('no 5xx; valid accepted, invalid refused and not recorded', { timeout: 180_000 }, async () => {
    const a = await injectApp(kind);
    try {
      const g = new Gen(mulberry32(seed + (kind === 'postgres' ? 1 : 0)));
      const runId = crypto.randomBytes(3).toString('hex');
      const before = await countRows(a.db, 'events');
      const accepted: string[] = [];
      const failures: Array<{ c: FuzzCase; n: number; status: number; body: string }> = [];
      const deadline = Date.now() + budgetMs[kind];
      let n = 0;
      for (; n < MAX_CASES && (n < MIN_CASES || Date.now() < deadline); n++) {
        const c = fuzzCase(g, n, runId);
        const res = await postEvent(a, c.raw);
        if (res.statusCode === 202) accepted.push(String(res.json().id));
        if (!judge(c, res.statusCode)) failures.push({ c, n, status: res.statusCode, body: res.body });
      }

      const where = `FUZZ_SEED=${seed} on ${kind} (${n} cases)`;
      console.info(`fuzz: ${where}, ${accepted.length} accepted`);
      expect(failures.length, `${where}:\n${summary(failures)}`).toBe(0);
      // The table holds exactly the accepted events: nothing refused was recorded.
      expect(await countRows(a.db, 'events'), where).toBe(before + accepted.length);
      const { rows } = await a.db.query<{ id: string }>('SELECT id FROM events WHERE id = ANY($1)', [
        accepted,
      ]);
      expect(rows.length, where).toBe(accepted.length);
      expect(({} as Record<string, unknown>)['polluted'], where).toBeUndefined();
      // Still serving.
      expect((await a.app.inject('/readyz')).statusCode).toBe(200);
    } finally {
      await a.close();
    }
  });
});
