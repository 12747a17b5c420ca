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
import { foldName, kindOfStage, outcomeKinds, type StageKind } from './stages.ts';
import { intentFrom, says, sentimentFrom, type ToneSignals, toneSignals } from './tone.ts';

/**
 * The offline analyser: the baseline used when no OpenAI key is configured or OpenAI fails.
 * wink-nlp splits sentences and scores their sentiment; chrono-node reads dates
 * (due-dates.ts); explicit rules find commitments ("I'll send…", "we will…", "let me…", an
 * offer accepted with "please do"), urgency and the pipeline stage the words point to;
 * tone.ts reads the buyer's sentiment and intent. It reads no more than the words say: no
 * model, no guessing of meaning. Its scores on the labelled fixtures are in docs/ANALYSIS.md.
 */

// --- Stage ------------------------------------------------------------------------------

/**
 * What the meeting's words point to, by kind of stage (stages.ts reads the pipeline's names,
 * whatever their language). Forward cues say a step is under way or asked for.
 */
/** "…my planners and the supervisors to see it": the people who will use it, to see it (not again). */
const theTeamToSeeIt = String.raw`(my|our|the) (\S+ ){0,5}(team|people|staff|managers|supervisors|leads|users|colleagues|planners|nurses|technicians|engineers|operators|drivers|agents|dispatchers)\b(\s+\S+){0,4} to see it\b(?!\s+again)`;

const forwardCues: Array<{ kind: StageKind; cue: RegExp }> = [
  {
    kind: 'negotiation',
    // Bargaining on the price: "twenty-four hundred with twelve percent off".
    cue: /\b(redlines?|negotiat\w*|counter-?offer|payment terms|net-\d+|liability cap|msa|match (their|the) (price|bid)|discount\b|((\d+\s?%)|\w+(-\w+)? percent) off(?=\s*([.,;!?]|$|(the |our |your )?(price|list|licen[cs]es?|quote|fees?|seats?|subscription|renewal|total)\b)))/i,
  },
  {
    kind: 'contract',
    // The paperwork of a deal agreed: the contract to sign, a verbal yes given ("they gave us the
    // green light"), the buyer's template contract, supplier set-up, an insurance certificate. Not
    // a DPA or "our procurement process": buyers ask about those from the first call.
    cue: /\b(send (you |over )?the contract|ready to sign|(price|prices|offer|quote|proposal|terms|that) (is|are) accepted|(want|ready|decided) to (proceed|go ahead)(?![^.;]*\b(pilot|trial|poc|proof of concept|test|demo|workshop|review|evaluation)\b)|(we )?accept (the|your) (offer|prices?|quote|proposal|terms)|signature|docusign|order form|(gave|given|got|have|has) (us |you )?the (green light|go-ahead)|verbal (yes|commit\w*)|(your|our|their|the) (template|standard) (contract|agreement)|(supplier|vendor) (set-?up|onboarding|registration)|insurance certificate)\b|\b(something|anything|whatever) (i|we) (can|need to|have to) sign\b|\b(then |so )?(we're|we are) agreed(?=\s*[.!]?\s*$)|\b(lawyers?|law firm|legal (team|department|counsel)|counsel)\b[^.?!]{0,40}\b(will|would|must|need to|want to|have to)\b[^.?!]*\b(see|review|look at|go through|read) (your|the) (terms|contract|agreement|main agreement|t&cs)\b|\b(signed|sign anything|signs anything)\b[^.?!]*\bwithout (the |our )?(lawyers|legal)\b|\breview it with your legal\b|\b(from here|from now on|now)\b[^.?!]{0,40}\b(purchasing|procurement)\b[^.?!]{0,20}\btakes? over\b|\b(handed|passed) (it |this |the project )?(over )?to (purchasing|procurement)\b|\bwe use our own (\S+ ){0,3}(contract|agreement)\b/i,
  },
  {
    kind: 'proposal',
    cue: /\b((formal|renewal|revised|commercial|written) )?(quote|quotation|proposal|offer)\b|\bpricing for \d+|\bprice (it|this|that) (out|up)\b/i,
  },
  {
    kind: 'decision',
    cue: /\b(decision makers?|business case|sign-?off|steering (committee|group)|board approval)\b/i,
  },
  {
    kind: 'evaluation',
    // Or a trial in plain words: "put two of our teams on it for a month", "at the end of the
    // month, how will you decide?".
    cue: /\b(trial|pilot|proof of concept|poc|sandbox|security (review|questionnaire)|pen test|soc ?2)\b|\bon it for (a|one|two|three|four|six|\d+) (weeks?|months?)\b|\bat the end of the (month|trial|test|pilot)\b[^.?!]*\b(decide|decision|measure|judge)\b/i,
  },
  {
    kind: 'demo',
    // Or showing it to the people who will use it: "I want the supervisors to see it", "show them
    // their own packhouse".
    cue: new RegExp(
      String.raw`\b(demo|walk-?through|presentation)\b|\b(want|need|like) ${theTeamToSeeIt}|\bshow them their own\b`,
      'i',
    ),
  },
  {
    kind: 'discovery',
    cue: /\b(budget|pain(ful)?|problem|go-live|live before|decision maker|who decides|requirements?|double-booked)\b/i,
  },
];

/** The deal was signed: said as done, not as a plan ("we signed the order form this morning"). */
const signedCue =
  /\b(signed|countersigned|executed)\b(?!\s+off\b)(?:\s+\S+){0,3}?\s+(contract|agreement|order form|order|purchase order|po|msa|deal|paperwork|quote|offer|proposal)\b|\b(contract|agreement|order form|paperwork|purchase order)\s+(is|was|has been|came back|went out)\s+(signed|countersigned|executed|issued)\b|\bwelcome aboard\b/i;
const notYet =
  /\b(will|going to|once|before|after|when|if|until|ready to|need to|needs to|have to|has to|about to|to be|not|haven't|hasn't|yet)\b/i;
/** Signed long ago, or with someone else: "we signed a contract with Orbe back in 2021". */
const signedElsewhere =
  /\b(?:back in|years? ago|last year|in (?:19|20)\d\d)\b|\bsigned\b.*\bwith (?!you\b|your\b|us\b)/i;

/** The deal goes back a step: the scope starts over, or an evaluation has to be run again. */
/** `only`: go back only to a stage of the kind so named; `avoid`: never to one so named. */
const backCues: Array<{ kind: StageKind; cue: RegExp; only?: RegExp; avoid?: RegExp }> = [
  {
    kind: 'discovery',
    cue: /\b(start(ing)? (over|again|from scratch)|back to (the )?(drawing board|square one|discovery|requirements)|re-?scop\w*|redo (the )?(discovery|requirements|scoping)|(requirements|scope) (have|has) (changed|shifted|grown|moved)|changed (the|our) (scope|requirements)|new (set of )?requirements|(rethink|revisit|re-?define) (the|our) (requirements|scope|needs))\b/i,
  },
  {
    // The security review turned up gaps: nothing signed until security signs off.
    kind: 'evaluation',
    cue: /\b(security (team|review|assessment) (found|flagged|raised|turned up)|(gaps|findings) (in|from) (the|our|your) security|until (our |the )?(security|ciso|infosec)( team)? (signs? off|approves?|is satisfied)|security (review|assessment) (failed|didn't pass|did not pass))\b/i,
    only: /secur/,
  },
  {
    kind: 'evaluation',
    avoid: /secur/,
    cue: /\b((pilot|trial|poc|test)s? (failed|didn't (work|pass)|did not (work|pass))|(extend|rerun|re-?run|repeat|redo|restart) (the )?(pilot|trial|poc|test)|(second|another|new|longer) (round of )?(pilot|trial|poc)|(results|numbers|counts|data) (don't|didn't|do not|did not) (match|line up|add up|hold up))\b/i,
  },
  {
    kind: 'proposal',
    cue: /\b(re-?quote|new (proposal|quote|offer)|rework (the )?(proposal|quote|offer))\b/i,
  },
  {
    // The architecture has to be designed and approved again before anything is signed.
    kind: 'evaluation',
    cue: /\b(until (group |our |the )?(it|architecture|security)( team)? (has |have )?approved the architecture|architecture (review|approval|(is|has been|gets) approved)|(it's|it is) a technical review)\b/i,
    avoid: /secur/,
  },
  {
    // The demo failed in front of the buyer and has to be done again.
    kind: 'demo',
    cue: /\b((new|another|second|re-?) ?demo|demo (again|failed|broke|crashed|didn't work|did not work)|(can|could) we (do|run|see) (this|it|the demo) again)\b/i,
  },
];

/** The buyer chose another vendor, or stays with the one they have. */
const rivalChosen =
  /\b(?:another (?:vendor|supplier|provider|company|partner|solution|tool|platform|bidder|respondent|tenderer)|someone else|a competitor|the incumbent|a local (?:vendor|supplier|provider|company|rival|competitor)|(?:stay|stick|remain|staying|sticking) with (?!what we have\b|our (?:own|spreadsheets?|excel)\b|excel\b|spreadsheets?\b|paper\b)|awarded (?:it |the \w+ )?to (?!you\b|your\b|us\b)|(?:went|signed|going|go) with (?!you\b|your\b|us\b|the (?:annual|monthly|\w+ly) plan\b))/i;
const rivalStage = /compet|konkurren|konkuren|concorren|concurren|concuren|kilpailij|rival/i;

/** The buyer asks for a quote or proposal ("So I want the renewal quote", "send us a proposal"). */
const proposalAsked =
  /\b(?:want|need|like|send|get|see|have|put together|prepare|looking forward to)\b(?:\s+\S+){0,4}?\s+(?:quote|quotation|proposal|offer)\b/i;

const statement = (s: Sentence) => !s.text.trim().endsWith('?');

/** An NDA is signed before anything else: no sign of the deal's paperwork. */
const ndaOnly = /\b(nda|non-disclosure|confidentiality agreement)\b/i;

/**
 * The buyer asking for a step outright, in plain words: what the proposal's "send me the quote"
 * is for the other steps (it weighs twice).
 */
const stepAsked: Partial<Record<StageKind, RegExp>> = {
  contract: /\bsend (me|us) (something|whatever|what|the things?) (i|we) (can |need to |have to )?sign\b/i,
  evaluation:
    /\blet(')?s (put|get|run|try) [^,.;!?]{0,40}\bon it for (a|one|two|three|four|six|\d+) (weeks?|months?)\b/i,
  demo: new RegExp(String.raw`\b(i|we) (want|need|would like) ${theTeamToSeeIt}`, 'i'),
};

/** Up to three quotes as evidence: statements before questions, the buyer's first. */
const evidenceOf = (hits: Sentence[]) =>
  [
    ...hits.filter((h) => statement(h) && h.role === 'attendee'),
    ...hits.filter((h) => statement(h) && h.role !== 'attendee'),
    ...hits.filter((h) => !statement(h)),
  ]
    .slice(0, 3)
    .map((h) => h.text);

function stageOf(
  sentences: Sentence[],
  input: AnalysisInput,
  tone: ToneSignals,
): Analysis['stage_suggestion'] {
  const p = input.pipeline;
  if (!p?.stages.length) return null;
  const current = p.current_stage ?? p.stages[0]!;
  const at = p.stages.indexOf(current);
  const kinds = p.stages.map(kindOfStage);
  const stageOfKind = (kind: StageKind) => {
    const i = kinds.indexOf(kind);
    return i < 0 ? undefined : { name: p.stages[i]!, index: i };
  };
  const currentKind = kinds[at];
  /**
   * Going back: the nearest stage of the kind before the current one, among those named `only`
   * (none when the deal is already in such a stage) and not named `avoid`.
   */
  const earlierOfKind = (kind: StageKind, only?: RegExp, avoid?: RegExp) => {
    const named = (j: number) => foldName(p.stages[j]!);
    if (only?.test(named(at))) return undefined;
    const i = kinds
      .flatMap((k, j) => (k === kind && j < at ? [j] : []))
      .filter((j) => (!only || only.test(named(j))) && !avoid?.test(named(j)))
      .at(-1);
    return i === undefined ? undefined : { name: p.stages[i]!, index: i };
  };
  const suggest = (name: string, confidence: number, rationale: string, hits: Sentence[]) =>
    name === current ? null : { stage: name, confidence, rationale, evidence: evidenceOf(hits) };

  // Lost to someone else goes to a lost stage named for it ("Closed Lost to Competition") when the
  // pipeline has one.
  const lostToRival = p.stages.findIndex((name, i) => kinds[i] === 'lost' && rivalStage.test(foldName(name)));
  // Otherwise the lost stage that does not name a rival, wherever it stands in the pipeline.
  // A "No Decision" stage is for deals that died undecided: a decision against is the other one.
  const plainLostOf = (undecided: boolean) =>
    p.stages.findIndex(
      (name, i) =>
        kinds[i] === 'lost' &&
        !rivalStage.test(foldName(name)) &&
        (undecided || !/\bno decision\b/.test(foldName(name))),
    );
  const decidedLost = plainLostOf(false);
  const plainLost = decidedLost >= 0 ? decidedLost : plainLostOf(true);
  const lostAny = plainLost >= 0 ? { name: p.stages[plainLost]!, index: plainLost } : stageOfKind('lost');
  // The buyer ends the evaluation, or calls the project itself off.
  const rejected = sentences.filter(
    (s) => s.role === 'attendee' && (tone.rejection.includes(s.text) || tone.cancelled.includes(s.text)),
  );

  // Won: the deal was signed, sentences as done — never when the buyer also ended the evaluation (then
  // what was signed is someone else's contract: "we signed a renewal with our current vendor").
  const won = stageOfKind('won');
  const signed = sentences.filter(
    (s) => signedCue.test(s.text) && !notYet.test(s.text) && !signedElsewhere.test(s.text),
  );
  const wonMove =
    won &&
    signed.length >= 1 &&
    rejected.length === 0 &&
    suggest(
      won.name,
      signed.length >= 2 ? 0.85 : 0.75,
      `The buyer signed: ${signed.length === 1 ? 'one statement says so' : `${signed.length} statements say so`}.`,
      signed,
    );
  if (wonMove) return wonMove;

  const toRival = rejected.some((r) => rivalChosen.test(r.text));
  const lost = toRival && lostToRival >= 0 ? { name: p.stages[lostToRival]!, index: lostToRival } : lostAny;
  // Lost: the buyer ends the evaluation or chose someone else, and does not also ask to buy.
  if (lost && rejected.length >= 1 && (rejected.length >= 2 || tone.buying.length <= 1)) {
    const move = suggest(
      lost.name,
      rejected.length >= 2 ? 0.8 : 0.7,
      'The buyer ended the evaluation.',
      rejected,
    );
    if (move) return move;
  }

  // Parked: friendly, but not now — when the pipeline has a stage for it.
  const hold = stageOfKind('hold');
  const deferred = sentences.filter((s) => s.role === 'attendee' && tone.deferral.includes(s.text));
  if (
    hold &&
    currentKind !== 'hold' &&
    deferred.length >= 2 &&
    tone.buying.length <= 1 &&
    rejected.length === 0
  ) {
    const move = suggest(hold.name, 0.65, 'The buyer put the purchase off for now.', deferred);
    if (move) return move;
  }

  // Back a step: the scope starts over, or the evaluation must be run again. Two statements make
  // the move; one is kept for when nothing points forward.
  let back: NonNullable<Analysis['stage_suggestion']> | undefined;
  for (const { kind, cue, only, avoid } of backCues) {
    const target = earlierOfKind(kind, only, avoid);
    if (!target || outcomeKinds.has(currentKind ?? 'qualify')) continue;
    const hits = sentences.filter((s) => says(s.text, cue, true));
    const move =
      hits.length >= 1 &&
      suggest(target.name, hits.length >= 2 ? 0.65 : 0.55, `The deal goes back to “${target.name}”.`, hits);
    if (move && hits.length >= 2) return move;
    if (move && !back) back = move;
  }

  // Forward: the kind of step the most statements point to, after the current one.
  let best: { name: string; index: number; hits: Sentence[]; weight: number } | undefined;
  for (const { kind, cue } of forwardCues) {
    const target = stageOfKind(kind);
    if (!target || target.index <= at || outcomeKinds.has(currentKind ?? 'qualify')) continue;
    // A negated or conditional mention ("we're not at the negotiating stage", "if a quote
    // arrives without a business case…") is not that step.
    // A question about the paperwork ("what does your procurement look like?") is not that step.
    // Nor the seller's question ("I could write up a pilot outline?"): what the seller offers
    // is not the buyer's step.
    const hits = sentences.filter(
      (s) =>
        says(s.text, cue, true) &&
        (kind !== 'contract' || (statement(s) && !ndaOnly.test(s.text))) &&
        (s.role === 'attendee' || statement(s)),
    );
    // The buyer asking for the quote or proposal is the step itself: it weighs twice.
    const asked =
      kind === 'proposal'
        ? sentences.filter((s) => s.role === 'attendee' && says(s.text, proposalAsked, true))
        : [];
    // So does the buyer asking for another step outright ("let's put two of our teams on it for a
    // month", "send me something I can sign").
    const stepCue = stepAsked[kind];
    const askedFor = stepCue
      ? hits.filter((s) => s.role === 'attendee' && statement(s) && says(s.text, stepCue, true))
      : [];
    const all = [...new Set([...hits, ...asked])];
    const weight = hits.length + asked.length + askedFor.length;
    // Two statements' weight at least: one mention is not a move.
    // On a tie, the nearer step: the smaller claim.
    if (
      weight >= 2 &&
      (!best || weight > best.weight || (weight === best.weight && target.index < best.index))
    )
      best = { ...target, hits: all, weight };
  }
  if (back && !best) return back;
  if (best)
    return {
      stage: best.name,
      confidence: Math.min(0.8, 0.4 + 0.1 * best.weight),
      rationale: `${best.hits.length === 1 ? 'The buyer asked for it' : `${best.hits.length} statements point to “${best.name}”`}.`,
      evidence: evidenceOf(best.hits),
    };
  return {
    stage: current,
    confidence: 0.5,
    rationale: 'Nothing said in the meeting points to another stage.',
    evidence: [],
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
        stage_suggestion: stageOf(sentences, input, tone),
      };
    },
  };
}
