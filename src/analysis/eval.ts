import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  type ActionItem,
  type Analysis,
  type AnalysisInput,
  type Analyzer,
  analysisSchema,
  priorities,
} from './analysis.ts';

/**
 * Scores an analyser on labelled transcripts (the fixtures' format, see their README).
 *
 * Action items are matched by meaning through their words: each text is lower-cased, split
 * into words, stripped of stop words and of common endings (-s, -es, -ed, -ing), and a few
 * synonyms are folded together (share/email/forward → send, meeting → call, …). Two items
 * match when they are owned by the same side and their word sets' Dice coefficient is at
 * least MATCH_THRESHOLD; pairs are taken greedily, best first, each item used once. Priority
 * and due date are scored on the matched pairs; sentiment, intent and stage per transcript.
 */
export const MATCH_THRESHOLD = 0.3;

const labelsSchema = z.object({
  action_items: z.array(
    z.object({
      text: z.string(),
      owner_role: z.enum(['host', 'attendee']),
      priority: z.string(),
      due: z.string(),
      due_inferred: z.boolean().optional(),
    }),
  ),
  sentiment: z.string(),
  buyer_intent: z.string(),
  next_steps: z.array(z.string()).optional(),
  expected_stage: z.string(),
  stage_rationale: z.string().optional(),
});

const fixtureSchema = z.object({
  id: z.string().optional(),
  meeting: z.object({
    title: z.string(),
    start_time: z.string(),
    end_time: z.string(),
    timezone: z.string(),
  }),
  pipeline_stages: z.array(z.string()),
  current_stage: z.string(),
  transcript: z.array(
    z.object({
      speaker: z.string(),
      role: z.enum(['host', 'attendee']).optional(),
      start_ms: z.number().optional(),
      text: z.string(),
    }),
  ),
  labels: labelsSchema,
});
export type Fixture = z.infer<typeof fixtureSchema>;

export function loadFixtures(dir: string): Array<{ file: string; fixture: Fixture }> {
  return (
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      // In the order of their numbers: h99 before h100.
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .map((file) => {
        const parsed = fixtureSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
        if (!parsed.success)
          throw new Error(`${file}: not a labelled transcript: ${parsed.error.issues[0]?.message}`);
        return { file, fixture: parsed.data };
      })
  );
}

export const inputOf = (f: Fixture): AnalysisInput => ({
  meeting: f.meeting,
  transcript: f.transcript,
  pipeline: { stages: f.pipeline_stages, current_stage: f.current_stage },
});

const stop = new Set(
  'a an the and or of to for with on in at by from as is are be it its this that these those our their your my we you they i he she them us me up out about into over after before then than so if via per all any some more most other'.split(
    ' ',
  ),
);
const synonyms: Record<string, string> = {
  share: 'send',
  email: 'send',
  forward: 'send',
  circulat: 'send',
  provid: 'send',
  give: 'send',
  meet: 'call',
  meeting: 'call',
  session: 'call',
  chat: 'call',
  schedul: 'set',
  book: 'set',
  arrang: 'set',
  organis: 'set',
  organiz: 'set',
  includ: 'attach',
  add: 'attach',
  introduc: 'loop',
  involv: 'loop',
};

export function words(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}%$]+/u)) {
    if (!raw || stop.has(raw)) continue;
    const stem = raw.length > 4 ? raw.replace(/(ing|ed|es|s)$/, '') : raw;
    out.add(synonyms[stem] ?? synonyms[raw] ?? stem);
  }
  return out;
}

export function similarity(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  if (!x.size || !y.size) return 0;
  let common = 0;
  for (const w of x) if (y.has(w)) common++;
  return (2 * common) / (x.size + y.size);
}

type Label = Fixture['labels']['action_items'][number];

export function matchItems(predicted: readonly ActionItem[], labels: readonly Label[]) {
  const pairs: Array<{ p: number; l: number; s: number }> = [];
  predicted.forEach((p, pi) => {
    labels.forEach((l, li) => {
      if (p.owner !== l.owner_role) return;
      const s = similarity(p.text, l.text);
      if (s >= MATCH_THRESHOLD) pairs.push({ p: pi, l: li, s });
    });
  });
  pairs.sort((a, b) => b.s - a.s);
  const usedP = new Set<number>();
  const usedL = new Set<number>();
  const matched: Array<{ predicted: ActionItem; label: Label; score: number }> = [];
  for (const pair of pairs) {
    if (usedP.has(pair.p) || usedL.has(pair.l)) continue;
    usedP.add(pair.p);
    usedL.add(pair.l);
    matched.push({ predicted: predicted[pair.p]!, label: labels[pair.l]!, score: pair.s });
  }
  return matched;
}

export interface FixtureScore {
  file: string;
  predicted: number;
  labelled: number;
  matched: number;
  priorityRight: number;
  dueRight: number;
  sentiment: [string, string];
  intent: [string, string];
  stage: [string, string];
}

export interface Scores {
  n: number;
  action_items: { precision: number; recall: number; f1: number };
  priority_accuracy: number;
  due_date_exact: number;
  sentiment_accuracy: number;
  intent_accuracy: number;
  stage_accuracy: number;
}

/** One fixture's analysis, or why the analyser failed on it (its error's message). */
export type Outcome =
  | { file: string; fixture: Fixture; analysis: Analysis }
  | { file: string; fixture: Fixture; failure: string };

/**
 * Every fixture analysed, at most `concurrency` at once (a remote analyser's rate limit), the
 * outcomes in the fixtures' order. A failure is kept as that file's outcome, never replaced by
 * another analyser's answer, so what is scored is what this analyser said.
 */
export async function analyseAll(
  analyzer: Analyzer | SecondReader,
  fixtures: ReadonlyArray<{ file: string; fixture: Fixture }>,
  concurrency = 1,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  async function work(): Promise<void> {
    for (let i = next++; i < fixtures.length; i = next++) {
      const { file, fixture } = fixtures[i]!;
      try {
        const analysis =
          'readFile' in analyzer
            ? analyzer.readFile(file, fixture)
            : await analyzer.analyze(inputOf(fixture));
        outcomes[i] = { file, fixture, analysis };
      } catch (err) {
        outcomes[i] = { file, fixture, failure: err instanceof Error ? err.message : String(err) };
      }
    }
  }
  const workers = Math.max(1, Math.min(concurrency, fixtures.length));
  await Promise.all(Array.from({ length: workers }, work));
  return outcomes;
}

export function scoreFixture(file: string, fixture: Fixture, a: Analysis): FixtureScore {
  const matched = matchItems(a.action_items, fixture.labels.action_items);
  return {
    file,
    predicted: a.action_items.length,
    labelled: fixture.labels.action_items.length,
    matched: matched.length,
    priorityRight: matched.filter((m) => m.predicted.priority === m.label.priority).length,
    dueRight: matched.filter((m) => m.predicted.due === m.label.due).length,
    sentiment: [a.sentiment, fixture.labels.sentiment],
    intent: [a.buyer_intent, fixture.labels.buyer_intent],
    stage: [a.stage_suggestion?.stage ?? fixture.current_stage, fixture.labels.expected_stage],
  };
}

/** A failed analysis scored as misses: no item found, every label missed, every per-meeting answer wrong. */
export function missedFixture(file: string, fixture: Fixture): FixtureScore {
  const none = '(failed)';
  return {
    file,
    predicted: 0,
    labelled: fixture.labels.action_items.length,
    matched: 0,
    priorityRight: 0,
    dueRight: 0,
    sentiment: [none, fixture.labels.sentiment],
    intent: [none, fixture.labels.buyer_intent],
    stage: [none, fixture.labels.expected_stage],
  };
}

/** Micro-averaged scores; with nothing scored every score is 0, not a vacuous 1. */
export function summarise(perFixture: readonly FixtureScore[]): Scores {
  const sum = (f: (x: FixtureScore) => number) => perFixture.reduce((t, x) => t + f(x), 0);
  const ratio = (a: number, b: number) => (perFixture.length === 0 ? 0 : b === 0 ? 1 : a / b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const matched = sum((x) => x.matched);
  const precision = ratio(
    matched,
    sum((x) => x.predicted),
  );
  const recall = ratio(
    matched,
    sum((x) => x.labelled),
  );
  const agree = (f: (x: FixtureScore) => [string, string]) =>
    round(ratio(perFixture.filter((x) => f(x)[0] === f(x)[1]).length, perFixture.length));
  return {
    n: perFixture.length,
    action_items: {
      precision: round(precision),
      recall: round(recall),
      f1: round(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)),
    },
    priority_accuracy: round(
      ratio(
        sum((x) => x.priorityRight),
        matched,
      ),
    ),
    due_date_exact: round(
      ratio(
        sum((x) => x.dueRight),
        matched,
      ),
    ),
    sentiment_accuracy: agree((x) => x.sentiment),
    intent_accuracy: agree((x) => x.intent),
    stage_accuracy: agree((x) => x.stage),
  };
}

export interface Evaluation {
  /** Per file, in order: the analysis or the failure. */
  outcomes: Outcome[];
  /** The files analysed, scored. */
  perFixture: FixtureScore[];
  /** Over the files analysed only. */
  scores: Scores;
  failed: Array<{ file: string; reason: string }>;
  /** Over every file, a failed one counted as misses: what a model delivers, failures included. */
  withFailures: Scores;
}

export async function evaluate(
  analyzer: Analyzer | SecondReader,
  fixtures: ReadonlyArray<{ file: string; fixture: Fixture }>,
  options: { concurrency?: number } = {},
): Promise<Evaluation> {
  const outcomes = await analyseAll(analyzer, fixtures, options.concurrency);
  const perFixture: FixtureScore[] = [];
  const all: FixtureScore[] = [];
  const failed: Evaluation['failed'] = [];
  for (const o of outcomes) {
    if ('analysis' in o) {
      const score = scoreFixture(o.file, o.fixture, o.analysis);
      perFixture.push(score);
      all.push(score);
    } else {
      failed.push({ file: o.file, reason: o.failure });
      all.push(missedFixture(o.file, o.fixture));
    }
  }
  return { outcomes, perFixture, scores: summarise(perFixture), failed, withFailures: summarise(all) };
}

/**
 * A second reader's labels of the same transcripts, scored as if an analyser had said them: how
 * far two careful readers agree, the ceiling to read an analyser's scores against. `dir` holds,
 * for each labelled transcript, a file of the same name with a `labels` object in the fixtures'
 * format (the transcript itself may be left out). The reader's stage is a suggestion made with
 * full confidence; a file without second labels is that transcript's failure.
 */
export interface SecondReader {
  readonly name: string;
  readFile(file: string, fixture: Fixture): Analysis;
}

/** The fixtures' labels with the analysis's enums: a second reader's typo is an error, not a miss. */
const readerLabels = labelsSchema.extend({
  action_items: z.array(
    z.object({
      text: z.string().min(1),
      owner_role: z.enum(['host', 'attendee']),
      priority: z.enum(priorities),
      due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      due_inferred: z.boolean().optional(),
    }),
  ),
  sentiment: analysisSchema.shape.sentiment,
  buyer_intent: analysisSchema.shape.buyer_intent,
});

export function secondReader(dir: string): SecondReader {
  return {
    name: 'second reader',
    readFile(file, fixture) {
      const at = path.join(dir, file);
      if (!fs.existsSync(at)) throw new Error(`no second labels (${at})`);
      const parsed = z.object({ labels: readerLabels }).safeParse(JSON.parse(fs.readFileSync(at, 'utf8')));
      if (!parsed.success) throw new Error(`not labels: ${parsed.error.issues[0]?.message}`);
      const l = parsed.data.labels;
      if (!fixture.pipeline_stages.includes(l.expected_stage))
        throw new Error(`expected_stage "${l.expected_stage}" is not one of the pipeline's stages`);
      return {
        summary: l.stage_rationale || '(second reader)',
        action_items: l.action_items.map((i) => ({
          text: i.text,
          owner: i.owner_role,
          priority: i.priority,
          due: i.due,
          due_inferred: i.due_inferred ?? false,
          quote: '',
        })),
        sentiment: l.sentiment,
        buyer_intent: l.buyer_intent,
        next_steps: l.next_steps ?? [],
        stage_suggestion: {
          stage: l.expected_stage,
          confidence: 1,
          rationale: l.stage_rationale ?? '',
          evidence: [],
        },
      };
    },
  };
}

/** A suggested move at or above this confidence is one the product would put before the user. */
export const CONFIDENT = 0.6;

/**
 * How often a confident stage move is right: of the analyses that suggested moving the deal
 * (a stage other than the current one) with confidence ≥ CONFIDENT, how many named the labelled
 * stage. `share` is null when none was made.
 */
export function confidentMoves(outcomes: readonly Outcome[]): {
  made: number;
  right: number;
  share: number | null;
} {
  let made = 0;
  let right = 0;
  for (const o of outcomes) {
    if (!('analysis' in o)) continue;
    const s = o.analysis.stage_suggestion;
    if (!s || s.stage === o.fixture.current_stage || s.confidence < CONFIDENT) continue;
    made += 1;
    if (s.stage === o.fixture.labels.expected_stage) right += 1;
  }
  return { made, right, share: made ? Math.round((right / made) * 1000) / 1000 : null };
}
