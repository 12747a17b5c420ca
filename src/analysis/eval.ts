import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ActionItem, Analysis, AnalysisInput, Analyzer } from './analysis.ts';

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
  labels: z.object({
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
  }),
});
export type Fixture = z.infer<typeof fixtureSchema>;

export function loadFixtures(dir: string): Array<{ file: string; fixture: Fixture }> {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = fixtureSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
      if (!parsed.success)
        throw new Error(`${file}: not a labelled transcript: ${parsed.error.issues[0]?.message}`);
      return { file, fixture: parsed.data };
    });
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

export async function evaluate(
  analyzer: Analyzer,
  fixtures: Array<{ file: string; fixture: Fixture }>,
): Promise<{ scores: Scores; perFixture: FixtureScore[] }> {
  const perFixture: FixtureScore[] = [];
  for (const { file, fixture } of fixtures) {
    const a: Analysis = await analyzer.analyze(inputOf(fixture));
    const matched = matchItems(a.action_items, fixture.labels.action_items);
    perFixture.push({
      file,
      predicted: a.action_items.length,
      labelled: fixture.labels.action_items.length,
      matched: matched.length,
      priorityRight: matched.filter((m) => m.predicted.priority === m.label.priority).length,
      dueRight: matched.filter((m) => m.predicted.due === m.label.due).length,
      sentiment: [a.sentiment, fixture.labels.sentiment],
      intent: [a.buyer_intent, fixture.labels.buyer_intent],
      stage: [a.stage_suggestion?.stage ?? fixture.current_stage, fixture.labels.expected_stage],
    });
  }
  const sum = (f: (x: FixtureScore) => number) => perFixture.reduce((t, x) => t + f(x), 0);
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
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
    ratio(perFixture.filter((x) => f(x)[0] === f(x)[1]).length, perFixture.length);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    perFixture,
    scores: {
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
      sentiment_accuracy: round(agree((x) => x.sentiment)),
      intent_accuracy: round(agree((x) => x.intent)),
      stage_accuracy: round(agree((x) => x.stage)),
    },
  };
}
