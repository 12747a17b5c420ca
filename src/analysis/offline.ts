import model from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';
import {
  type ActionItem,
  type Analysis,
  type AnalysisInput,
  type Analyzer,
  MAX_ACTION_ITEMS,
  MAX_NEXT_STEPS,
  type Priority,
} from './analysis.ts';
import { dueFromUrgency, localDate, statedDue } from './due-dates.ts';
import { intentFrom, sentimentFrom, toneSignals } from './tone.ts';
import { priorityFromText } from './urgency.ts';

/**
 * The offline analyser: the baseline used when no OpenAI key is configured or OpenAI fails.
 * wink-nlp splits sentences and scores their sentiment; chrono-node reads dates
 * (due-dates.ts); explicit rules find commitments ("I'll send…", "we will…", "let me…", an
 * offer accepted with "please do"), urgency and the pipeline stage the words point to;
 * tone.ts reads the buyer's sentiment and intent. It reads no more than the words say: no
 * model, no guessing of meaning. Its scores on the labelled fixtures are in docs/ANALYSIS.md.
 */
const nlp = winkNLP(model);
const its = nlp.its;

interface Sentence {
  text: string;
  speaker: string;
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
        out.push({
          text: s.out().trim(),
          speaker: t.speaker,
          role,
          turn,
          sentiment: Number(s.out(its.sentiment)),
        });
      });
  });
  return out;
}

// --- Commitments -----------------------------------------------------------------------

/** Verbs that make a task; "I'll think about it" or "we'll see" are not tasks. */
const taskVerbs =
  /^(send|share|set up|setup|schedule|book|put|prepare|draft|write|get|confirm|check|follow up|loop|introduce|escalate|attach|include|forward|email|call|ask|review|update|create|provide|organi[sz]e|arrange|find|give|talk|reach out|connect|sort out|run|hold|look into|dig into|pull|export|compile|circulate|sign|approve|push|take|raise|answer|come back|get back)\b/i;
const notTasks =
  /\b(think about it|see how it goes|be in touch|talk soon|keep you posted|show you|walk you through)\b/i;

const future = `(?:i|we)(?:'ll| will| am going to|'m going to| are going to|'re going to)`;
/** Ordered: the first that matches a clause makes its task ({verb} {object}). */
const patterns: Array<{ re: RegExp; make: (m: RegExpExecArray) => string; hostOnly?: boolean }> = [
  // "I'll have her send them to you tonight" → "send them".
  {
    re: new RegExp(
      String.raw`\b${future}\s+have\s+(?:her|him|them|\w+)\s+(send|call|email|forward|share|pull|write)\s+(.*)`,
      'i',
    ),
    make: (m) => `${m[1]} ${m[2]}`,
  },
  // "I'll have it to you by Monday" → "send it"; "I'll have the workspace connected by Thursday" → "get the workspace connected".
  {
    re: new RegExp(String.raw`\b${future}\s+have\s+(.+?)\s+(?:to you|over to you|over)\b(.*)`, 'i'),
    make: (m) => `send ${m[1]}${m[2]}`,
  },
  {
    re: new RegExp(
      String.raw`\b${future}\s+have\s+(.+?\s+(?:connected|ready|set up|done|finished|sorted))\b(.*)`,
      'i',
    ),
    make: (m) => `get ${m[1]}${m[2]}`,
  },
  // Host: "you'll have the revised proposal before the 15th"; "they'll have responses back to you by…".
  {
    re: /\b(?:you|they)(?:'ll| will)\s+have\s+(.*?)(?:\s+back)?(?:\s+to you)?(\s+(?:by|before|on)\b.*)?$/i,
    make: (m) => `send ${m[1]}${m[2] ?? ''}`,
    hostOnly: true,
  },
  // "I'm escalating this to our VP today" → "escalate this to our VP today".
  {
    re: /\bi'm\s+(escalating|sending|setting up|scheduling|booking|preparing|drafting|writing|looping in|forwarding|sharing)\s+(.*)/i,
    make: (m) => `${lemma(m[1]!)} ${m[2]}`,
  },
  // "I can send them tomorrow": an offer with a date is a commitment.
  {
    re: /\b(?:i|we) can\s+(\w[^.?!]*?\b(?:by|before|tomorrow|today|tonight|this afternoon|monday|tuesday|wednesday|thursday|friday)\b[^.?!]*)/i,
    make: (m) => m[1]!,
  },
  // "I'll send…", "we will set up…", "let me check…".
  {
    re: new RegExp(
      String.raw`\b(?:${future}|let me|i need to|we need to)\s+(?:also\s+|then\s+|just\s+|definitely\s+|personally\s+)*(\w[^.?!]*)`,
      'i',
    ),
    make: (m) => m[1]!,
  },
];

const lemmas: Record<string, string> = { setting: 'set', looping: 'loop' };
function lemma(verbPhrase: string): string {
  const [first = '', ...rest] = verbPhrase.toLowerCase().split(' ');
  const base =
    lemmas[first] ??
    (/(at|iz|ar|ur|ib)ing$/.test(first) ? first.replace(/ing$/, 'e') : first.replace(/ing$/, ''));
  return [base, ...rest].join(' ');
}

/** "Sure", "I can pull that", "Will do": an answer that takes on what the other side asked. */
const takesOn = /^(sure|yes|of course|will do|happy to|absolutely|no problem|i can)\b/i;
const request = /\b(?:could|can|would) you\s+(?:please\s+)?(\w[^?]*)\?/i;
/** "I'll let you know", "I'll come back to you": an answer owed on what was asked. */
const answerOwed = new RegExp(
  String.raw`\b(?:${future})\s+(?:let you know|come back to you|get back to you)\b`,
  'i',
);
/** An offer from one side accepted by the other: "I can put a quote together." — "Please do." */
const offer = /\b(?:i|we) can\s+(\w[^.?!]*)/i;
const acceptance =
  /^(please do|yes,? please|that would be (great|helpful)|sounds good|perfect|great,? thanks|yes)\b/i;

const pronoun = /^(\w+)(\s+(?:up|in|over|out))?\s+(it|them|that|those|these|both|her|him)\b/i;
/** A noun phrase: a determiner, a few words, up to a clause boundary; "A and the B" kept whole. */
const nounPhrase =
  /\b((?:the|a|an|our|your|their|those|these|last month's|its)\s+(?:[\w'’%-]+\s+){0,6}?[\w'’%-]+?(?:\s+(?:and|or)\s+(?:the|a|an|our|your|their)\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+)?)(?=\s+(?:you|that|which|so|for|to|before|if|on|in|at|from|with|directly)\b|\s*[,.?!]|\s*$)/gi;
const name = /\b(?!I\b)([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b/g;

/**
 * Replaces a pronoun object ("send them", "write those up") with what it stands for: the
 * noun phrase of the words just before, a question first ("when can I see the quote?").
 */
function resolve(text: string, current: Sentence, before: Sentence[]): string {
  const m = pronoun.exec(text);
  if (!m) return text;
  const verb = m[1]!;
  const particle = m[2] ?? '';
  const p = m[3]!.toLowerCase();
  const rest = text.slice(m[0].length);
  const trailing = /^\s+(up|in|over|out)\b/i.exec(rest);
  const restAfter = trailing ? rest.slice(trailing[0].length) : rest;
  const withParticle = `${verb}${particle}${trailing ? ` ${trailing[1]}` : ''}`;
  const nearest = [...before].reverse();
  const asks = (x: Sentence) => /\?\s*$/.test(x.text);
  const candidates = [
    ...(p === 'both' ? [current] : []),
    ...nearest.filter((x) => x.turn === current.turn),
    ...nearest.filter((x) => x.turn !== current.turn && asks(x)),
    ...nearest.filter((x) => x.turn !== current.turn && !asks(x)),
  ];
  for (const s of candidates) {
    if (p === 'her' || p === 'him') {
      const names = [...s.text.matchAll(name)].map((x) => x[1]!).filter((n) => !s.text.startsWith(n));
      const who = names.find((n) => !s.speaker.includes(n) && !current.speaker.includes(n));
      if (who) return `${withParticle} ${who}${restAfter}`;
      continue;
    }
    // In a request ("could you send me the list of…?") the thing asked for is the object.
    const where = (request.exec(s.text)?.[1] ?? s.text).replace(/\bor so\b\s*/gi, '');
    const phrases = [...where.matchAll(nounPhrase)]
      .map((x) => x[1]!.trim())
      .filter((x) => !/^(those|these)$/i.test(x));
    const plural = p === 'them' || p === 'those' || p === 'these' || p === 'both';
    let pick = plural ? (phrases.find((x) => / and |s$/i.test(x)) ?? phrases[0]) : phrases[0];
    // "a short session for those two teams": a plural pronoun means the last plural phrase in it.
    if (pick && plural && !/ and /i.test(pick))
      pick = /.*\b((?:the|those|these|our|your|their)\s+.*)$/i.exec(pick)?.[1] ?? pick;
    if (pick) return `${withParticle} ${pick}${restAfter}`;
  }
  return text;
}

const timeTail =
  /\s+(?:(?:by|before|on|until|for)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|tonight|the \w+|end of [\w ]+|next \w+)|today|tomorrow|tonight|this (?:afternoon|morning|evening|week)|right away|first thing|(?:some ?time|during) next week)\b.*$/i;

function actionText(raw: string): string {
  const cleaned = raw
    .replace(/\s+(?:so|so that|because|since|once)\s+.*$/i, '')
    .replace(timeTail, '')
    .replace(/,?\s*no (?:rush|hurry)\b.*$/i, '')
    .replace(/\b(send|email|give|forward|share|get)\s+you\s+/gi, '$1 ')
    .replace(/^(\w+(?: up| in| over| out)?)\s+you\s+/i, '$1 ')
    .replace(/\s+(?:to you|over to you|your way|to them)\b/gi, '')
    .replace(/[,\s]+$/, '')
    .trim();
  return cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
}

function findItems(sentences: Sentence[], input: AnalysisInput): ActionItem[] {
  const day = localDate(input.meeting.start_time, input.meeting.timezone);
  const atRisk = sentences.filter((s) => s.role === 'attendee' && riskCues.test(s.text)).length >= 2;
  const items: ActionItem[] = [];
  const turnsWithItems = new Set<number>();
  const add = (s: Sentence, raw: string, index: number) => {
    const before = sentences.slice(Math.max(0, index - 4), index);
    const text = actionText(resolve(actionText(raw), s, before));
    if (!taskVerbs.test(text) || notTasks.test(text) || text.split(' ').length < 2) return;
    if (items.some((i) => i.text.toLowerCase() === text.toLowerCase())) return;
    const rest = sentences.filter((c) => c.turn === s.turn && sentences.indexOf(c) > index);
    const prev = sentences.filter((c) => c.turn === s.turn - 1 && c.role !== s.role);
    const askedWithDate = prev.filter((c) => /\b(need|by|before|ideally|until)\b/i.test(c.text));
    const said =
      statedDue(s.text, input.meeting) ??
      rest.map((c) => statedDue(c.text, input.meeting)).find(Boolean) ??
      askedWithDate.map((c) => statedDue(c.text, input.meeting)).find(Boolean) ??
      inheritedDue(text, items);
    const priority = priorityOf(s, rest, atRisk);
    items.push({
      text: text.slice(0, 255),
      owner: s.role,
      priority,
      due: said ?? dueFromUrgency(day, priority),
      due_inferred: !said,
      quote: s.text,
    });
    turnsWithItems.add(s.turn);
  };
  sentences.forEach((s, index) => {
    if (
      /\?\s*$/.test(s.text) ||
      /^\s*if\b/i.test(s.text) ||
      /\b(won't|will not|can't|cannot|right now)\b/i.test(s.text)
    )
      return;
    const prevTurn = sentences.filter((c) => c.turn === s.turn - 1 && c.role !== s.role);
    const asked = prevTurn.map((c) => request.exec(c.text)).find(Boolean);
    for (const clause of s.text.split(/,\s+and\s+(?=(?:i|we|you|they)\b)|;\s+/i)) {
      // "I'll come back to you by Wednesday" after "Can you extend us sixty days at the current rate?".
      if (asked?.[1] && answerOwed.test(clause)) {
        if (!turnsWithItems.has(s.turn))
          add(s, `answer whether we can ${asked[1].replace(/^(\w+) us\b/i, '$1')}`, index);
        continue;
      }
      const p = patterns.find((x) => (!x.hostOnly || s.role === 'host') && x.re.test(clause));
      if (p) {
        add(s, p.make(p.re.exec(clause)!), index);
        continue;
      }
      // "Could you send me X?" — "Sure, I can pull that": the request is the task.
      if (asked?.[1] && takesOn.test(clause) && !turnsWithItems.has(s.turn)) {
        add(s, asked[1].replace(/^(\w+)\s+me\s+/i, '$1 '), index);
        continue;
      }
      const o = offer.exec(clause);
      const next = sentences.find((c) => c.turn === s.turn + 1);
      if (o?.[1] && next && next.role !== s.role && acceptance.test(next.text)) add(s, o[1], index);
    }
  });
  return merged(items, sentences);
}

/**
 * One commitment said twice ("I can put a quote together." … "I'll send the quote by Monday";
 * "I'll loop in our CFO, Mark Haddad." … "I'll talk to Mark today") is one task: the more
 * specific words, the date that was said. Same side, within three turns, sharing a name or
 * most of their words.
 */
function merged(items: ActionItem[], sentences: Sentence[]): ActionItem[] {
  const turnOf = (i: ActionItem) => sentences.find((s) => s.text === i.quote)?.turn ?? 0;
  const names = (t: string) =>
    new Set(
      [...t.matchAll(name)]
        .map((x) => x[1]!.split(' ')[0]!)
        .filter(
          (n) =>
            !/^(I|The|A|An|Send|Get|Set|Loop|Talk|Put|Find|Check|Ask|Give|Write|Take|Escalate|Include|Attach)$/.test(
              n,
            ),
        ),
    );
  const content = (t: string) =>
    new Set(
      t
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter((w) => w.length > 3),
    );
  const out: ActionItem[] = [];
  for (const item of items) {
    const twin = out.find((o) => {
      if (o.owner !== item.owner || Math.abs(turnOf(o) - turnOf(item)) > 3) return false;
      const shared = [...names(o.text)].some((n) => names(item.text).has(n));
      const a = content(o.text);
      const b = content(item.text);
      const common = [...a].filter(
        (w) => b.has(w) && /quote|proposal|contract|invite|deck|report|guide/.test(w),
      ).length;
      const makes = (t: string) => /^(send|put|prepare|draft|get|write)\b/i.test(t);
      return shared || (common > 0 && makes(o.text) && makes(item.text));
    });
    if (!twin) {
      out.push(item);
      continue;
    }
    const keepText = twin.text.length >= item.text.length ? twin.text : item.text;
    const dated = !twin.due_inferred ? twin : !item.due_inferred ? item : twin;
    Object.assign(twin, {
      text: keepText,
      due: dated.due,
      due_inferred: dated.due_inferred,
      quote: dated.quote,
    });
  }
  return out;
}

/** "…with the quote": a task that goes with another one is due with it. */
function inheritedDue(text: string, items: readonly ActionItem[]): string | undefined {
  const m = /\bwith the (\w+)/i.exec(text);
  if (!m) return undefined;
  return items.find((i) => !i.due_inferred && new RegExp(`\\b${m[1]}\\b`, 'i').test(i.text))?.due;
}

/** An account at risk of leaving. */
const riskCues =
  /\b(outages?|churn|cancel(?:led)? this call|not renew\w*|leaning towards|frustrat\w*|unacceptable|migrate away|switch(?:ing)? to)\b/i;

/** Commercial stakes make a task High; explicit urgency words decide first. */
const commercial =
  /\b(quote|proposal|pricing|price|rate|discount|contract|renewal|payment terms|net[- ](?:\d+|thirty|forty-five|sixty|ninety)|credit|invoice|approval|sign-?off|extension)\b/i;

function priorityOf(s: Sentence, rest: Sentence[], atRisk: boolean): Priority {
  const own = priorityFromText(s.text);
  if (own) return own;
  const after = rest.map((c) => priorityFromText(c.text)).find((x) => x === 'Low' || x === 'Highest');
  if (after) return after;
  if (commercial.test(s.text)) return 'High';
  // An account at risk: everything the seller owes it is urgent.
  if (atRisk && s.role === 'host') return 'High';
  return 'Normal';
}

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
