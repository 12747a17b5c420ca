import {
  type ActionItem,
  type Analysis,
  type AnalysisInput,
  type Analyzer,
  MAX_ACTION_ITEMS,
  MAX_NEXT_STEPS,
} from './analysis.ts';
import { findItems } from './commitments.ts';
import { type Sentence, sentencesOf } from './sentence.ts';
import { intentFrom, sentimentFrom, toneSignals } from './tone.ts';

/**
 * The offline analyser: the baseline used when no OpenAI key is configured or OpenAI fails.
 * wink-nlp splits sentences and scores their sentiment; chrono-node reads dates
 * (due-dates.ts); explicit rules find commitments ("I'll send…", "we will…", "let me…", an
 * offer accepted with "please do"), urgency and the pipeline stage the words point to;
 * tone.ts reads the buyer's sentiment and intent. It reads no more than the words say: no
 * model, no guessing of meaning. Its scores on the labelled fixtures are in docs/ANALYSIS.md.
 */

// --- Sentiment and intent: tone.ts, over the attendee side's sentences ----------------

/** The buyer ends the evaluation: the deal is lost (the stage's cue; tone.ts reads the sentiment). */
const lostCues =
  /\b(not a fit|doesn't fit|does not fit|doesn't work for us|won't work|not the right fit|leave it here|no point|cancel the demo|end (the|our) evaluation|(isn't|not) on (our|the|your) roadmap|go with (another|someone else)|no need to send anything)\b/i;

// --- Stage ------------------------------------------------------------------------------

/** What the words point to, by the kind of stage a pipeline names (matched on the stage's name). */
const stageCues: Array<{ stage: RegExp; cue: RegExp }> = [
  { stage: /lost/i, cue: lostCues },
  {
    stage: /negotiat/i,
    cue: /\b(redlines?|negotiat\w*|counter-?offer|payment terms|net-\d+|liability cap|msa|revised proposal|match (their|the) (price|bid))\b/i,
  },
  { stage: /contract/i, cue: /\b(send (over )?the contract|ready to sign|signature|docusign)\b/i },
  {
    stage: /proposal|quote/i,
    cue: /\b((formal|renewal|revised)? ?quote|proposal|pricing for \d+|price it)\b/i,
  },
  { stage: /trial|pilot/i, cue: /\b(trial|pilot|proof of concept|poc)\b/i },
  { stage: /security/i, cue: /\b(security review|security questionnaire|pen test|soc ?2)\b/i },
  { stage: /demo/i, cue: /\b(demo)\b/i },
  {
    stage: /needs analysis|discovery/i,
    cue: /\b(budget|pain(ful)?|problem|go-live|live before|decision maker|who decides|requirements?|double-booked)\b/i,
  },
];

function stageOf(sentences: Sentence[], input: AnalysisInput): Analysis['stage_suggestion'] {
  const p = input.pipeline;
  if (!p?.stages.length) return null;
  const current = p.current_stage ?? p.stages[0]!;
  const at = p.stages.indexOf(current);
  let best: { stage: string; hits: Sentence[] } | undefined;
  for (const { stage, cue } of stageCues) {
    const name = p.stages.find((s) => stage.test(s));
    if (!name) continue;
    const index = p.stages.indexOf(name);
    const lost = /lost/i.test(name);
    // Forward only (a lost deal excepted); a closed stage is never suggested from cues but "lost".
    if (!lost && (index <= at || /won|closed/i.test(name))) continue;
    const hits = sentences.filter((s) => cue.test(s.text));
    // Two statements at least: one mention is not a move.
    if (hits.length >= 2 && (!best || hits.length > best.hits.length || lost)) {
      best = { stage: name, hits };
      if (lost) break;
    }
  }
  if (!best)
    return {
      stage: current,
      confidence: 0.5,
      rationale: 'Nothing said in the meeting points to another stage.',
      evidence: [],
    };
  return {
    stage: best.stage,
    confidence: Math.min(0.9, 0.4 + 0.1 * best.hits.length),
    rationale: `${best.hits.length} statements point to “${best.stage}”.`,
    evidence: best.hits.slice(0, 3).map((s) => s.text),
  };
}

// --- Summary and next steps -------------------------------------------------------------

function summaryOf(
  sentences: Sentence[],
  items: ActionItem[],
  input: AnalysisInput,
  a: Omit<Analysis, 'summary' | 'next_steps' | 'action_items' | 'stage_suggestion'>,
): string {
  const salient = sentences
    .filter(
      (s) =>
        s.role === 'attendee' &&
        s.text.split(' ').length >= 6 &&
        /\d|\b(need|want|require|budget|worried|concern|problem|goal|plan)\w*/i.test(s.text),
    )
    .slice(0, 4)
    .map((s) => s.text);
  return [
    `${input.meeting.title}. Buyer sentiment ${a.sentiment}, intent ${a.buyer_intent}.`,
    salient.length ? `What they said: ${salient.join(' ')}` : undefined,
    items.length ? `Agreed: ${items.map((i) => i.text).join('; ')}.` : 'No action items were agreed.',
  ]
    .filter(Boolean)
    .join('\n');
}

export function createOfflineAnalyzer(): Analyzer {
  return {
    name: 'offline',
    async analyze(input) {
      const sentences = sentencesOf(input);
      // A meeting's items beyond what an analysis holds are cut, earliest kept: a very long
      // transcript yields a smaller analysis, never one the schema refuses (and a failed event).
      const action_items = findItems(sentences, input).slice(0, MAX_ACTION_ITEMS);
      const tone = toneSignals(sentences);
      const sentiment = sentimentFrom(tone);
      const buyer_intent = intentFrom(tone);
      return {
        summary: summaryOf(sentences, action_items, input, { sentiment, buyer_intent }),
        action_items,
        sentiment,
        buyer_intent,
        next_steps: action_items
          .filter((i) => !i.due_inferred)
          .map((i) => `${i.text} by ${i.due}`)
          .slice(0, MAX_NEXT_STEPS),
        stage_suggestion: stageOf(sentences, input),
      };
    },
  };
}
