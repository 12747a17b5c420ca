import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Analyzer } from '../src/analysis/analysis.ts';
import {
  CONFIDENT,
  confidentMoves,
  type Evaluation,
  evaluate,
  type Fixture,
  loadFixtures,
  type Scores,
  secondReader,
} from '../src/analysis/eval.ts';
import { createOfflineAnalyzer } from '../src/analysis/offline.ts';
import { createOpenAiAnalyzer, OPENAI_DEFAULT_BASE_URL } from '../src/analysis/openai.ts';
import { meteredFetch, type TokenUsage } from '../src/analysis/token-usage.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';

const help = `npm run eval:analysis [-- options]

Scores a meeting analyser on labelled transcripts; docs/ANALYSIS.md explains the method.

  --dir <folder>       the labelled transcripts (default ../shared/fixtures/transcripts)
  --analyser <name>    offline (default): the built-in rules, no network.
                       openai: the service's OpenAI analyser (the same prompt, schema and
                         checks), set up as the service sets it up: OPENAI_API_KEY (required),
                         OPENAI_MODEL (default gpt-4o-mini), OPENAI_BASE_URL (an
                         OpenAI-compatible server), OPENAI_TIMEOUT_MS (per call, default
                         60000), OPENAI_MAX_RETRIES (default 1).
                       both: offline, then openai, then the two side by side.
                       labels: a second reader's labels of the same files (--labels),
                         scored as an analyser would be: how far two readers agree.
  --labels <folder>    with --analyser labels: one file per transcript, of the same name,
                       with a "labels" object in the fixtures' format
  --concurrency <n>    OpenAI calls at once, 1-16 (default 3)
  --json               the last line is one JSON object of the scores
                       (with --analyser both: {"analyser":"both","offline":{…},"openai":{…}})
  --verbose            each file's action items, found and labelled
  -h, --help           this text

A file whose OpenAI call fails is listed with the reason and left out of the scores; a second
set of scores counts it as all misses, to compare models fairly. The token counts are the
ones the server reported. Exit status: 0 scored, 1 no file could be analysed, 2 usage or
configuration error (nothing sent).
`;

type OpenAiSettings = NonNullable<Config['openai']>;

interface Run {
  analyser: 'offline' | 'openai' | 'labels';
  heading: string;
  model: string | null;
  baseURL: string | null;
  evaluation: Evaluation;
  usage: TokenUsage | null;
}

function usageError(message: string): never {
  process.stderr.write(`eval:analysis: ${message}\n`);
  process.exit(2);
}

function options() {
  try {
    return parseArgs({
      options: {
        dir: { type: 'string' },
        analyser: { type: 'string', default: 'offline' },
        labels: { type: 'string' },
        concurrency: { type: 'string', default: '3' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    return usageError(`${(err as Error).message} (--help lists the options)`);
  }
}

/** OPENAI_* read by the service's own config schema, so each variable means what it means there. */
function openAiSettings(): OpenAiSettings {
  const vars = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('OPENAI_')));
  let config: Config;
  try {
    config = loadConfig(vars);
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (!config.openai)
    usageError(
      '--analyser openai needs OPENAI_API_KEY (OPENAI_MODEL and OPENAI_BASE_URL choose another model or server); nothing was sent',
    );
  return config.openai;
}

/** The base URL as shown: without credentials, should an operator have put some in it. */
function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.href.replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

type Fixtures = Array<{ file: string; fixture: Fixture }>;

async function offlineRun(fixtures: Fixtures, dir: string): Promise<Run> {
  const analyzer = createOfflineAnalyzer();
  const heading = `Analyser: ${analyzer.name} · ${fixtures.length} transcripts from ${dir}`;
  const evaluation = await evaluate(analyzer, fixtures);
  return { analyser: 'offline', heading, model: null, baseURL: null, evaluation, usage: null };
}

async function secondReaderRun(fixtures: Fixtures, dir: string, labels: string): Promise<Run> {
  const heading = `Second reader: labels from ${labels} · ${fixtures.length} transcripts from ${dir}`;
  const evaluation = await evaluate(secondReader(labels), fixtures);
  return { analyser: 'labels', heading, model: null, baseURL: null, evaluation, usage: null };
}

async function openAiRun(fixtures: Fixtures, dir: string, s: OpenAiSettings, concurrency: number) {
  // The analyser keeps each completion (and its usage) to itself: the counts are read from the
  // answers on the way past, through the fetch its client is given.
  const meter = meteredFetch(globalThis.fetch);
  const analyzer: Analyzer = createOpenAiAnalyzer({
    ...s,
    logger: createLogger({ level: 'silent' }),
    fetch: meter.fetch,
  });
  const baseURL = shownUrl(s.baseURL ?? OPENAI_DEFAULT_BASE_URL);
  const retries = `${s.maxRetries} ${s.maxRetries === 1 ? 'retry' : 'retries'}`;
  const heading = [
    `Analyser: openai · model ${s.model} · base URL ${baseURL} · ${fixtures.length} transcripts from ${dir}`,
    `${concurrency} at once · timeout ${s.timeoutMs / 1000} s per call · ${retries}`,
  ].join('\n');
  const evaluation = await evaluate(analyzer, fixtures, { concurrency });
  const usage = await meter.usage();
  return { analyser: 'openai', heading, model: s.model, baseURL, evaluation, usage } satisfies Run;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function metricLines(s: Scores): string[] {
  return [
    `Action items   precision ${pct(s.action_items.precision)}  recall ${pct(s.action_items.recall)}  F1 ${pct(s.action_items.f1)}`,
    `Priority accuracy (matched items)  ${pct(s.priority_accuracy)}`,
    `Due date exact (matched items)     ${pct(s.due_date_exact)}`,
    `Sentiment accuracy                 ${pct(s.sentiment_accuracy)}`,
    `Intent accuracy                    ${pct(s.intent_accuracy)}`,
    `Stage accuracy                     ${pct(s.stage_accuracy)}`,
  ];
}

function tableLines({ evaluation }: Run): string[] {
  const scored = new Map(evaluation.perFixture.map((f) => [f.file, f]));
  // The file column as wide as the longest name, so the columns after it line up.
  const width = Math.max(44, ...evaluation.outcomes.map((o) => o.file.length + 2));
  const rows = evaluation.outcomes.map((o) => {
    const f = scored.get(o.file);
    if (!f || 'failure' in o) return `${o.file.padEnd(width)}FAILED: ${'failure' in o ? o.failure : ''}`;
    return `${f.file.padEnd(width)}${`${f.predicted}/${f.labelled}/${f.matched}`.padEnd(26)}${`${f.priorityRight}/${f.matched}`.padEnd(10)}${`${f.dueRight}/${f.matched}`.padEnd(6)}${`${f.sentiment[0]}/${f.sentiment[1]} `.padEnd(23)}${`${f.intent[0]}/${f.intent[1]} `.padEnd(13)}${f.stage[0]} / ${f.stage[1]}`;
  });
  return [
    `${'file'.padEnd(width)}items pred/label/matched  priority  due   sentiment (got/want)   intent       stage (got/want)`,
    ...rows,
  ];
}

function usageLine(u: TokenUsage | null): string[] {
  if (!u) return [];
  if (u.reported === 0) return ['', `Tokens: not reported by the server (${count(u.requests, 'request')})`];
  return [
    '',
    `Tokens (as the server reported them): ${u.prompt_tokens} prompt + ${u.completion_tokens} completion = ${u.total_tokens} total, ${count(u.requests, 'request')}`,
  ];
}

function runLines(run: Run): string[] {
  const { evaluation: e } = run;
  const failed = e.failed.length;
  const lines = [run.heading, '', ...tableLines(run), ''];
  const moves = confidentMoves(e.outcomes);
  const movesLine = `Stage moves suggested at ≥ ${CONFIDENT * 100}%     ${moves.made ? `${pct(moves.share!)} right (${moves.right} of ${moves.made})` : 'none'}`;
  if (failed === 0) return [...lines, ...metricLines(e.scores), movesLine, ...usageLine(run.usage)];
  const which = e.failed.map((f) => `${f.file} (${f.reason})`).join(', ');
  return [
    ...lines,
    `Failed: ${failed} of ${e.outcomes.length} transcripts, not scored: ${which}`,
    '',
    `Scores over the ${count(e.scores.n, 'transcript')} analysed:`,
    ...metricLines(e.scores),
    '',
    `Counting the ${count(failed, 'failed transcript')} as misses (all ${e.withFailures.n}):`,
    ...metricLines(e.withFailures),
    ...usageLine(run.usage),
  ];
}

function comparisonLines(offline: Run, openai: Run): string[] {
  const widths = [10, 20, 29];
  const line = (label: string, cells: string[]) =>
    `${label.padEnd(30)}${cells.map((c, k) => c.padStart(widths[k]!)).join('')}`;
  const runs = [offline.evaluation.scores, openai.evaluation.scores, openai.evaluation.withFailures];
  const row = (label: string, f: (s: Scores) => number) =>
    line(
      label,
      runs.map((s) => pct(f(s))),
    );
  return [
    line('Side by side', ['offline', 'openai (analysed)', 'openai (failures as misses)']),
    row('Action items F1', (s) => s.action_items.f1),
    row('Action items precision', (s) => s.action_items.precision),
    row('Action items recall', (s) => s.action_items.recall),
    row('Priority accuracy', (s) => s.priority_accuracy),
    row('Due date exact', (s) => s.due_date_exact),
    row('Sentiment accuracy', (s) => s.sentiment_accuracy),
    row('Intent accuracy', (s) => s.intent_accuracy),
    row('Stage accuracy', (s) => s.stage_accuracy),
  ];
}

function verboseLines({ evaluation }: Run): string[] {
  return evaluation.outcomes.flatMap((o) => [
    '',
    `== ${o.file}`,
    ...('analysis' in o
      ? o.analysis.action_items.map(
          (i) => `  got  ${i.owner} ${i.priority} ${i.due} ${i.due_inferred ? '(inferred)' : ''} | ${i.text}`,
        )
      : [`  FAILED: ${o.failure}`]),
    ...o.fixture.labels.action_items.map(
      (i) =>
        `  want ${i.owner_role} ${i.priority} ${i.due} ${i.due_inferred ? '(inferred)' : ''} | ${i.text}`,
    ),
  ]);
}

function jsonOf(run: Run) {
  const e = run.evaluation;
  return {
    ...e.scores,
    analyser: run.analyser,
    model: run.model,
    base_url: run.baseURL,
    failed: e.failed,
    with_failures: e.withFailures,
    usage: run.usage,
    confident_stage_moves: confidentMoves(e.outcomes),
  };
}

const values = options();
if (values.help) {
  process.stdout.write(help);
  process.exit(0);
}
const analyser = values.analyser;
if (analyser !== 'offline' && analyser !== 'openai' && analyser !== 'both' && analyser !== 'labels')
  usageError(`--analyser must be offline, openai, both or labels, not "${analyser}"`);
if ((analyser === 'labels') !== (values.labels !== undefined))
  usageError('--labels <folder> goes with --analyser labels, and --analyser labels needs it');
if (values.labels !== undefined && !fs.statSync(values.labels, { throwIfNoEntry: false })?.isDirectory())
  usageError(`--labels: no folder "${values.labels}"`);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16)
  usageError('--concurrency must be a whole number from 1 to 16');
const settings = analyser === 'offline' || analyser === 'labels' ? undefined : openAiSettings();
const dir = path.resolve(values.dir ?? path.join(import.meta.dirname, '../../shared/fixtures/transcripts'));
const fixtures = loadFixtures(dir);

const runs: Run[] = [];
if (values.labels !== undefined) runs.push(await secondReaderRun(fixtures, dir, path.resolve(values.labels)));
else if (analyser !== 'openai') runs.push(await offlineRun(fixtures, dir));
if (settings) runs.push(await openAiRun(fixtures, dir, settings, concurrency));

const lines = runs.flatMap((run, i) => [...(i > 0 ? ['', ''] : []), ...runLines(run)]);
if (runs.length === 2) lines.push('', ...comparisonLines(runs[0]!, runs[1]!));
if (values.verbose) lines.push(...runs.flatMap(verboseLines));
if (values.json) {
  const [first, second] = runs.map(jsonOf);
  lines.push(JSON.stringify(second ? { analyser: 'both', offline: first, openai: second } : first));
}
// The key never appears in what the analyser reports, and this makes sure of it (a key of a few
// characters, as local servers take, is no secret, and replacing it would garble the table).
const text = `${lines.join('\n')}\n`;
const key = settings && settings.apiKey.length >= 8 ? settings.apiKey : undefined;
process.stdout.write(key ? text.replaceAll(key, '[redacted]') : text);
process.exitCode = runs.some((r) => r.evaluation.scores.n === 0 && r.evaluation.outcomes.length > 0) ? 1 : 0;
