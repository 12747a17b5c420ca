import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { comparison, type RunFigures, runFigures } from './scaled/figures.ts';
import { current, type RunOptions, runScaled } from './scaled/run.ts';
import { scaledTable } from './scaled/table.ts';

/**
 * `npm run bench -- --scaled` (phase C): the scaled shape as deployed, every part its own
 * process — PostgreSQL, `npm run sandbox`, one `npm run web` and `npm run worker` × 1, 2 and 4
 * (a fresh database, sandbox and orgs for each, so the runs compare) — and a burst of bookings
 * across orgs of every edition from Free to Enterprise at a realistic Zoho latency. Prints a
 * table, then one line of JSON; exits 1 when a booking did not end done. `--quick` is the
 * small run the bench's test makes; `--workers 2` (or `1,4`) runs only those worker counts.
 */
const full = {
  orgs: 20,
  bookings: 2_000,
  workers: [1, 2, 4],
  /** Zoho's latency: a mean of 200 ms, each call drawn from 100–300 ms. */
  latencyMs: 200,
  jitterMs: 100,
  timeoutMs: 300_000,
};
/** The bench's test: the same shape, small and at a quarter of the latency, in well under a minute. */
const quick = { orgs: 4, bookings: 200, workers: [1, 2], latencyMs: 50, jitterMs: 25, timeoutMs: 60_000 };
const shared = {
  /** A webhook sender's pool: requests in flight at most. */
  senderInFlight: 200,
  /** How often each worker's jobs in flight are sampled. */
  sampleEveryMs: 250,
};

function databaseUrl(): string {
  const url = process.env['DATABASE_URL'] || process.env['TEST_DATABASE_URL'];
  if (!url)
    throw Object.assign(
      new Error(
        'npm run bench -- --scaled needs PostgreSQL: set DATABASE_URL or TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres); each run creates its own database there and drops it',
      ),
      { name: 'UsageError' },
    );
  return url;
}

/** `--workers 1,2` (or `--workers=2`): the worker counts to run, in that order. */
function workerCounts(argv: string[]): number[] | undefined {
  const i = argv.findIndex((a) => a === '--workers' || a.startsWith('--workers='));
  if (i < 0) return undefined;
  const value = argv[i]!.includes('=') ? argv[i]!.split('=')[1]! : (argv[i + 1] ?? '');
  const counts = value.split(',').map(Number);
  if (!counts.length || counts.some((n) => !Number.isInteger(n) || n < 1 || n > 16))
    throw Object.assign(
      new Error(`--workers wants counts from 1 to 16 separated by commas, e.g. 1,2 (got "${value}")`),
      {
        name: 'UsageError',
      },
    );
  return counts;
}

export async function mainScaled(argv: string[]): Promise<number> {
  const base = argv.includes('--quick') ? quick : full;
  const sizes = { ...base, workers: workerCounts(argv) ?? base.workers };
  const serverUrl = databaseUrl();
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peposmart-bench-scaled-'));
  const onSignal = (signal: NodeJS.Signals) => {
    // Ended from outside (Ctrl-C, a test's timeout): the service processes at once, then the database.
    for (const p of current?.all() ?? []) p.kill();
    process.stderr.write(`bench: ${signal}, service processes ended; logs in ${dir}\n`);
    void (current?.close() ?? Promise.resolve()).finally(() => process.exit(1));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const runs: RunFigures[] = [];
  const notDone: string[] = [];
  let failed = false;
  try {
    for (const workers of sizes.workers) {
      const options: RunOptions = {
        serverUrl,
        workers,
        orgs: sizes.orgs,
        bookings: sizes.bookings,
        latencyMs: sizes.latencyMs,
        jitterMs: sizes.jitterMs,
        timeoutMs: sizes.timeoutMs,
        ...shared,
        dir: path.join(dir, `workers-${workers}`),
      };
      process.stderr.write(
        `phase C: ${workers} worker(s), ${sizes.orgs} orgs, ${sizes.bookings} bookings…\n`,
      );
      const run = await runScaled(options);
      const bad = run.settled.filter((s) => s.status !== 'done');
      for (const s of bad) notDone.push(`${workers} worker(s): ${s.id} ${s.status} ${s.detail ?? ''}`);
      const missing = run.sent.length - run.settled.length;
      if (missing > 0) notDone.push(`${workers} worker(s): ${missing} events were never recorded`);
      if (run.timedOut) notDone.push(`${workers} worker(s): not drained within ${sizes.timeoutMs / 1000} s`);
      runs.push(runFigures(run));
    }
    const f = {
      latencyMs: sizes.latencyMs,
      jitterMs: sizes.jitterMs,
      orgs: sizes.orgs,
      runs,
      ...comparison(runs),
    };
    process.stdout.write(
      `${scaledTable(f)}\n\nTotal bench time ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
    for (const line of notDone) process.stderr.write(`not synced: ${line}\n`);
    process.stdout.write(`${JSON.stringify({ phaseC: f, notSynced: notDone })}\n`);
    failed = notDone.length > 0;
    return failed ? 1 : 0;
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (failed) process.stderr.write(`bench: service logs kept in ${dir}\n`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}
