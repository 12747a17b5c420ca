import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { TranscriptTurn } from '../../src/analysis/analysis.ts';
import { type BuiltAnalysis, buildAnalysis } from '../../src/analysis/build.ts';
import { loadFixtures } from '../../src/analysis/eval.ts';
import { createEventSync } from '../../src/sync/event-sync.ts';
import { startSyncWorker } from '../../src/sync/worker.ts';
import { EVENT_BODY_LIMIT } from '../../src/web/routes/events-api.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { bookingEvent, notesEvent, sendEvent, settled } from '../helpers/events.ts';
import { testLogger } from '../helpers/logs.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Issue 15: analysing a 1 MB transcript held the one-process service's event loop for seconds,
 * and health checks timed out. The real web app and sync worker, on the embedded database (the
 * `npm start` shape), are sent the largest meeting notes the event API accepts; while the
 * transcript is analysed, /healthz is asked again and again and must answer within 200 ms.
 */
const sb = useSandbox();
const [meeting] = loadFixtures(path.join(import.meta.dirname, '..', '..', 'fixtures', 'transcripts'));
const MAX_TURNS = 20_000; // the event schema's limit on transcript lines

/**
 * The largest notes event the event API takes: a labelled meeting's turns, over and over, up to
 * 1 MiB. One meeting's: several meetings' turns mixed make today's offline analyser list more
 * next steps than the analysis schema allows (20), and the event fails for that reason instead.
 */
function maximumNotesEvent(bookingId: string) {
  const transcript: TranscriptTurn[] = [];
  const event = notesEvent(bookingId, { transcript });
  let bytes = Buffer.byteLength(JSON.stringify(event));
  for (let i = 0; transcript.length < MAX_TURNS; i++) {
    const turn = meeting!.fixture.transcript[i % meeting!.fixture.transcript.length]!;
    const more = Buffer.byteLength(JSON.stringify(turn)) + (transcript.length ? 1 : 0);
    if (bytes + more > EVENT_BODY_LIMIT) break;
    transcript.push(turn);
    bytes += more;
  }
  return { event, bytes: Buffer.byteLength(JSON.stringify(event)), turns: transcript.length };
}

/** This thread's CPU time so far, in ms. */
function threadCpuMs(): number {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * How long this process's main thread has waited for a core, from Linux's scheduler statistics (0
 * where there are none): the suite runs three files at once on two cores.
 */
function waitedForCoreMs(): number {
  try {
    return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return 0;
  }
}

/**
 * The longest the event loop was held by work on this thread: between two ticks of a 10 ms timer,
 * the thread's own CPU time (not the wall time, which on a busy machine also counts the time the
 * thread waited for a core while other test files ran — that is not the service holding its loop).
 */
function loopHolds() {
  let longest = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    start() {
      let last = { wall: performance.now(), cpu: threadCpuMs() };
      timer = setInterval(() => {
        const now = { wall: performance.now(), cpu: threadCpuMs() };
        longest = Math.max(longest, Math.min(now.wall - last.wall, now.cpu - last.cpu));
        last = now;
      }, 10);
    },
    stop: () => clearInterval(timer),
    longestMs: () => longest,
  };
}

describe('the one-process service while a maximum-size transcript is analysed', () => {
  let c: Connected | undefined;
  let analysis: BuiltAnalysis | undefined;
  afterEach(async () => {
    await c?.app.close();
    await analysis?.close();
    c = undefined;
    analysis = undefined;
  });

  it('answers /healthz within 200 ms of its thread’s time (nine in ten within 200 ms without the waits for a core), asked fifty times a second from before the analysis starts to after it ends', async () => {
    // The test app's queue with this test's sync worker, so that the analysis can be watched;
    // PGlite on its own thread, as `npm start` runs it (src/db/open.ts).
    c = await connectedApp(sb, 'pglite', {}, { sync: true, worker: false, pgliteThread: true });
    const { app } = c;
    const logger = testLogger();
    // A budget no loaded machine reaches: this is about the loop staying free, not the budget
    // (offline-thread.test.ts covers that); a stopped analysis would be retried and never settle.
    const built = buildAnalysis(undefined, logger, { timeBudgetMs: 300_000 });
    analysis = built;
    const holds = loopHolds();
    const window = { from: 0, to: 0 };
    let ended!: () => void;
    const analysed = new Promise<void>((resolve) => (ended = resolve));
    await startSyncWorker({
      db: app.db,
      queue: app.queue!,
      logger,
      eventSync: createEventSync({
        ...app.deps,
        analyze: async (input) => {
          window.from = performance.now();
          try {
            return await built.analyze(input);
          } finally {
            window.to = performance.now();
            ended();
          }
        },
      }),
    });
    const booking = bookingEvent();
    await sendEvent(app.url, booking);
    expect(await settled(app.db, booking.id)).toBe('done');

    // A health checker's cadence: requests back to back would make the test itself the loop's
    // main load, which a service between checks does not have.
    const answers: Array<{ from: number; to: number; cpu: number; waited: number }> = [];
    let polling = true;
    holds.start();
    const healthChecks = (async () => {
      while (polling) {
        const from = performance.now();
        const before = { cpu: threadCpuMs(), waited: waitedForCoreMs() };
        const res = await fetch(`${app.url}/healthz`);
        expect(await res.json()).toEqual({ status: 'ok' });
        answers.push({
          from,
          to: performance.now(),
          cpu: threadCpuMs() - before.cpu,
          waited: waitedForCoreMs() - before.waited,
        });
        await sleep(20);
      }
    })();
    const notes = maximumNotesEvent(booking.data.booking.id);
    expect(notes.bytes).toBeLessThanOrEqual(EVENT_BODY_LIMIT);
    expect(notes.bytes).toBeGreaterThan(EVENT_BODY_LIMIT - 1000);
    expect(notes.turns).toBeGreaterThan(1000);
    expect((await sendEvent(app.url, notes.event)).status).toBe(202);
    healthChecks.catch(() => {}); // awaited below; a failed check ends the wait at once
    await Promise.race([analysed, healthChecks]);
    const last = answers.length;
    const twoMore = async () => {
      while (answers.length < last + 2) await sleep(20);
    };
    await Promise.race([twoMore(), healthChecks]);
    polling = false;
    await healthChecks;
    holds.stop();

    expect(await settled(app.db, notes.event.id, 30_000)).toBe('done');
    const { rows } = await app.db.query('SELECT analyzer FROM analyses WHERE event_id = $1', [
      notes.event.id,
    ]);
    expect(rows).toEqual([{ analyzer: 'offline' }]);
    // The checks began before the analysis and went on after it…
    expect(answers[0]!.to).toBeLessThan(window.from);
    expect(answers.at(-1)!.from).toBeGreaterThan(window.to);
    // …every one answered during it came within 200 ms of this thread's time: the time it ran, all
    // of it the service's loop or the check's own round trip. Wall time is another matter on a
    // loaded machine: one CI run had a check at 677 ms with 3.6 ms of this thread's time and 10 ms
    // waiting for a core — the thread asleep while the machine ran something it waited on (V8's or
    // libuv's helper threads starved of cores), not the service. A blocking call on the loop (a
    // synchronous read, a wait on the analysis thread) would slow every check made during the
    // analysis, not one: nine checks in ten answer within 200 ms without the waits for a core…
    const during = answers.filter((a) => a.to > window.from && a.from < window.to);
    const slowest = (of: (a: (typeof answers)[number]) => number) => Math.max(...during.map(of));
    const figures = JSON.stringify(during.filter((a) => a.to - a.from > 100));
    expect(
      slowest((a) => a.cpu),
      figures,
    ).toBeLessThan(200);
    const walls = during.map((a) => a.to - a.from - a.waited).sort((x, y) => x - y);
    expect(walls[Math.floor(0.9 * (walls.length - 1))], figures).toBeLessThan(200);
    // …and the loop was never held 200 ms (a hold between two checks included)…
    expect(holds.longestMs()).toBeLessThan(200);
    // …through an analysis longer than a check may take (else this shows nothing), checked at
    // least four times a second.
    const tookMs = window.to - window.from;
    expect(tookMs).toBeGreaterThan(200);
    expect(during.length).toBeGreaterThanOrEqual(Math.floor(tookMs / 250));
    // A 1 MiB transcript takes seconds to analyse alone and four to ten times that beside two other
    // test files on two busy cores (47 s in one CI run): the suite's 60 s default is too tight.
  }, 300_000);
});
