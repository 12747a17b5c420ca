import model from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';
import type { ActionItem, Analysis, AnalysisInput, Analyzer, Priority } from './analysis.ts';
import { dueFromUrgency, localDate, statedDue } from './due-dates.ts';
import { priorityFromText } from './urgency.ts';

/**
 * The offline analyser: the baseline used when no OpenAI key is configured or OpenAI fails.
 * wink-nlp splits sentences and scores their sentiment; chrono-node reads dates
 * (due-dates.ts); explicit rules find commitments ("I'll send…", "we will…", "let me…", an
 * offer accepted with "please do"), urgency, buyer intent and the pipeline stage the words
 * point to. It reads no more than the words say: no model, no guessing of meaning. Its scores
 * on the labelled fixtures are in docs/ANALYSIS.md.
 */
const nlp = winkNLP(model);
const its = nlp.its;

interface Sentence {
  text: string;
  role: 'host' | 'attendee';
  turn: number;
  sentiment: number;
}

function sentencesOf(input: AnalysisInput): Sentence[] {
  const firstSpeaker = input.transcript[0]?.speaker;
  const out: Sentence[] = [];
  input.transcript.forEach((t, turn) => {
    const role = t.role ?? (t.speaker === firstSpeaker ? 'host' : 'attendee');
    nlp
      .readDoc(t.text)
      .sentences()
      .each((s: { out(f?: unknown): string }) => {
        out.push({ text: s.out().trim(), role, turn, sentiment: Number(s.out(its.sentiment)) });
      });
  });
  return out;
}

// --- Commitments -----------------------------------------------------------------------

/** "I'll send…", "we will set up…", "let me check…", "I'm going to…", "I can get you… by…". */
const commitment =
  /\b(?:i(?:'| a)?ll|i will|we(?:'| wi)?ll|we will|let me|i'm going to|i am going to|we're going to|i can (?=\w+ [^?]*\b(?:by|before|tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday)\b)|i'd like to|i need to|we need to)\s+(?:also\s+|then\s+|just\s+|definitely\s+|personally\s+)*(\w[^.?!]*)/i;
/** Verbs that make a task; "I'll think about it" or "we'll see" are not tasks. */
const taskVerbs =
  /^(send|share|set up|setup|schedule|book|put together|prepare|draft|write|get|confirm|check|follow up|loop in|introduce|escalate|attach|include|forward|email|call|ask|review|update|create|provide|organi[sz]e|arrange|find|give|talk|reach out|connect|sort out|run|hold|look into|dig into|pull|export|compile|circulate|sign|approve|send over|push|take|raise)\b/i;
const notTasks = /\b(think about it|see how it goes|be in touch|talk soon|keep you posted)\b/i;

/** An offer from one side accepted by the other: "I can put a quote together." — "Please do." */
const offer = /\b(?:i|we) can\s+(\w[^.?!]*)/i;
const acceptance =
  /^(please do|yes,? please|that would be (great|helpful)|sounds good|perfect|great,? thanks|yes)\b/i;

function actionText(rest: string): string {
  const cleaned = rest
    .replace(/\s+(?:for you|to you|over to you|your way)\b/gi, '')
    .replace(/,?\s*(?:ideally|probably|hopefully)\s*$/i, '')
    .trim();
  return cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
}

function findItems(sentences: Sentence[], input: AnalysisInput): ActionItem[] {
  const day = localDate(input.meeting.start_time, input.meeting.timezone);
  const items: ActionItem[] = [];
  const seen = new Set<string>();
  const add = (s: Sentence, rest: string, context: Sentence[]) => {
    const text = actionText(rest);
    if (!taskVerbs.test(text) || notTasks.test(text) || text.split(' ').length < 2) return;
    const key = text.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    const said =
      statedDue(s.text, input.meeting) ?? context.map((c) => statedDue(c.text, input.meeting)).find(Boolean);
    const priority = priorityOf(s, context);
    items.push({
      text: text.slice(0, 255),
      owner: s.role,
      priority,
      due: said ?? dueFromUrgency(day, priority),
      due_inferred: !said,
      quote: s.text,
    });
  };
  for (const s of sentences) {
    if (
      /\?\s*$/.test(s.text) ||
      /^\s*if\b/i.test(s.text) ||
      /\b(won't|will not|can't|cannot)\b/i.test(s.text)
    )
      continue;
    // The other side's words just before (a request with a date), and the rest of this turn.
    const context = sentences.filter((c) => c.turn === s.turn - 1 || (c.turn === s.turn && c !== s));
    const m = commitment.exec(s.text);
    if (m?.[1]) {
      add(s, m[1], context);
      continue;
    }
    // An offer the other side accepts: "I can put a quote together." — "Please do."
    const o = offer.exec(s.text);
    const next = sentences.find((c) => c.turn === s.turn + 1);
    if (o?.[1] && next && next.role !== s.role && acceptance.test(next.text))
      add(s, o[1], [...context, next]);
  }
  return items;
}

/** Commercial stakes make a task High; explicit urgency words decide first. */
const commercial =
  /\b(quote|proposal|pricing|price|rate|discount|contract|renewal|payment terms|net-\d+|credit|invoice|approval|sign-?off|extension)\b/i;

function priorityOf(s: Sentence, context: Sentence[]): Priority {
  const own = priorityFromText(s.text);
  if (own) return own;
  if (commercial.test(s.text)) return 'High';
  const around = context.map((c) => priorityFromText(c.text)).find(Boolean);
  return around === 'Low' || around === 'Highest' ? around : 'Normal';
}

// --- Sentiment and intent -------------------------------------------------------------

const negativeCues =
  /\b(frustrat\w*|disappoint\w*|outage\w*|not happy|unacceptable|cancel\w*|churn|leaning towards not|not renew\w*|competitor|worried|concern\w*|problem\w*|issue\w*|broken|failed|failing)\b/i;
const positiveCues =
  /\b(exactly what we|excited|love|great|keen|impressed|perfect|definitely want|really like|happy with)\b/i;

function sentimentOf(sentences: Sentence[]): Analysis['sentiment'] {
  const theirs = sentences.filter((s) => s.role === 'attendee');
  const pos = theirs.filter((s) => s.sentiment > 0.25 || positiveCues.test(s.text)).length;
  const neg = theirs.filter((s) => s.sentiment < -0.2 || negativeCues.test(s.text)).length;
  if (pos >= 2 && neg >= 2 && Math.min(pos, neg) / Math.max(pos, neg) >= 0.5) return 'mixed';
  if (neg >= 2 && neg > pos) return 'negative';
  if (pos >= 2 && pos > neg * 1.5) return 'positive';
  return 'neutral';
}

const highIntent =
  /\b(keen to move|want to (move|go) ahead|ready to (start|sign|move)|definitely want|send (me|us) (the|a) (formal )?(quote|proposal|contract)|annual plan|when can we start|let's do (it|the trial)|sign (it|this)|budget (is )?approved|we'd like to trial|start the trial)\b/i;
const lowIntent =
  /\b(not a fit|doesn't fit|does not fit|hard requirement|not on (the|this year's) roadmap|no budget|not (moving|going) forward|won't be moving|leaning towards not|cancel (the )?demo|end (the|our) evaluation|other options|go with (another|someone else)|not renew)\b/i;

function intentOf(sentences: Sentence[]): Analysis['buyer_intent'] {
  const theirs = sentences.filter((s) => s.role === 'attendee');
  const high = theirs.filter((s) => highIntent.test(s.text)).length;
  const low = sentences.filter((s) => lowIntent.test(s.text)).length;
  if (low > high) return 'low';
  if (high > 0) return 'high';
  return 'medium';
}

// --- Stage ------------------------------------------------------------------------------

/** What the words point to, by the kind of stage a pipeline names (matched on the stage's name). */
const stageCues: Array<{ stage: RegExp; cue: RegExp }> = [
  { stage: /lost/i, cue: lowIntent },
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
    cue: /\b(budget|pain|go-live|decision maker|who decides|requirements?)\b/i,
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
    const needed = lost ? 2 : 2;
    if (hits.length >= needed && (!best || hits.length > best.hits.length || (lost && hits.length >= 2))) {
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
      const action_items = findItems(sentences, input);
      const sentiment = sentimentOf(sentences);
      const buyer_intent = intentOf(sentences);
      return {
        summary: summaryOf(sentences, action_items, input, { sentiment, buyer_intent }),
        action_items,
        sentiment,
        buyer_intent,
        next_steps: action_items.filter((i) => !i.due_inferred).map((i) => `${i.text} by ${i.due}`),
        stage_suggestion: stageOf(sentences, input),
      };
    },
  };
}
