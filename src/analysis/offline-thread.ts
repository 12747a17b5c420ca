import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.ts';
import type { Analysis, AnalysisInput, Analyzer } from './analysis.ts';

/**
 * The offline analyser on a thread of its own (offline-worker.ts). wink-nlp's parsing,
 * chrono-node's dates and the analyser's rules are synchronous CPU work: on the service's one
 * event loop a 1 MB transcript held every request for seconds and health checks timed out
 * (issue 15). Here the loop only hands the transcript over and takes the analysis back.
 *
 * One thread, started by the first analysis and kept: the model loads once. Analyses take turns
 * on it in the order asked. Each has a time budget from when the thread takes it up; a
 * synchronous analysis cannot be interrupted, so past its budget the thread is terminated, the
 * analysis fails with AnalysisTimeout, and the next one starts a fresh thread. A thread that
 * fails or exits fails the analysis it held, never leaves it hanging. An idle thread does not keep
 * the process alive; `close()` ends it.
 */
/**
 * The largest notes event (1 MiB, about 6,000 turns of conversation) takes 2–4 s on one core:
 * 30 s leaves room for a slow or busy machine, and stops a runaway (one 1 MB turn, within the
 * event API's limits, ran about 40 s with the analyser's rules of issue 15's start).
 */
export const DEFAULT_ANALYSIS_TIME_BUDGET_MS = 30_000;
/** Loading the model takes about a second; a thread that has not started in a minute is stuck. */
const STARTUP_LIMIT_MS = 60_000;

export class AnalysisTimeout extends Error {
  readonly budgetMs: number;
  constructor(budgetMs: number, what: string) {
    super(
      `the offline analysis of ${what} took longer than its time budget of ${budgetMs / 1000} s (ANALYSIS_TIME_BUDGET_MS) and was stopped`,
    );
    this.name = 'AnalysisTimeout';
    this.budgetMs = budgetMs;
  }
}

export interface OfflineThread extends Analyzer {
  /** Fails what is waiting or running, and ends the thread. */
  close(): Promise<void>;
}

interface Job {
  input: AnalysisInput;
  resolve(analysis: Analysis): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  current: Job | undefined;
  timer: NodeJS.Timeout | undefined;
}

type Reply =
  | { op: 'ready' }
  | { ok: true; analysis: Analysis }
  | { ok: false; error: { name: string; message: string } };

/** How big a transcript is, for messages and logs: never its words. */
function sizeOf(input: AnalysisInput): { turns: number; chars: number } {
  return { turns: input.transcript.length, chars: input.transcript.reduce((n, t) => n + t.text.length, 0) };
}

export function startOfflineThread(deps: { timeBudgetMs: number; logger: Logger }): OfflineThread {
  const queue: Job[] = [];
  let slot: Slot | undefined;
  let closed = false;

  function spawn(): Slot {
    const s: Slot = {
      worker: new Worker(new URL('./offline-worker.ts', import.meta.url)),
      ready: false,
      current: undefined,
      timer: undefined,
    };
    s.timer = setTimeout(
      () => fail(s, new Error(`the analysis thread did not start within ${STARTUP_LIMIT_MS / 1000} s`)),
      STARTUP_LIMIT_MS,
    ).unref();
    s.worker.on('message', (m: Reply) => answered(s, m));
    s.worker.on('error', (err) => fail(s, err));
    s.worker.on('exit', (code) => fail(s, new Error(`the analysis thread stopped (exit code ${code})`)));
    return s;
  }

  function answered(s: Slot, m: Reply) {
    if (slot !== s) return;
    clearTimeout(s.timer);
    if ('op' in m) s.ready = true;
    else {
      const job = s.current;
      s.current = undefined;
      if (m.ok) job?.resolve(m.analysis);
      else job?.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
    }
    pump();
  }

  /**
   * The thread is done for: terminated, and what it held fails. One that never started fails
   * everything waiting (they would meet the same fault), so a broken thread is not restarted in a
   * loop; the next analysis asked for tries a fresh one.
   */
  function fail(s: Slot, err: Error) {
    if (slot !== s) return;
    slot = undefined;
    clearTimeout(s.timer);
    void s.worker.terminate();
    const failed = s.current ? [s.current] : s.ready ? [] : queue.splice(0);
    for (const job of failed) job.reject(err);
    pump();
  }

  function overrun(s: Slot, job: Job) {
    const size = sizeOf(job.input);
    deps.logger.warn(
      { analyzer: 'offline', budgetMs: deps.timeBudgetMs, ...size },
      'the offline analysis ran past its time budget; its thread was stopped and is replaced',
    );
    const what = `${size.turns.toLocaleString('en-US')} turns (${size.chars.toLocaleString('en-US')} characters)`;
    fail(s, new AnalysisTimeout(deps.timeBudgetMs, what));
  }

  /** Starts the next analysis when the thread is free; holds the process open only while busy. */
  function pump() {
    if (closed) return;
    if (!slot && queue.length) slot = spawn();
    const s = slot;
    if (!s) return;
    const job = s.ready && !s.current ? queue.shift() : undefined;
    if (job) {
      try {
        s.worker.postMessage(job.input);
        s.current = job;
        s.timer = setTimeout(() => overrun(s, job), deps.timeBudgetMs).unref();
      } catch (err) {
        // Something in the input that cannot be copied to the thread (never in parsed JSON).
        job.reject(err as Error);
        return pump();
      }
    }
    if (s.current || queue.length) s.worker.ref();
    else s.worker.unref();
  }

  return {
    name: 'offline',
    analyze(input) {
      if (closed) return Promise.reject(new Error('the offline analysis is closed: the service is stopping'));
      return new Promise<Analysis>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      const s = slot;
      slot = undefined;
      const err = new Error('the offline analysis was stopped: the service is stopping');
      for (const job of [...(s?.current ? [s.current] : []), ...queue.splice(0)]) job.reject(err);
      if (s) {
        clearTimeout(s.timer);
        await s.worker.terminate();
      }
    },
  };
}
