import type { ActionItem, AnalysisInput, Priority } from './analysis.ts';
import { dueFromUrgency, localDate, statedDue } from './due-dates.ts';
import type { Sentence } from './sentence.ts';
import { actionText, lemma, name, request, resolve } from './task-text.ts';
import { priorityFromText } from './urgency.ts';

// --- Commitments -----------------------------------------------------------------------

/** Verbs that make a task; "I'll think about it" or "we'll see" are not tasks. */
const taskVerbs =
  /^(send|share|set up|setup|schedule|book|put|prepare|draft|write|get|confirm|check|follow up|loop|introduce|escalate|attach|include|forward|email|call|ask|review|update|create|provide|organi[sz]e|arrange|find|give|talk|reach out|connect|sort out|run|hold|look into|dig into|pull|export|compile|circulate|sign|approve|push|take|raise|answer|come back|get back|have\s+(?:[\w']+\s+){1,4}?(?:send|call|email|contact|reach out|get in touch|follow up|book|set up|visit|pull|write|review|check|prepare|share|get|forward|look)|fix|retune|tune|adjust|configure|install|enable|deploy|test|complete|fill in|fill out|reserve|invite|contact|coordinate|print|ship|order|translate|map|document|record|load|upload|import|migrate|build|delete|remove|label|rerun|re-run|retrain)\b/i;
const notTasks =
  /\b(think about it|see how it goes|be in touch|talk soon|keep you posted|show you|walk you through|^have to\b|talk about|give you that|grant you that|share (?:my|the) screen|pull (?:it|that|this|them) up|bring (?:it|that|this) up|take a (?:quick )?look now|put (?:[\w'-]+ ){0,4}on (?:the |my )?screen|come back to (?!you\b)(?:[\w'-]+ ){1,3}at the end\b(?! of\b)|give (?:it|this|that) to you straight|^talk (?:pricing|prices?|numbers|money|terms|budgets?|contracts?|proposals?|commercials|details|next steps)\b|^take (?:the |a )?(?:metro|train|bus|taxi|cab|flight|plane|tram|subway|underground|ferry)(?:\s+(?:next time|home|back|instead|there)\b|\s*[,.!]?\s*$)|^give (?:you|your [\w'-]+|them|him|her) (?:a|an|one|two|three|a few|some) (?:couple of )?(?:days?|weeks?) to (?:check|review|look|think|decide|test|try|go through|digest|discuss)\b|give you (?:it )?straight|^get (?:straight )?to (?:it|the point)(?:,? then)?$|^(?:put|paste|drop|post|add|book|open|pull up)\b[^,;]*\b(?:(?:in|into) the chat|(?:right )?now)\s*$)/i;

const future = `(?:i|we)(?:'ll| will| am going to|'m going to| are going to|'re going to)`;
const participleBase: Record<string, string> = {
  deleted: 'delete',
  removed: 'remove',
  fixed: 'fix',
  installed: 'install',
  configured: 'configure',
  updated: 'update',
  translated: 'translate',
  reviewed: 'review',
  completed: 'complete',
  'cleaned up': 'clean up',
  wiped: 'wipe',
};
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
  // "I'll have Kevin reach out to you about that": someone the speaker names acts for them.
  {
    re: /\b(?:I|[Ww]e)(?:'ll| will)\s+(have\s+[A-Z][a-z]+\s+(?:reach out|get in touch|contact|follow up|set up|book|look into|check)\b.*)/,
    make: (m) => m[1]!,
  },
  // "I'll have the installer contact you next week to book the survey": someone on the speaker's side acts.
  {
    re: new RegExp(
      String.raw`\b${future}\s+(have\s+(?:the|our|my)\s+(?:\w+\s+){0,2}?\w+\s+(?:contact|call|email|reach out to|book|set up|visit|send|walk)\b.*)`,
      'i',
    ),
    make: (m) => m[1]!,
  },
  // "I'll have it to you by Monday" → "send it"; "I'll have the workspace connected by Thursday" → "get the workspace connected".
  {
    re: new RegExp(
      String.raw`\b${future}\s+have\s+(.+?)\s+(?:to you(?: both| all)?|over to you(?: both| all)?|for you|over)\b(.*)`,
      'i',
    ),
    make: (m) => `send ${m[1]}${m[2]}`,
  },
  {
    re: new RegExp(
      String.raw`\b${future}\s+have\s+(.+?\s+(?:connected|ready|set up|done|finished|sorted))\b(.*)`,
      'i',
    ),
    make: (m) => `get ${m[1]}${m[2]}`,
  },
  // "I'll have all the trial data deleted and send you…" → "delete all the trial data and send you…".
  {
    re: new RegExp(
      String.raw`\b${future}\s+have\s+((?:all\s+)?(?:the|your|our|their|its)\s+(?:[\w'-]+\s+){0,4}?)(deleted|removed|fixed|installed|configured|updated|translated|reviewed|completed|cleaned up|wiped)\b(.*)`,
      'i',
    ),
    make: (m) => `${participleBase[m[2]!.toLowerCase()] ?? m[2]} ${m[1]!.trim()}${m[3]}`,
  },
  // Host: "you'll have the revised proposal before the 15th"; "they'll have responses back to you by…".
  {
    re: /\b(?:you|they)(?:'ll| will)\s+have\s+(.*?)(?:\s+back)?(?:\s+to you)?(\s+(?:by|before|on)\b.*)?$/i,
    make: (m) => `send ${m[1]}${m[2] ?? ''}`,
    hostOnly: true,
  },
  // "Priya on my team will pull the report together", "our engineers will reach out": the
  // speaker's side acts, and the speaker answers for it.
  {
    re: /\b((?!(?:Someone|Somebody|Anyone|Anybody|Everyone|Everybody|Nobody|No one)\b)[A-Z][a-z]+\s+(?:on|from|in)\s+(?:my|our)\s+(?:team|side|end)|(?:[Oo]ur|[Mm]y)\s+(?:people|team|engineers|support team|support|[Cc][Tt][Oo]|[Cc][Ee][Oo]|[Cc][Ff][Oo]|[Cc][Ii][Oo]|[Cc][Oo][Oo]|legal team|partner|installer|implementation team))(?:\s+(?:will|is going to|are going to)|\s*'ll)\s+(\w[^.?!]*)/,
    make: (m) =>
      `have ${m[1]!
        .replace(/^Our\b/, 'our')
        .replace(/^My\b/, 'my')
        .replace(/\s+(?:on|from|in)\s+(?:my|our)\s+(?:team|side|end)$/, '')} ${m[2]}`,
  },
  // "I'm escalating this to our VP today" → "escalate this to our VP today".
  {
    // Not "I'm sharing now" (the screen, on the call).
    re: /\bi'm\s+(escalating|sending|setting up|scheduling|booking|preparing|drafting|writing|looping in|forwarding|sharing)\s+(?!now\b|my screen\b|it now\b)(.*)/i,
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
      // Not "let me share the project plan" (on the screen, now) nor "I need to check with our
      // platform team" (what the speaker does not know yet, not a promise).
      String.raw`\b(?:${future}|let me(?!\s+(?:just\s+|quickly\s+)?(?:share|show|pull up|bring up)\b(?![^.?!]*\b(?:after|later|tomorrow|tonight|by|once)\b))|i need to(?!\s+(?:check|verify|see|find out|double-check|look into)\b(?![^.?!]*\b(?:and|then)\s+(?:i'll\s+)?(?:send|share|get back|come back|confirm|let you know)\b)))\s+(?:also\s+|then\s+|just\s+|definitely\s+|personally\s+)*(\w[^.?!]*)`,
      'i',
    ),
    make: (m) => m[1]!,
  },
];

/** The other side's answer turning an offer down. */
const declined =
  /^(?:no need|no,? thanks?|no thank you|not necessary|(?:that's|it's) not necessary|don't worry|please don't|no,? (?:please )?hold off|hold off|(?:that's|it's) ok(?:ay)?,? (?:we|i)|we're (?:fine|good|ok)|we (?:don't|won't) need)\b/i;

/** A commitment hedged or made conditional: not a task. */
const hedged =
  /\b(might|maybe|perhaps|possibly|not sure|(?:i|we)(?:'d| would) have to|if (?:i|we) get (?:a|the) chance|if (?:i|we) (?:have|find) (?:the )?time|we'll see|(?<!\band |\bknow |\bwhether )if (?:there is|there's) a need|(?<!\band )if (?:needed|necessary|required)|(?<!\band )if (?:anything|something) changes)\b/i;

/** A task whose object is still only a pronoun or a quantity once pronouns were replaced. */
const unnamed =
  /^(?!(?:loop|call|ask|email|invite|contact|introduce|connect|cc|copy|ring|phone)\b)\w+(?:\s+(?:up|in|over|out|across|back|on))?\s+(?:it|that|this|them|one|a lot|now|some|more|those|these)(?:\s+(?:up|in|over|out|across|back|on|through))?$/i;

/** A task whose object is only a pronoun: "connect you", "do that", "sort it". */
const bareObject = /^\w+(?:\s+(?:up|in|over|out))?\s+(?:you|it|that|this|them)\s*(?:,.*)?$/i;

/**
 * A request as the task of whoever takes it on: "put me in touch with him" from Sophie, naming
 * Marco just before, is "put Sophie in touch with Marco".
 */
function inTheirWords(asked: string, askedIn: readonly Sentence[]): string {
  const asker = askedIn[0]?.speaker.split(' ')[0];
  const named = askedIn
    .flatMap((c) => [...c.text.matchAll(name)].map((x) => x[1]!).filter((n) => !c.text.startsWith(n)))
    .filter((n) => !askedIn.some((c) => c.speaker.includes(n)));
  return asked.replace(/\bme\b/gi, asker ?? 'me').replace(/\b(him|her)\b/gi, (m) => named.at(-1) ?? m);
}

/** "Sure", "I can pull that", "Will do": an answer that takes on what the other side asked. */
const takesOn =
  /^(sure|yes|of course|will do|happy to|absolutely|no problem|i can|leave it with me|consider it done|on it|(?:i|we)(?:'ll| will) (?:take care of|handle|sort) (?:it|that|this)|we can get (?:that|it|those) (?:over )?to you)\b/i;
/** "I'll let you know", "I'll come back to you": an answer owed on what was asked. */
const answerOwed = new RegExp(
  String.raw`\b(?:${future})\s+(?:let you know|come back to you|get back to you)\b`,
  'i',
);
/** An offer from one side accepted by the other: "I can put a quote together." — "Please do." */
const offer = /\b(?:i|we) can\s+(\w[^.?!]*)/i;
const acceptance =
  /^(please do|yes,? please|that would be (great|helpful)|sounds good|perfect|great,? thanks|yes)\b/i;

export function findItems(sentences: Sentence[], input: AnalysisInput): ActionItem[] {
  const day = localDate(input.meeting.start_time, input.meeting.timezone);
  const atRisk = sentences.filter((s) => s.role === 'attendee' && riskCues.test(s.text)).length >= 2;
  const items: ActionItem[] = [];
  const turnsWithItems = new Set<number>();
  const add = (s: Sentence, raw: string, index: number) => {
    // "I'll send you a summary." — "No need, thanks.": declined, not a task.
    const reply = sentences.find((c) => c.turn > s.turn && c.role !== s.role);
    if (reply && reply.turn === s.turn + 1 && declined.test(reply.text)) return;
    const before = sentences.slice(Math.max(0, index - 4), index);
    // "I'll call you Monday": the other side, by name.
    const other = [...sentences.slice(0, index)]
      .reverse()
      .find((c) => c.role !== s.role)
      ?.speaker.split(' ')[0];
    const named = other
      ? raw
          .replace(/^(call|email|phone|ring|contact|visit|text|message)\s+you\b/i, `$1 ${other}`)
          .replace(
            /^(have\s+[A-Z][a-z]+\s+(?:reach out to|get in touch with|follow up with|contact|call|email))\s+you(?:\s+(?:both|all))?\b/,
            `$1 ${other}`,
          )
      : raw;
    const plain = actionText(named);
    // "I'll take it, ruder or not": accepting, not a task.
    if (/^(?:take|do|handle|manage)\s+(?:it|that|this)\s*(?:,.*)?$/i.test(plain)) return;
    const text = actionText(resolve(plain, s, before));
    if (!taskVerbs.test(text) || notTasks.test(text) || notTasks.test(raw) || text.split(' ').length < 2)
      return;
    // "Send it", "Send one", "Share now": what it stands for was not found — a Task that says
    // nothing is noise in the CRM, left out.
    if (unnamed.test(text)) return;
    if (items.some((i) => i.text.toLowerCase() === text.toLowerCase())) return;
    const rest = sentences.filter((c) => c.turn === s.turn && sentences.indexOf(c) > index);
    const prev = sentences.filter((c) => c.turn === s.turn - 1 && c.role !== s.role);
    // The other side's date counts when they asked for something by it ("Could you send it by
    // Friday?", "We need it before the board"), not when they only said a date of their own.
    const askedWithDate = prev.filter(
      (c) =>
        /\b(need|by|before|ideally|until)\b/i.test(c.text) &&
        (/\?\s*$/.test(c.text) || /\b(need|please|could you|can you|would you|ideally)\b/i.test(c.text)),
    );
    const said =
      statedDue(s.text, input.meeting) ??
      rest.map((c) => statedDue(c.text, input.meeting)).find(Boolean) ??
      askedWithDate.map((c) => statedDue(c.text, input.meeting)).find(Boolean) ??
      inheritedDue(text, items);
    // "Is it urgent?" — "No, no rush.": the other side's answer says how urgent.
    const answer = rest.some((c) => urgencyQuestion.test(c.text))
      ? sentences.filter((c) => c.turn === s.turn + 1 && c.role !== s.role)
      : [];
    // The request's urgency counts for the task it asked for: the sentence sharing its words.
    const topic = new Set(text.toLowerCase().match(/[a-z][a-z-]{3,}/g) ?? []);
    // ("…can you send me the roadmap? Not urgent, I'm just curious": the next sentence too).
    const shares = (c: Sentence) =>
      (c.text.toLowerCase().match(/[a-z][a-z-]{3,}/g) ?? []).some((w) => topic.has(w));
    const askedFor = prev.some(requesting)
      ? prev.filter((c, i) => shares(c) || (i > 0 && shares(prev[i - 1]!)))
      : [];
    const priority = priorityOf(s, rest, answer, askedFor, atRisk);
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
    if (/\?\s*$/.test(s.text) || /^\s*if\b/i.test(s.text)) return;
    const prevTurn = sentences.filter((c) => c.turn === s.turn - 1 && c.role !== s.role);
    const asked = prevTurn.map((c) => request.exec(c.text)).find(Boolean);
    const clauses = s.text.split(/,\s+(?:and|then|and then|but)\s+(?=(?:i|we|you|they)\b)|;\s+/i);
    // "Yes, I hear you, but we can't share the source code": the "yes" does not take the request on.
    const refused = clauses.some(refuses);
    for (const [c, clause] of clauses.entries()) {
      // "I might be able to dig up the old RFP", "maybe I'll loop in legal": hedged, not taken on.
      if (hedged.test(clause)) continue;
      // "Send it Monday instead, then I can put it in front of my leads": what the other side's
      // task lets the speaker do, not a promise.
      if (
        c > 0 &&
        /^(?:i|we) can\b/i.test(clause) &&
        /,\s+then\s+$/i.test(s.text.slice(0, s.text.indexOf(clause))) &&
        taskVerbs.test(clauses[0]!)
      )
        continue;
      // "I can't give you the number on the call, but I'll send a revised proposal": only the
      // refused or in-call part is left out.
      if (refuses(clause)) continue;
      // "I'll come back to you by Wednesday" after "Can you extend us sixty days at the current rate?".
      if (asked?.[1] && answerOwed.test(clause)) {
        if (!turnsWithItems.has(s.turn))
          add(s, `answer whether we can ${asked[1].replace(/^(\w+) us\b/i, '$1')}`, index);
        continue;
      }
      const p = patterns.find((x) => (!x.hostOnly || s.role === 'host') && x.re.test(clause));
      if (p) {
        const made = p.make(p.re.exec(clause)!);
        // "Yes, I'll connect you." after "Could you put me in touch with him?": the request says what.
        add(s, asked?.[1] && bareObject.test(made) ? inTheirWords(asked[1], prevTurn) : made, index);
        continue;
      }
      // "Could you send me X?" — "Sure, I can pull that": the request is the task.
      if (asked?.[1] && !refused && takesOn.test(clause) && !turnsWithItems.has(s.turn)) {
        add(s, asked[1].replace(/^(\w+)\s+me\s+/i, '$1 '), index);
        continue;
      }
      const o = offer.exec(clause);
      const next = sentences.find((c) => c.turn === s.turn + 1);
      if (o?.[1] && !refused && next && next.role !== s.role && acceptance.test(next.text))
        add(s, o[1], index);
    }
  });
  return merged(items, sentences);
}

/** Amounts of something ("50-seat", "80 users", "15%"), not dates: what tells two sizes apart. */
const quantities = (t: string) =>
  new Set(
    [
      ...t.matchAll(
        /\b(\d+)(?:%|(?:-|\s)(?:seats?|users?|licen[cs]es?|sites?|depots?|stores?|clinics?|locations?|branches|plants?|warehouses?|trucks?|vehicles?|devices?|units?|months?|years?)\b)/gi,
      ),
    ].map((m) => m[0]!.toLowerCase().replace(/\s+/, '-')),
  );

/** Words any task may have, and vague words for a document ("whatever you have on…"). */
const generic =
  /^(?:the|a|an|to|of|for|on|in|at|by|and|or|it|its|is|be|me|us|you|that|this|those|these|them|they|with|from|your|our|my|their|have|has|what|whatever|which|about|over|back|into|up|out|will|would|could|should|when|then|after|before|next|week|today|tomorrow|monday|tuesday|wednesday|thursday|friday|morning|afternoon|evening|end|also|just|some|any|more|documentation|document|documents|info|information|material|materials|stuff|details|guide|copy)$/;

/**
 * One commitment said twice ("I can put a quote together." … "I'll send the quote by Monday";
 * "I'll loop in our CFO, Mark Haddad." … "I'll talk to Mark today") is one task: the more
 * specific words, the date that was said. Same side, and either within three turns sharing a
 * name or a document, or anywhere in the meeting the same act on the same thing.
 */
function merged(items: ActionItem[], sentences: Sentence[]): ActionItem[] {
  const turnOf = (i: ActionItem) => sentences.find((s) => s.text === i.quote)?.turn ?? 0;
  const names = (t: string) =>
    new Set(
      [...t.matchAll(name)]
        .map((x) => x[1]!.split(' ')[0]!)
        .filter(
          (n) =>
            !/^(I|The|A|An|Send|Get|Set|Loop|Talk|Put|Find|Check|Ask|Give|Write|Take|Escalate|Include|Attach|Have|Call|Confirm|Share|Review)$/.test(
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
  // The words that say what a task is about: not its verb, nor the people on the call (a name
  // the analyser put in for "you"), nor words any task has. Short words count: "one" and "three"
  // years, the CFO.
  const speakers = new Set(sentences.flatMap((x) => x.speaker.toLowerCase().split(/\s+/)));
  const about = (t: string) =>
    new Set(
      t
        .toLowerCase()
        .replace(/^\S+\s*/, '')
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length > 1 && !generic.test(w) && !speakers.has(w)),
    );
  const verbOf = (t: string) => {
    const v = t.toLowerCase().split(/\s+/)[0] ?? '';
    return /^(?:send|share|email|forward|get|give|provide)$/.test(v) ? 'send' : v;
  };
  const out: ActionItem[] = [];
  for (const item of items) {
    const twin = out.find((o) => {
      if (o.owner !== item.owner) return false;
      // "Send whatever documentation you have on offline mode" … "so, to sum up: I'll send the
      // offline mode guide": the same thing asked for again, however far apart — the same kind of
      // act, and all that one says it is about is in the other (not the pricing for Berlin and
      // for Munich, a quote for fifty seats and for eighty, an invite for the demo and for the
      // security review).
      const a0 = about(o.text);
      const b0 = about(item.text);
      const [small, large] = a0.size <= b0.size ? [a0, b0] : [b0, a0];
      if (verbOf(o.text) === verbOf(item.text) && small.size >= 2 && [...small].every((w) => large.has(w)))
        return true;
      if (Math.abs(turnOf(o) - turnOf(item)) > 3) return false;
      // Two sizes of one document are two documents: "the 50-seat quote" and "the 80-seat quote".
      const qa = quantities(o.text);
      const qb = quantities(item.text);
      if (qa.size > 0 && qb.size > 0 && ![...qa].some((q) => qb.has(q))) return false;
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

/** A clause refusing, or about the call itself ("right now"): not a task. */
const refuses = (c: string) => /\b(won't|will not|can't|cannot|right now)\b/i.test(c);

const urgencyQuestion = /\b(?:urgent|when do you need|by when|how soon|priority)\b.*\?\s*$/i;

/** A request or a need: "Could you…?", "I need…", "please…". */
const requesting = (c: Sentence) =>
  /\?\s*$/.test(c.text) || /\b(need|want|please|could you|can you|would you)\b/i.test(c.text);

/** Commercial stakes make a task High; explicit urgency words decide first. */
const commercial =
  /\b(quote|proposal|pricing|price|rate|discount|contract|renewal|payment terms|net[- ](?:\d+|thirty|forty-five|sixty|ninety)|credit|invoice|approval|sign-?off|extension)\b/i;

function priorityOf(
  s: Sentence,
  rest: Sentence[],
  answer: Sentence[],
  asked: Sentence[],
  atRisk: boolean,
): Priority {
  const own = priorityFromText(s.text);
  if (own) return own;
  const answered = answer.map((c) => priorityFromText(c.text)).find(Boolean);
  if (answered) return answered;
  // "Is it urgent?" asks; it does not say.
  const after = rest
    .filter((c) => !/\?\s*$/.test(c.text))
    .map((c) => priorityFromText(c.text))
    .find((x) => x === 'Low' || x === 'Highest');
  if (after) return after;
  // The urgency of what the other side asked for: "Number one, before anything else: a written
  // root-cause report." — "I'll write it myself."
  const wanted = asked.map((c) => priorityFromText(c.text)).find(Boolean);
  if (wanted) return wanted;
  // The seller's commercial paperwork is what moves the deal; the buyer passing it on internally
  // ("I'll take the proposal to our finance manager") is ordinary work.
  if (commercial.test(s.text) && s.role === 'host') return 'High';
  // An account at risk: everything the seller owes it is urgent.
  if (atRisk && s.role === 'host') return 'High';
  return 'Normal';
}
