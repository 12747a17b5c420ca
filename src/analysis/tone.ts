import type { Analysis } from './analysis.ts';

/**
 * The buyer's sentiment and intent, read from the attendee side's sentences only (the seller's
 * enthusiasm says nothing about the buyer). Signals are kinds of things buyers say in any sales
 * call — praise, complaints and objections, ending the evaluation, polite deferral, buying
 * signals, engagement — not phrases from particular meetings; wink-nlp's sentence sentiment
 * decides only when none of them was said.
 */
export interface ToneSentence {
  text: string;
  role: 'host' | 'attendee';
  /** wink-nlp's sentence sentiment, -1 to 1. */
  sentiment: number;
  speaker?: string | undefined;
}

export interface ToneSignals {
  /** Liking the product, the fit or the outcome ("exactly what we need", "we love the reports"). */
  praise: string[];
  /** Complaints and objections with their strength: 2 for anger, failure or a threat to leave, 1 for a commercial or practical objection. */
  complaints: Array<{ text: string; weight: number }>;
  /** The buyer ends the evaluation or chose someone else. */
  rejection: string[];
  /** The buyer's project itself is called off (a kind of rejection). */
  cancelled: string[];
  /** Polite deferral: interested "some day", not now. */
  deferral: string[];
  /** Phrases moving towards a purchase: asks for price or paperwork, wants to start, sign, renew, trial; involves who approves. */
  buying: string[];
  /** Taking part: commits to a task or a date, agrees to the next meeting. */
  engagement: string[];
  /** Mean wink-nlp sentiment of the buyer's sentences that are more than courtesy. */
  mood: number;
  /** The seller apologised for a failure ("I apologise for the outage"). */
  apologies: string[];
  /** The buyer's side disagrees: one person only praised, another only complained. */
  divided: boolean;
}

/** One case-insensitive pattern from alternatives, each matched as whole words. */
const cues = (...alternatives: string[]) => new RegExp(String.raw`\b(?:${alternatives.join('|')})\b`, 'i');

/** Liking the product, the fit or the outcome. */
const praise = cues(
  'lov(?:e|ed|es|ing)',
  'excit(?:ed|ing)',
  'impress(?:ed|ive)',
  'exactly what (?:we|i) (?:need|needed|want|wanted|were looking for|was looking for|had in mind|asked for)',
  'really (?:like|liked|good|helpful|useful)',
  '(?:we|i|they|users|everyone|team) (?:really )?(?:like|liked|enjoyed)',
  'fantastic|amazing|brilliant|excellent|wonderful|terrific|awesome|lovely|glad|pleased|thrilled|delighted|keen',
  'game[- ]changer|no[- ]brainer',
  '(?:huge|big|real) (?:help|improvement|difference|win)',
  'would (?:really )?help|helps? (?:a lot|us a lot)|makes? (?:our|my|their) (?:life|lives|job|jobs) easier',
  'sav(?:es|ed|ing) (?:us|me|our|them)',
  'easiest|best (?:of|one|we|option|tool|demo)',
  '(?:works?|worked|went) (?:great|well|really well|nicely|smoothly|perfectly)',
  "happy with|(?:very|really|so|quite) happy|(?:are|is|were|was|'re) (?:really |very |so )?happy",
  '(?:could|can) (?:already )?picture',
  "(?:that|this|it)(?:'s| is| was| looks) (?:really |very |just |so )?(?:nice|great|helpful|useful|neat|cool|impressive|fantastic|excellent|perfect)",
  'looks? (?:really )?(?:great|good|promising)|(?:great|nice|good) (?:job|work|feature|product|tool)|well done',
  'very (?:helpful|useful|impressive|promising)|good timing|much (?:better|faster|easier)|definitely want',
  '(?:positive|great|good) feedback|(?:team|users|everyone) (?:is|are) on board',
  // Liking the seller as a whole: "the best thing that happened on my shop floor", "your people
  // actually understood our business", "a software company is listening to me" (not "the best
  // thing would be to wait", "get our business case approved", "stopped listening to us").
  "the best thing (?:that )?(?:happened|we(?:'ve| have) seen|i(?:'ve| have) seen)",
  '(?:you|your (?:people|team|folks))(?: \\w+)? (?:really |actually )?(?:understood|understand) (?:our|my) (?:business|problems?|needs|world)',
  '(?:is|are) (?:actually |really |finally )?listening to (?:me|us)|you listened\\b',
  // What it does for them: "now the good part … the technicians use it, tickets closed in half the time".
  // Users taken with it: "we would get very attached", "I honestly got a bit emotional".
  "(?:would|'d) get (?:very |so |quite |really )?attached|(?:i|we) (?:honestly )?got (?:a bit |quite |very |really )?emotional",
  '(?:now )?the good part(?= is| was|:|,|\\.|$)|(?<!\\bonly (?:[\\w-]+ )?)(?:users|technicians|team|staff|nurses|agents|everyone) (?:actually |really |all )?use it\\b|in half the time',
);

/** Anger, failure, a threat to leave: strong. */
const strongComplaint = cues(
  'outages?|(?:went|is|was|were|been) down|unacceptable|not acceptable',
  String.raw`not (?:happy|pleased|impressed|satisfied)|unhappy|frustrat\w*|disappoint\w*|underwhelm\w*`,
  String.raw`furious|angry|upset|annoyed|irritated|embarrass\w*|let (?:us )?down|fed up|complain(?:ed|ing)? (?:about|to)|(?:filed|raised|made|had) (?:a |several |many )?complaints?`,
  String.raw`(?:almost|nearly|going to|want to|thinking (?:of|about)) cancel\w*`,
  'cancel(?:led|ling)? (?:the|our) (?:contract|subscription|account|order)',
  "can't keep (?:doing|going)|(?:i've|we've|i have|we have) escalated",
  String.raw`billing (?:error|mistake)|overcharg\w*|double[- ]charg\w*|waste of`,
  'broken|crash(?:ed|es|ing)?|kept failing|unreliable',
  // Not "a longer trial doesn't help me": an offer turned down, not a failure.
  "(?:didn't|did not|never) (?:work|deliver|help)(?! for (?:us|me))|(?:doesn't|does not) (?:work|deliver|help)(?! for (?:us|me))(?! (?:me|us)\\b)",
  String.raw`(?:you|your \w+) (?:\w+ )?(?:failed|missed|broke|ignored|overcharged)`,
  'not worth|no value|not what we (?:were promised|expected|paid for)|expected (?:more|better)',
  'lost (?:trust|confidence)',
  '(?:leaning|looking) (?:towards|toward|at) (?:not|leaving|switching|moving)',
  String.raw`migrate away|switch(?:ing)? (?:to|away)|not (?:going to )?renew\w*|(?:won't|will not|can't|cannot) (?:be )?renew\w*(?!\s+(?:with )?(?:the |our )?(?:other|current|old|existing|incumbent)\b)|(?:can't|cannot) take (?:a|the) renewal`,
  // "The onboarding was not good", "I've heard enough promises".
  // About what the seller delivered, not the tool being replaced nor a date.
  "(?<!\\b(?:current|old|existing|other|previous) )(?:onboarding|support|service|product|system|software|tool|app|platform|implementation|training|integration|rollout|migration)(?: \\w+)? (?:was not|is not|were not|has not been|wasn't|isn't|weren't|hasn't been) (?:good|great|ok|okay|acceptable)|heard enough promises",
);

/** A commercial or practical objection: one at a time is normal in a sale. */
const objection = cues(
  "too (?:expensive|pricey|much|slow|complex|complicated)|(?:that's|it's|seems|quite|pretty|very|really|bit) expensive",
  'price is (?:the|a) (?:problem|issue)|(?:price|dollar|cost) gap|(?:was|came as) a (?:bit of a )?surprise',
  "hard sell|can't justify|cannot justify|over (?:our |the )?budget",
  'budget (?:(?:has been|was|is|got) )?(?:cut|slashed|frozen|reduced)|budget cuts?',
  String.raw`sceptic\w*|skeptic\w*|not (?:yet |fully )?convinced|mixed (?:feelings|feedback|reactions|views)`,
  "(?:i'm|we're|i am|we are|he's|she's|they're|is|are) (?:still )?(?:a (?:bit|little) |quite |very |really )?(?:worried|concerned|nervous|hesitant)",
  '(?:some |a few |real |serious )?concerns? (?:about|around|with)|concern is',
  '(?:the|my|our) (?:main |big |biggest |only )?(?:problem|issue|concern|worry|hesitation) (?:is|here)',
  "a (?:real )?(?:problem|issue) for us|that's a (?:problem|concern)|deal[- ]?breaker",
  // "That's the word that worries me", "for me that plan is the blocker", "I'm not there yet".
  "(?:that|this|it|which) (?:really )?worries me|(?:is|be) (?:the|a) blocker|(?:i'm|we're|i am|we are) not there yet",
  // "I have two problems, and they're not small, for me they're blockers", "that's exactly my worry".
  "(?:they're|they are|those are|these are) (?:real |big )?blockers|(?:i|we) (?:still )?(?:have|see|'ve got|have got) (?:two|three|a few|some|serious|big|real) (?:problems|issues|concerns|worries)|(?:exactly|that's|that is) my (?:worry|concern)|can't (?:move|take) (?:it|this) forward",
  String.raw`pushback|push back|missing (?:feature|piece)|bugs?|glitch\w*`,
  "(?:doesn't|didn't|don't|does not|did not) (?:meet|solve|address|cover) (?:our|my|the)",
  // The price against what they can spend or defend: "Price, unfortunately", "a big gap to explain".
  'price,? unfortunately|unfortunately,? (?:the )?(?:price|cost)|(?:big|large|huge|significant) gap',
  '(?:hard|difficult|tough) to (?:justify|explain|sell|defend|get approved)',
  'get (?:it|this|that) past (?:the|our|my) (?:exec|execs|executive|board|cfo|council|committee)',
  // The budget holder refusing the money: "I'm not going to fund this this year".
  "(?:not going to|won't|will not|can't|cannot) fund",
);

/** The buyer ends the evaluation, politely or not. */
const rejection = cues(
  'not (?:a |the right )?(?:good )?fit|not for us',
  "(?:doesn't|does not|won't|will not) (?:work|fit)(?: for us)?",
  // "No point" about the deal, not about a task ("there's no point you rushing it").
  'leave it (?:here|there)|no need to send',
  'no point (?:in )?(?:continuing|carrying on|going (?:any )?further|taking (?:this|it) (?:any )?further|pursuing|proceeding|moving forward)',
  'cancel (?:the )?(?:demo|trial|pilot|evaluation)|end (?:the|our) (?:evaluation|trial|pilot)',
  '(?:decided|chosen|chose|going|gone|went) (?:to go )?with (?:another|someone else|a competitor)',
  '(?:signed|go|going) with (?:another|someone else)',
  '(?:move|moving|switch|switching|go|going|went) (?:over )?(?:to|with) (?:another|a different|a new|someone else)',
  '(?:chosen|selected|picked) (?:another|a different|someone else)|awarded (?:it|the contract|the deal) to',
  "not (?:moving|going) (?:forward|ahead)|won't be (?:moving|going) (?:forward|ahead)",
  'decided (?:not|against)|pass on this|no longer (?:interested|evaluating|looking)|not interested',
  '(?:stick|stay|staying|sticking) with (?:our|what we|the current)|happy with (?:our|what we have|the current)',
  // Staying with the vendor they have ("we've decided to stay with Orbe"), or choosing another —
  // not "we decided to go with the annual plan", a purchase.
  '(?:decided|deciding|chosen|chose|choosing|opted|opting|going) to (?:stay|stick|remain) with (?!you\\b|your\\b|us\\b)',
  '(?:decided|chosen|chose|opted) to (?:go|move|continue) with (?:another|a different|someone else|a competitor|a local|the incumbent|our (?:current|existing))',
  // A tender lost: "your offer wasn't successful", "the contract has been awarded to another respondent".
  "(?:offer|bid|proposal|submission|response) (?:was not|wasn't|has not been|hasn't been) successful|unsuccessful (?:respondent|bidder|tenderer|bid|offer)",
  '(?:contract|tender|bid|deal|business|work) (?:has been |was |is |have been )?awarded to (?!you\\b|your\\b|us\\b)',
  // Doing it themselves: "we've decided to build the dispatch module ourselves".
  '(?:decided|going|plan(?:ning)?|chose|chosen) to (?:build|develop) (?:it|this|that|the [\\w -]{1,30}?) (?:ourselves|in-house|internally)',
  // Closing a trial early, or back to the old way: "maybe it is better to close the trial now".
  // Not "close the trial on Friday and move to the paid plan", "back to Excel for the month-end report".
  'close (?:the|our) (?:trial|pilot|evaluation)(?![^.;]*\\b(?:paid|contract|subscription|sign|licen[cs]e|account|environment|convert|move to)\\b)',
  '(?:gone|went|going) back to (?:the |our )?(?:excel|spreadsheets?|old system|paper)(?: (?:schedule|sheets?|system|process|way))?(?=\\s*(?:[.,;!]|$))',
);
/**
 * A decision against, after evaluating: another vendor or the incumbent, a tender lost, their own
 * build, a trial closed, back to the old way, not going forward.
 */
const decidedAgainst =
  /\b(?:another (?:vendor|supplier|provider|company|partner|solution|tool|platform|bidder|respondent|tenderer)|someone else|a competitor|the incumbent|a local|(?:stay|stick|remain|staying|sticking) with|(?:awarded|signed|went|gone|going|go) (?:it |the \w+ )?(?:to|with) (?!you\b|your\b|us\b)|(?:not|wasn't|hasn't been) successful|unsuccessful|ourselves|in-house|internally|close (?:the|our)|back to|not (?:moving|going) (?:forward|ahead)|won't be (?:moving|going))\b/i;

/**
 * The buyer ending it because the product does not fit their needs, or leaving it there — the
 * polite no of discovery, neutral in tone (not a decision for someone or something else).
 */
const notAFit =
  /\bnot (?:a |the right )?(?:good )?fit\b|\bnot for us\b|\b(?:doesn't|does not|won't|will not) (?:work|fit)\b|\bleave it (?:here|there)\b|\bno need to send\b/i;

/**
 * The buyer's project itself is called off — not a choice of another vendor, not a pause: "the
 * project is cancelled", "the project itself is stopped", "they killed the evaluation". However
 * warmly said, the labelling conventions read it as negative (fixtures/heldout/README.md).
 */
const cancellation = cues(
  String.raw`(?:project|programme|program|initiative|evaluation|rollout|roll-out|purchase|investment)(?: itself)? (?:is|was|has been|got|have been) (?:now )?(?:officially )?(?:cancel\w*|stopped|killed|scrapped|axed|dropped|called off)`,
  // The thing itself, not "dropped the project plan in the chat".
  String.raw`(?:cancel\w*|kill\w*|scrap\w*|call(?:ed|ing)? off) the (?:whole )?(?:project|programme|program|initiative|evaluation|rollout|purchase)(?![\w-]|\s+(?:plan|timeline|scope|team|charter|board|update|kick-?off|brief|document|meeting|call|status|manager|lead|schedule)\b)`,
  // "We're going to stop the evaluation" — not a trial or pilot ending as planned.
  String.raw`(?:stop|stopping|stopped|end|ending|ended) the (?:whole )?(?:evaluation|project|purchase)(?![\w-]|\s+(?:of|with|for|plan|timeline|scope|team|meeting|call|phase|period|kick-?off)\b)`,
);
/** Someone else's project, or one long ago: "our previous CRM project was cancelled in 2022". */
const notThisProject =
  /\b(?:previous|earlier|old|last|former|another|other|their)\s+(?:[\w-]+\s+)?(?:project|programme|program|initiative|evaluation|rollout)\b|\b(?:years? ago|last year|last time|in (?:19|20)\d\d)\b/i;

const pauseNotEnd =
  /\b(?:for now|for the (?:moment|time being)|until|temporar\w*|(?<!\bnot (?:a )?)paus\w*|(?<!\bnot )on hold|not cancel\w*|not a no|(?:next|this) (?:year|quarter)|in (?:the )?(?:new year|spring|summer|autumn|fall|q[1-4]))\b/i;

const expanding =
  /\b(?:add(?:ing)?|expand\w*|roll(?:ing)? (?:it )?out to|extend\w* (?:it )?to|another (?:site|office|team|plant|region)|more (?:sites|offices|seats|teams|users|licen[cs]es))\b/i;

/** Polite deferral: friendly, but no purchase now. */
const deferral = cues(
  String.raw`keep (?:you|your \w+|it|this) (?:in mind|on file|on the radar)`,
  '(?:maybe|perhaps|probably|possibly) (?:next|in the new) (?:year|quarter)|next (?:fiscal )?year|in the new year',
  '(?:next|in) (?:q[1-4]|the (?:spring|summer|autumn|fall))|later (?:this|in the) year|down the (?:road|line)',
  "not a priority|(?:isn't|is not|not) (?:a |our )?(?:top )?priority",
  "(?:not|isn't) (?:the right time|a good time)|not right now|not (?:at the moment|for now)",
  String.raw`on hold|(?:park|shelve|pause) (?:this|it|that)|hiring freeze|reorg\w*|restructur\w*`,
  'circle back (?:in|next|after|later)|revisit (?:this|it|that)|touch base (?:later|again|next|in)',
  // Not "at some point": "I'll need it in writing at some point" is a task, not a purchase put off.
  'stay in touch|keep in touch|reach out if|wait and see',
  "no budget|(?:don't|do not) have (?:the |a |any )?budget|not this year|not in (?:a|the) (?:position|budget)|not ready to (?:commit|buy|decide|move)",
  'no (?:timeline|urgency|rush on our side)|not in a (?:hurry|rush)|(?:too|very) early (?:for|to)',
  'just (?:looking|exploring|browsing)|nothing (?:planned|budgeted)',
  'send (?:me|us) (?:some )?(?:information|info|material|materials|a brochure|literature)',
  '(?:my|his|her) last day|leaving the company',
);

/** Asks for price, terms or paperwork; wants to start, sign, buy, renew or trial; brings in who approves. */
const buying = cues(
  // Plain words for yes: "send me something I can sign", "the price is accepted", "we do a pilot",
  // "I sign Friday".
  "(?<!\\b(?:nda|non-disclosure)\\b[^.?!]*)(?:something|anything|whatever) (?:i|we) (?:can|need to|have to) sign(?![^.?!]*\\b(?:nda|non-disclosure)\\b)|(?:we're|we are) agreed(?=\\s*[.!]?\\s*$)",
  '(?:price|prices|offer|quote|proposal|terms) (?:is|are) accepted(?=\\s*[.!]?\\s*$)|(?:we|i) accept (?:the|your) (?:price|prices|offer|quote|proposal|terms)(?![^.?!]*\\b(?:if|unless|provided|as long as)\\b)',
  "^(?:so,? |then,? |good,? |fine,? |okay,? )?(?:we(?:'ll| will)?|let's) (?:do|run|start) (?:a|the) (?:pilot|trial|poc|proof of concept)\\b",
  '(?:i|we) sign (?:it |on |by )?(?:monday|tuesday|wednesday|thursday|friday|today|tomorrow|next week)',
  'send (?:me |us |over )?(?:the |a )?(?:formal |revised |updated )?(?:quote|proposal|contract|order form|paperwork|pricing|msa|agreement|sow)',
  // "I need a formal quote I can put in front of the board", "I need the quote in my hands".
  '(?:i|we) need (?:a|the|your) (?:formal |revised |updated |written |final )?(?:quote|proposal|contract|order form)',
  '(?:want|ready|going) to do (?:the whole thing|all of it|both sites|the lot)',
  "(?:it's|that's|it is|that is|fits|we're|we are) (?:well |comfortably )?within (?:my|our) (?:own )?budget",
  '(?:when|how soon) (?:can|could|would) (?:i|we) (?:see|get|have|start|sign|begin|go live)|can we (?:trial|try|pilot|start|begin|sign|get started)',
  "(?:what|how much) (?:would|will|does) (?:it|this|that) cost|(?:what's|what is) the (?:price|pricing|cost)|payment terms",
  '(?:want|wants|like|ready|keen|plan|planning|happy) to (?:move(?: forward| ahead)?|go ahead|proceed|sign|start|buy|purchase|renew|trial|roll (?:it )?out|expand|add|upgrade)',
  "(?:we'd|i'd|we would|i would) (?:want|like) to (?:move|go|proceed|start|sign|buy|order|renew|see (?:a|the) (?:quote|proposal|contract))",
  // "Let's do this fast", "we still want Sensilo's system" — not "let's do that debrief", "I want
  // you to know", "we want your team to fix it".
  "let's (?:do it|do (?:this|that)(?=\\s*(?:[.,!;]|$|fast|now|then|properly))|go ahead|move forward|proceed|get (?:it|this) signed|start)|(?:we|i) (?:still )?want (?:to work with )?(?:you|your (?:system|product|platform|team))\\b(?!\\s+to\\b)|(?:we(?:'ll| will| can|'d like to| want to)|ready to) go ahead|going ahead with",
  "(?:we'll|we will|let's) (?:sign|start|renew|buy|order|take (?:the|it))",
  String.raw`sign(?:ed)? (?:it|this|the)|docusign|countersign\w*`,
  "(?:go|going|move forward|proceed) with (?:you|your|it)|(?:you've|you have) (?:got )?(?:the deal|our business)|it's a yes",
  '(?:budget|funding) (?:is |was |has been )?(?:approved|signed off|allocated|secured|set aside)',
  '(?:will|to) approve|sign[- ]?off',
  '(?:our|the) (?:cfo|ceo|procurement|legal|finance|board)(?: team| department)? (?:will|needs?|to|has|signs)',
  '(?:loop|bring|pull) in (?:our|my|the) (?:cfo|ceo|cto|cio|coo|vp|head|director|boss|owner|md|board|procurement|legal|finance)|introduce you to (?:our|my)',
  'redlines?|order form|purchase order|invoice us|(?:rollout|roll-out|implementation|onboarding) (?:plan|timeline|date)|kick-?off|go[- ]live',
  'how long (?:does|would|will) (?:the )?(?:implementation|onboarding|setup|migration|rollout)',
  "what(?:'s| are| is) (?:the )?next steps?|(?:decision|decide) (?:by|on|this|next)",
  '(?:annual|multi-year|(?:two|three|2|3)-year) (?:plan|term|contract|deal)|verbal(?:ly)? (?:commit|yes)|count us in',
  String.raw`add (?:\d+|\w+ more) (?:seats|licen[cs]es|users)|(?<!\b(?:remove|removing|removed|cut|cutting|drop|dropping|dropped|lose|losing|lost) )(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|a few|a dozen)(?:[- ]\w+)? more (?:[\w-]+ )?(?:seats|licen[cs]es|users)`,
  'security (?:review|questionnaire|assessment)|data processing agreement|dpa|soc ?2',
);

/** The seller owning a failure: the buyer has a grievance, whatever words the buyer used. */
const apology = cues(
  'apologi[sz]e (?:for|on behalf)|(?:we|i) (?:messed up|dropped the ball|let you down|got (?:this|it) wrong)',
  "understand (?:your|the) frustration|that's on us|our (?:fault|mistake)|(?:not|isn't) acceptable",
);

/** Taking part in next steps: the buyer commits to something, asks for something, or agrees the next meeting. */
const engagement = cues(
  "(?:i|we)(?:'ll| will) (?:send|loop|get|set|share|ask|talk|check|pull|write|book|schedule|introduce|bring|forward|confirm|review|prepare|choose|pick|export|arrange|organi[sz]e|provide|install|test|run|update|collect|gather|open)",
  '(?:i|we) can (?:send|pull|share|get|do|export|prepare|arrange|provide)|let me (?:ask|check|talk|loop|get)',
  '(?:can|could|would) you (?:please )?(?:send|share|get|set up|schedule|walk|show|put)',
  // A time agreed ("Tuesday works", "that works for me"), not "it's old, but it works".
  String.raw`(?:monday|tuesday|wednesday|thursday|friday|tomorrow|that|this time|same time)(?: at [\w: ]+)? works|works for (?:me|us)`,
  'same time|see you (?:then|on|next)|talk (?:monday|tuesday|wednesday|thursday|friday|then|next week)',
);

const courtesy =
  /^(?:(?:yes|yeah|sure|ok(?:ay)?|great|perfect|good|fine|thanks?|thank you|cheers|bye|right|sounds good|will do|of course|no problem|talk soon|take care|appreciate (?:it|that)|understood|got it|agreed)\b[\s,.!]*)+(?:\w+[.!]?)?$/i;

/** "not happy with", "don't really like", "never excited", "nothing about it worries me": a negated cue is not that cue. */
const negatedBefore =
  /\b(?:not|never|no|nothing|nobody|neither|hardly|less|n't)\b(?:\s+\w+){0,2}\s*$|n't(?:\s+\w+){0,2}\s*$/i;

/**
 * "If we can't get past them, there's no point": said on a condition — an "if", "unless" or
 * "whether" opening the clause within the eight words before the cue. "I don't know if you heard,
 * but…", "if I'm honest", "even if" and "as if" do not make a condition of what follows.
 */
const conditionBefore =
  /(?<!\b(?:know|wonder|see|ask|even|as|check)\s+)\b(?:if|unless|whether)\b(?!\s+(?:i'm|i am|we're) (?:honest|frank|being honest|being frank)\b|\s+i may say\b|\s+you ask me\b)(?:\s+\S+){0,8}\s*$/i;

/** The phrases of `text` that say `re`, negated ones left out (and, for `firm`, conditional ones). */
function phrases(text: string, re: RegExp, firm = false): string[] {
  return [...text.matchAll(new RegExp(re, 'gi'))]
    .filter((m) => !negatedBefore.test(text.slice(0, m.index)))
    .filter((m) => !firm || !conditionBefore.test(text.slice(0, m.index)))
    .map((m) => m[0]);
}

export const says = (text: string, re: RegExp, firm = false) => phrases(text, re, firm).length > 0;

/**
 * The buyer's own customers angry, not the buyer at the seller: "the customer calls again, angry"
 * is the problem the product is bought to solve (a weak objection at most), not a complaint.
 */
const theirOwnPain = (text: string) =>
  /\b(?:customers?|clients?|patients?|guests?|drivers?|residents?|tenants?|passengers?|shoppers?|citizens|city|council|regulator)\b(?:\s+\S+){0,4}?\s+(?:angry|upset|furious|annoyed|frustrated|complain\w*)/i.test(
    text,
  ) &&
  // Not when the product is what failed them: "since the outage our customers are furious".
  !/\byou(?:r)?\b|\b(?:outages?|down|crash\w*|broken|fail\w*|bugs?|errors?|delays?|lag|glitch\w*|not working|(?:doesn't|didn't|does not|did not) work|since (?:switching|we switched|we started|the (?:update|release|migration|upgrade)))\b/i.test(
    text,
  );

const hits = (sentences: readonly ToneSentence[], re: RegExp, firm = false) =>
  sentences.filter((s) => says(s.text, re, firm)).map((s) => s.text);

export function toneSignals(sentences: readonly ToneSentence[]): ToneSignals {
  const buyer = sentences.filter((s) => s.role === 'attendee');
  const complaining = buyer.flatMap((s) =>
    says(s.text, strongComplaint, true) && !theirOwnPain(s.text)
      ? [{ s, weight: 2 }]
      : says(s.text, objection, true)
        ? [{ s, weight: 1 }]
        : [],
  );
  // Liking, complaining and ending it count when said outright, not on a condition.
  const praising = buyer.filter((s) => says(s.text, praise, true) && !asked(s.text));
  const praisedBy = new Set(praising.map((s) => s.speaker));
  const complainedBy = new Set(complaining.map((c) => c.s.speaker));
  const only = (a: Set<string | undefined>, b: Set<string | undefined>) =>
    [...a].some((who) => who !== undefined && !b.has(who));
  const said = buyer.filter((s) => !courtesy.test(s.text.trim()) && s.text.split(/\s+/).length > 3);
  return {
    praise: praising.map((s) => s.text),
    complaints: complaining.map((c) => ({ text: c.s.text, weight: c.weight })),
    // Not a question ("who was the work awarded to last time?") nor another time or project.
    rejection: hits(buyer, rejection, true).filter((t) => !asked(t) && !notThisProject.test(t)),
    // A stop "for now", "until the budget is back" or called a pause is a hold, not the end.
    cancelled: hits(buyer, cancellation, true).filter((t) => !pauseNotEnd.test(t) && !notThisProject.test(t)),
    // "We'll add the Madrid office next year": growing, not putting the purchase off.
    deferral: hits(buyer, deferral).filter((t) => !expanding.test(t)),
    // Each signal counts: "we want to move ahead, so send me the formal quote" is two.
    buying: buyer.flatMap((s) => phrases(s.text, buying)),
    engagement: hits(buyer, engagement),
    apologies: hits(
      sentences.filter((s) => s.role === 'host'),
      apology,
    ),
    mood: said.reduce((t, s) => t + s.sentiment, 0) / Math.max(1, said.length),
    divided: only(praisedBy, complainedBy) && only(complainedBy, praisedBy),
  };
}

const asked = (text: string) => /\?\s*$/.test(text);

const weightOf = (complaints: ToneSignals['complaints']) => complaints.reduce((t, c) => t + c.weight, 0);

/**
 * Mixed when praise and real complaint are both there, or when one buyer praises and another
 * objects; negative when complaints dominate; a buyer who ends the evaluation without
 * complaint is neutral (a polite no); positive with praise or clear buying signals and no more
 * than a passing objection; else wink-nlp's mean sentence sentiment over the buyer's
 * non-courtesy sentences (neutral unless clearly one way).
 */
/** Praise for the meeting and the people in it, not for the product. */
const praiseOfTheMeeting = (text: string) =>
  /\b(?:demo|demonstration|presentation|meeting|slides|walkthrough|to see you|to meet you|your time|at your job)\b/i.test(
    text,
  ) &&
  !/\b(?:product|feature|module|tool|platform|system|app|software|dashboard|reports?|planning|what we need|exactly|it does|works?|nailed)\b/i.test(
    text,
  );

export function sentimentFrom(x: ToneSignals): Analysis['sentiment'] {
  const pos = x.praise.length;
  // A seller's apology weighs as one objection: it confirms a grievance, it does not measure it.
  const neg = weightOf(x.complaints) + Math.min(1, x.apologies.length);
  const buying = x.buying.length;
  // The project called off, however warmly: negative, unless the buyer is still asking to buy.
  if (x.cancelled.length > 0 && buying < 2) return 'negative';
  // The buyer decides against it after evaluating (another vendor, the incumbent, their own build,
  // a tender lost), however politely: negative, as the labelling conventions read it. Finding
  // early that it does not fit is the polite no of discovery: neutral.
  // A decision for someone or something else, after evaluating, is negative however politely said.
  if (buying < 2 && x.rejection.some((t) => decidedAgainst.test(t) && !notAFit.test(t))) return 'negative';
  if (neg >= 2 && pos >= 1 && neg <= 2 * pos + 2) return 'mixed';
  if (neg >= 2) return 'negative';
  // Finding it does not fit, or leaving it there: the polite no of discovery.
  if (x.rejection.length > 0 && buying < 2) return 'neutral';
  // Keen users and a sceptical budget holder: the side is split, whatever the counts.
  if (pos >= 1 && neg >= 1 && x.divided) return 'mixed';
  // Liking it while pushing back on the terms and putting part of it off: "the team leads love it
  // … the uplift is not going to happen … not this year".
  if (pos >= 1 && neg >= 1 && x.deferral.length >= 2) return 'mixed';
  // Friendly but not buying: praise with the purchase put off twice and nothing asked for.
  if (x.deferral.length >= 2 && buying <= 1 && neg === 0) return 'neutral';
  // Praise only for the demo, the presentation or the people, and nothing asked for or taken on:
  // courtesy, not a view of the product (the labelling conventions' "committing to nothing" is
  // neutral). "We love it" about the product in use stays positive.
  if (
    pos >= 1 &&
    buying === 0 &&
    x.engagement.length === 0 &&
    neg === 0 &&
    x.praise.every(praiseOfTheMeeting)
  )
    return 'neutral';
  // One objection is part of any sale; it does not undo the same person's praise.
  if (pos >= 1) return 'positive';
  if (neg <= 1 && buying >= 2) return 'positive';
  // A buyer who takes on the work (four tasks or dates or more), with no more than a passing
  // objection and nothing put off: cooperative, whatever the adjectives.
  if (neg <= 1 && x.engagement.length >= 4 && x.deferral.length === 0 && x.mood >= 0) return 'positive';
  return x.mood > 0.25 ? 'positive' : x.mood < -0.25 ? 'negative' : 'neutral';
}

/**
 * Low when the buyer ends the evaluation, threatens to leave, or defers politely without a
 * buying signal (a friendly "keep you in mind" is still low), or takes on nothing at all; high
 * with two or more buying signals outweighing what holds them back, or one with three next
 * steps taken on; medium otherwise — interest without commitment.
 */
export function intentFrom(x: ToneSignals): Analysis['buyer_intent'] {
  const leaving = x.complaints.filter(
    (c) => strongComplaint.test(c.text) && /renew|cancel|switch|migrate|leaning|looking/i.test(c.text),
  ).length;
  const against = 2 * (x.rejection.length + x.cancelled.length) + 2 * leaving + x.deferral.length;
  const forward = x.buying.length;
  if (against >= 2 && against >= forward) return 'low';
  // One "not right now" from a buyer who takes on next steps is not a purchase put off.
  if (x.deferral.length >= 1 && forward === 0 && (x.deferral.length >= 2 || x.engagement.length < 2))
    return 'low';
  if (forward >= 2 && forward > against) return 'high';
  // A buyer who asks to buy and does the work for it (three tasks or dates taken on).
  if (forward >= 1 && against === 0 && x.engagement.length >= 3) return 'high';
  // No buying signal and no next step taken on by the buyer: friendly is not interested.
  if (forward === 0 && x.engagement.length === 0) return 'low';
  return 'medium';
}
