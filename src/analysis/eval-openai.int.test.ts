import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeOpenAi,
  reply,
  type ScriptedReply,
  startFakeOpenAi,
} from '../../test/helpers/fake-openai.ts';
import type { Analysis } from './analysis.ts';
import { type Fixture, loadFixtures } from './eval.ts';
import { analysisResponseFormat } from './openai.ts';

/**
 * `npm run eval:analysis -- --analyser openai` against the fake OpenAI server: the service's
 * OpenAI analyser set up from OPENAI_* as the service reads them, the fake answering each
 * meeting with its own labels (so every score is known), failures listed and counted.
 */
const apiKey = 'sk-eval-7c41e0b9d2a84f6e';
const dir = 'fixtures/transcripts';
const fixtures = loadFixtures(dir);
/** How many labelled transcripts the folder holds. */
const N = fixtures.length;
const byTitle = new Map(fixtures.map((f) => [f.fixture.meeting.title, f]));
const byFile = new Map(fixtures.map((f) => [f.file, f.fixture]));

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** The labels in the analyser's output shape: a perfect answer for that meeting. */
function labelled(f: Fixture): Analysis {
  const l = f.labels;
  return {
    summary: `Scripted answer for ${f.meeting.title}.`,
    action_items: l.action_items.map((i) => ({
      text: i.text,
      owner: i.owner_role,
      priority: i.priority as Analysis['action_items'][number]['priority'],
      due: i.due,
      due_inferred: i.due_inferred ?? false,
      quote: i.text,
    })),
    sentiment: l.sentiment as Analysis['sentiment'],
    buyer_intent: l.buyer_intent as Analysis['buyer_intent'],
    next_steps: l.next_steps ?? [],
    stage_suggestion: { stage: l.expected_stage, confidence: 0.9, rationale: 'Labelled.', evidence: [] },
  };
}

/** Which fixture a request is about, from the meeting title in the analyser's user message. */
function fileOf(body: { messages: ReadonlyArray<{ role: string; content?: unknown }> }): string {
  const user = body.messages.find((m) => m.role === 'user');
  const title = /^Meeting: (.*)$/m.exec(String(user?.content))?.[1];
  const hit = title === undefined ? undefined : byTitle.get(title);
  if (!hit) throw new Error(`no fixture titled ${title}`);
  return hit.file;
}

/**
 * Answers each meeting with its labels, after `latencyMs` (so calls overlap when they may), or
 * with `special[file]` for the files named there.
 */
function answerFromLabels(special: Record<string, ScriptedReply> = {}, latencyMs = 0): void {
  fake.respondWith((body) => {
    const file = fileOf(body);
    const answer = reply.json(labelled(byFile.get(file)!));
    return special[file] ?? (latencyMs ? reply.delay(latencyMs, answer) : answer);
  });
}

async function run(args: string[], env: Record<string, string>) {
  // Never the developer's own OPENAI_* (a real key would be billed): only what the test sets.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OPENAI_')));
  const child = spawn(process.execPath, ['scripts/eval-analysis.ts', '--dir', dir, ...args], {
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return { code, stdout, stderr, json: () => JSON.parse(last) };
}

const openAiEnv = (extra: Record<string, string> = {}) => ({
  OPENAI_API_KEY: apiKey,
  OPENAI_MODEL: 'gpt-eval-fake-1',
  OPENAI_BASE_URL: fake.baseURL,
  OPENAI_MAX_RETRIES: '0',
  ...extra,
});

describe('npm run eval:analysis -- --analyser openai', () => {
  it('scores every fixture through the OpenAI analyser, with the model and server from OPENAI_*', async () => {
    answerFromLabels({}, 150);
    const out = await run(['--analyser', 'openai', '--concurrency', '2', '--json'], openAiEnv());
    expect(out.code, out.stderr).toBe(0);

    const scores = out.json();
    expect(scores).toMatchObject({
      n: N,
      analyser: 'openai',
      model: 'gpt-eval-fake-1',
      base_url: fake.baseURL,
      failed: [],
      action_items: { precision: 1, recall: 1, f1: 1 },
      priority_accuracy: 1,
      due_date_exact: 1,
      sentiment_accuracy: 1,
      intent_accuracy: 1,
      stage_accuracy: 1,
      // The fake reports 100 prompt + 50 completion tokens per answer.
      usage: {
        requests: N,
        reported: N,
        prompt_tokens: 100 * N,
        completion_tokens: 50 * N,
        total_tokens: 150 * N,
      },
    });
    expect(scores.with_failures).toEqual(scoresOf(scores));
    expect(out.stdout).toContain(`Analyser: openai · model gpt-eval-fake-1 · base URL ${fake.baseURL}`);
    expect(out.stdout).toContain('2 at once · timeout 60 s per call · 0 retries');
    expect(out.stdout).toContain('Action items   precision 100.0%  recall 100.0%  F1 100.0%');
    expect(out.stdout).toContain('Stage accuracy                     100.0%');
    expect(out.stdout).toContain(
      `Tokens (as the server reported them): ${100 * N} prompt + ${50 * N} completion = ${150 * N} total, ${N} requests`,
    );
    for (const { file } of fixtures) expect(out.stdout).toMatch(new RegExp(`^${file} +\\d+/\\d+/\\d+ `, 'm'));

    // Every meeting went to the fake, once, as the analyser sends it, with the key and model set.
    expect(fake.requests.map((r) => fileOf(r.body)).sort()).toEqual(fixtures.map((f) => f.file));
    for (const r of fake.requests) {
      expect(r.authorization).toBe(`Bearer ${apiKey}`);
      expect(r.body.model).toBe('gpt-eval-fake-1');
      expect(r.body.response_format).toEqual(analysisResponseFormat);
    }
    // Answers take 150 ms: two calls were open at once, never more.
    expect(fake.maxInFlight()).toBe(2);
    expect(`${out.stdout}${out.stderr}`).not.toContain(apiKey);
  });

  it('lists a failed call with its reason, scores the rest, and scores failures as misses', async () => {
    const [bad, slow] = [fixtures[1]!, fixtures[4]!];
    answerFromLabels({
      [bad.file]: reply.error(400),
      // Longer than the 1 s timeout: the client gives up.
      [slow.file]: reply.delay(30_000, reply.json(labelled(slow.fixture))),
    });
    const out = await run(['--analyser', 'openai', '--json'], openAiEnv({ OPENAI_TIMEOUT_MS: '1000' }));
    expect(out.code, out.stderr).toBe(0);

    expect(out.stdout).toMatch(
      new RegExp(`^${bad.file} +FAILED: OpenAI answered 400 \\(invalid_request\\)$`, 'm'),
    );
    expect(out.stdout).toMatch(new RegExp(`^${slow.file} +FAILED: OpenAI timed out$`, 'm'));
    expect(out.stdout).toContain(
      `Failed: 2 of ${N} transcripts, not scored: ${bad.file} (OpenAI answered 400 (invalid_request)), ${slow.file} (OpenAI timed out)`,
    );
    expect(out.stdout).toContain(`Scores over the ${N - 2} transcripts analysed:`);
    expect(out.stdout).toContain(`Counting the 2 failed transcripts as misses (all ${N}):`);

    const scores = out.json();
    expect(scores.failed).toEqual([
      { file: bad.file, reason: 'OpenAI answered 400 (invalid_request)' },
      { file: slow.file, reason: 'OpenAI timed out' },
    ]);
    // Never replaced by the offline analyser's answer: the rest score perfectly, alone.
    expect(scores).toMatchObject({
      n: N - 2,
      action_items: { f1: 1 },
      sentiment_accuracy: 1,
      stage_accuracy: 1,
    });
    const labels = (fs: typeof fixtures) => fs.reduce((t, f) => t + f.fixture.labels.action_items.length, 0);
    const recall = (labels(fixtures) - labels([bad, slow])) / labels(fixtures);
    const round = (x: number) => Math.round(x * 1000) / 1000;
    expect(scores.with_failures).toEqual({
      n: N,
      action_items: { precision: 1, recall: round(recall), f1: round((2 * recall) / (1 + recall)) },
      priority_accuracy: 1,
      due_date_exact: 1,
      sentiment_accuracy: round((N - 2) / N),
      intent_accuracy: round((N - 2) / N),
      stage_accuracy: round((N - 2) / N),
    });
    expect(scores.usage).toMatchObject({ requests: N, reported: N - 2 });
    expect(`${out.stdout}${out.stderr}`).not.toContain(apiKey);
  });

  it('exits 1 when no file could be analysed', async () => {
    fake.respondWith(() => reply.error(401));
    const out = await run(['--analyser', 'openai', '--json'], openAiEnv());
    expect(out.code).toBe(1);
    expect(out.json()).toMatchObject({ n: 0, action_items: { f1: 0 }, stage_accuracy: 0 });
    expect(out.json().failed).toHaveLength(N);
    expect(out.stdout).toContain('OpenAI answered 401 (invalid_api_key)');
    expect(`${out.stdout}${out.stderr}`).not.toContain(apiKey);
  });

  it('without OPENAI_API_KEY says so on one line, exits 2 and sends nothing', async () => {
    for (const env of [{}, { OPENAI_API_KEY: ' ', OPENAI_BASE_URL: fake.baseURL }]) {
      const out = await run(['--analyser', 'openai'], env);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr).toBe(
        'eval:analysis: --analyser openai needs OPENAI_API_KEY (OPENAI_MODEL and OPENAI_BASE_URL choose another model or server); nothing was sent\n',
      );
    }
    expect(fake.requests).toEqual([]);
  });

  it('refuses an OPENAI_BASE_URL the service would refuse, and an unknown analyser', async () => {
    const badUrl = await run(['--analyser', 'openai'], openAiEnv({ OPENAI_BASE_URL: 'not a url' }));
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('OPENAI_BASE_URL: Invalid URL');
    expect(badUrl.stderr).not.toContain(apiKey);
    const unknown = await run(['--analyser', 'gpt'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'eval:analysis: --analyser must be offline, openai, both or labels, not "gpt"\n',
    );
    expect(fake.requests).toEqual([]);
  });

  it('with --analyser both prints the offline and OpenAI scores side by side', async () => {
    answerFromLabels();
    const out = await run(['--analyser', 'both', '--json'], openAiEnv());
    expect(out.code, out.stderr).toBe(0);
    const { analyser, offline, openai } = out.json();
    expect(analyser).toBe('both');
    expect(offline).toMatchObject({ n: N, analyser: 'offline', model: null, failed: [], usage: null });
    expect(openai).toMatchObject({
      n: N,
      analyser: 'openai',
      model: 'gpt-eval-fake-1',
      action_items: { f1: 1 },
    });
    expect(out.stdout).toMatch(new RegExp(`^Analyser: offline · ${N} transcripts from `, 'm'));
    expect(out.stdout).toMatch(/^Analyser: openai · model gpt-eval-fake-1 /m);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    expect(out.stdout).toMatch(
      new RegExp(`^Action items F1 +${pct(offline.action_items.f1)} +100\\.0% +100\\.0%$`, 'm'),
    );
    expect(fake.requests).toHaveLength(N);
  });
});

/** The scores alone, without what says who produced them. */
function scoresOf(s: Record<string, unknown>) {
  const keys = [
    'n',
    'action_items',
    'priority_accuracy',
    'due_date_exact',
    'sentiment_accuracy',
    'intent_accuracy',
    'stage_accuracy',
  ];
  return Object.fromEntries(keys.map((k) => [k, s[k]]));
}
