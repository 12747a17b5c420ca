import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loggedLines, testLogger } from '../../test/helpers/logs.ts';
import type { AnalysisInput } from './analysis.ts';
import { inputOf, loadFixtures } from './eval.ts';
import { createOfflineAnalyzer } from './offline.ts';
import { AnalysisTimeout, type OfflineThread, startOfflineThread } from './offline-thread.ts';

/**
 * The offline analyser on its own thread (issue 15): the same answers as on the caller's thread,
 * a time budget that stops a runaway analysis without losing the ones behind it, errors that come
 * back as errors, and a thread that neither outlives close() nor holds an idle process open.
 */
const root = path.join(import.meta.dirname, '..', '..');
const fixtures = loadFixtures(path.join(root, 'fixtures', 'transcripts'));
const inProcess = createOfflineAnalyzer();

const threads: OfflineThread[] = [];
afterEach(async () => {
  for (const t of threads.splice(0)) await t.close();
});
function thread(timeBudgetMs = 30_000) {
  const t = startOfflineThread({ timeBudgetMs, logger: testLogger() });
  threads.push(t);
  return t;
}

/** A transcript of `turns` turns: the labelled meetings' turns over and over. */
function longTranscript(turns: number): AnalysisInput['transcript'] {
  const all = fixtures.flatMap((f) => f.fixture.transcript);
  return Array.from({ length: turns }, (_, i) => all[i % all.length]!);
}

describe('the offline analyser on a thread of its own', () => {
  it('answers exactly as the analyser on the caller’s thread does, for every labelled meeting', async () => {
    const t = thread();
    expect(fixtures.length).toBeGreaterThan(5);
    for (const { file, fixture } of fixtures) {
      const input = inputOf(fixture);
      const here = await inProcess.analyze(input);
      const there = await t.analyze(input);
      expect(JSON.stringify(there), file).toBe(JSON.stringify(here));
      expect(there, file).toStrictEqual(here);
    }
  });

  it('stops an analysis past its time budget with AnalysisTimeout, and the one waiting behind it runs on a fresh thread', async () => {
    // Five seconds: the meeting behind the runaway (milliseconds of work on a quiet machine) once
    // took more than one second on a fresh thread of a loaded one; the runaway takes tens of
    // seconds on any machine.
    const budgetMs = 5000;
    const t = thread(budgetMs);
    const meeting = inputOf(fixtures[0]!.fixture);
    // About eight times the largest transcript the event API accepts (1 MiB): seconds of work
    // for any analyser that reads every word, far past one second.
    const runaway = { ...meeting, transcript: longTranscript(48_000) };
    const started = performance.now();
    const first = t.analyze(runaway);
    const second = t.analyze(meeting);
    const err = await first.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AnalysisTimeout);
    expect((err as Error).message).toMatch(
      /^the offline analysis of 48,000 turns \([\d,]+ characters\) took longer than its time budget of 5 s \(ANALYSIS_TIME_BUDGET_MS\) and was stopped$/,
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(budgetMs);
    expect(await second).toStrictEqual(await inProcess.analyze(meeting));

    // Said in the log with the sizes, never the words.
    const [line, ...more] = loggedLines((l) => l['budgetMs'] === budgetMs && l['analyzer'] === 'offline');
    expect(more).toEqual([]);
    expect(line).toMatchObject({
      level: 40,
      turns: 48_000,
      msg: 'the offline analysis ran past its time budget; its thread was stopped and is replaced',
    });
  });

  it('an analyser error comes back as that error, with its message, and the thread goes on', async () => {
    const t = thread();
    const broken = { ...inputOf(fixtures[0]!.fixture), transcript: null } as unknown as AnalysisInput;
    const expected = await inProcess.analyze(broken).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(expected).toBeInstanceOf(Error);
    const err = await t.analyze(broken).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect({ name: err!.name, message: err!.message }).toEqual({
      name: expected!.name,
      message: expected!.message,
    });
    const meeting = inputOf(fixtures[1]!.fixture);
    expect(await t.analyze(meeting)).toStrictEqual(await inProcess.analyze(meeting));
  });

  it('close() fails the analyses running and waiting, and refuses new ones', async () => {
    const t = thread();
    const meeting = inputOf(fixtures[0]!.fixture);
    const stopped = 'the offline analysis was stopped: the service is stopping';
    const running = expect(t.analyze({ ...meeting, transcript: longTranscript(6000) })).rejects.toThrow(
      stopped,
    );
    const waiting = expect(t.analyze(meeting)).rejects.toThrow(stopped);
    await t.close();
    await running;
    await waiting;
    await expect(t.analyze(meeting)).rejects.toThrow('the offline analysis is closed');
  });

  it('keeps a process alive while it analyses, and lets it exit once idle, without close()', async () => {
    // A script whose only work is one analysis awaited at top level: Node ends a process with
    // an unsettled top-level await (exit code 13) if nothing holds it open meanwhile.
    const script = `
      import { startOfflineThread } from ${JSON.stringify(path.join(import.meta.dirname, 'offline-thread.ts'))};
      import { createLogger } from ${JSON.stringify(path.join(root, 'src', 'log.ts'))};
      const t = startOfflineThread({ timeBudgetMs: 30_000, logger: createLogger({ level: 'silent' }) });
      const a = await t.analyze(${JSON.stringify(inputOf(fixtures[0]!.fixture))});
      console.log('analysed: ' + a.action_items.length + ' action items');
    `;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offline-thread-'));
    const file = path.join(dir, 'analyse-once.mjs');
    fs.writeFileSync(file, script);
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
    expect({ code, out }).toEqual({ code: 0, out: expect.stringMatching(/^analysed: \d+ action items\n$/) });
  });
});
