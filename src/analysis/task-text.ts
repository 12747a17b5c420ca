import type { Sentence } from './sentence.ts';

/**
 * A Task's subject from the words of a commitment: pronouns replaced by what they stand for,
 * the date and the reason left out (the date is the Task's due date), an imperative that
 * names the object ("Send the revised quote to Linda").
 */
const lemmas: Record<string, string> = { setting: 'set', looping: 'loop' };
export function lemma(verbPhrase: string): string {
  const [first = '', ...rest] = verbPhrase.toLowerCase().split(' ');
  const base =
    lemmas[first] ??
    (/(at|iz|ar|ur|ib)ing$/.test(first) ? first.replace(/ing$/, 'e') : first.replace(/ing$/, ''));
  return [base, ...rest].join(' ');
}

export const request = /\b(?:could|can|would) you\s+(?:please\s+)?(\w[^?]*)\?/i;

const pronoun =
  /^(\w+)(\s+(?:up|in|over|out))?\s+((?:that|this) one(?![\w-])|it|them|that|those|these|both|her|him)\b/i;
/** A noun phrase: a determiner, a few words, up to a clause boundary; "A and the B" kept whole. */
const nounPhrase =
  /\b((?:the|a|an|our|your|their|those|these|last month's|its)\s+(?:[\w'’%-]+\s+){0,6}?[\w'’%-]+?(?:\s+(?:and|or)\s+(?:the|a|an|our|your|their)\s+(?:[\w'’-]+\s+){0,3}?[\w'’-]+)?)(?=\s+(?:you|that|which|so|for|to|before|if|on|in|at|from|with|directly|goes|went|needs|comes|came|looks|takes|took|makes|made|gets|got|has|had|says|said|means|seems|sits|runs|works|stays|covers|includes|shows)\b|\s*[,.?!]|\s*$)/gi;
export const name = /\b(?!I\b)([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b/g;

/**
 * Replaces a pronoun object ("send them", "write those up") with what it stands for: the
 * noun phrase of the words just before, a question first ("when can I see the quote?").
 */
/** The pronoun standing for a thing in a sentence ("without it", "send it"), not "it's" or "that shows". */
const usesAsThing = (p: string) =>
  new RegExp(
    String.raw`\b(?:without|with|of|for|on|in|into|about|from|send|get|need|use|have|see|sign|review|read|do|make)\s+${p}\b(?!['’]s|\s+is\b)`,
    'i',
  );

/** "I'll export the last twelve months of invoices…": the thing a commitment makes. */
const madeThing =
  /\b(?:i|we)(?:'ll| will|'m going to| am going to| are going to)\s+(?:also\s+|just\s+)?(?:export|pull together|pull|prepare|put together|write up|draft|compile|build|create|collect|gather|dig out|dig up|find(?!\s+out\b))\s+((?:[\w'’%-]+\s+){0,7}?[\w'’%-]+)(?=\s+(?:so|and|to|for|because|which|that|then|by|before)\b|\s*[,;]|\s*$)/i;

export function resolve(text: string, current: Sentence, before: Sentence[]): string {
  const m = pronoun.exec(text);
  if (!m) return text;
  const verb = m[1]!;
  const particle = m[2] ?? '';
  const p = m[3]!.toLowerCase();
  const rest = text.slice(m[0].length);
  // "send it over", "write them up" — not "confirm it in writing".
  const trailing =
    /^\s+(up|in|over|out)\b(?!\s+(?:writing|person|advance|detail|full|time|parallel|place|touch)\b)/i.exec(
      rest,
    );
  const restAfter = trailing ? rest.slice(trailing[0].length) : rest;
  const withParticle = `${verb}${particle}${trailing ? ` ${trailing[1]}` : ''}`;
  const nearest = [...before].reverse();
  const asks = (x: Sentence) => /\?\s*$/.test(x.text);
  // "What I really need is the error analysis in writing.": a request names the thing too.
  const wants = (x: Sentence) => !asks(x) && /\b(?:need|want|would like|please)\b/i.test(x.text);
  // "I'll export the invoices so you can see them, and I'll get that to Jordan": what the clause
  // just before promised to make is what is passed on — a thing passed on, not a person met.
  const at = current.text.toLowerCase().lastIndexOf(` ${verb.toLowerCase()} ${p}`);
  const clauseBefore = at > 0 ? (/[^,;]*[,;][^,;]*$/.exec(current.text.slice(0, at))?.[0] ?? '') : '';
  const passedOn =
    /^(?:it|that|them|this one|that one)$/.test(p) &&
    /^(?:send|share|get|forward|email|give|bring|pass)$/i.test(verb);
  const madeEarlier = passedOn ? madeThing.exec(clauseBefore)?.[1] : undefined;
  if (madeEarlier && !/^(?:it|them|that|this|those|these|some|one)$/i.test(madeEarlier))
    return `${withParticle} ${madeEarlier}${restAfter}`;
  const candidates = [
    ...(p === 'both' ? [current] : []),
    ...nearest.filter((x) => x.turn === current.turn),
    ...nearest.filter((x) => x.turn !== current.turn && asks(x)),
    ...nearest.filter((x) => x.turn !== current.turn && wants(x)),
    ...nearest.filter((x) => x.turn !== current.turn && !asks(x) && !wants(x)),
  ];
  for (const s of candidates) {
    // "Without it the committee won't look at the rest": a statement using the same pronoun points
    // further back itself, so its phrases are not what the pronoun stands for.
    if (s !== current && !asks(s) && usesAsThing(p).test(s.text)) continue;
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
      .filter((x) => !/^(those|these)$/i.test(x))
      // A phrase with a verb in it is a clause ("our engineers'll send the logs"), not a thing.
      .filter(
        (x) => !/'ll\b|'re\b|n't\b|\b(?:will|would|is|are|was|were|can|could|should|have|has)\b/i.test(x),
      );
    const plural = p === 'them' || p === 'those' || p === 'these' || p === 'both';
    let pick = plural ? (phrases.find((x) => / and |s$/i.test(x)) ?? phrases[0]) : phrases[0];
    // "a short session for those two teams": a plural pronoun means the last plural phrase in it.
    if (pick && plural && !/ and /i.test(pick))
      pick = /.*\b((?:the|those|these|our|your|their)\s+.*)$/i.exec(pick)?.[1] ?? pick;
    // "The questionnaire goes into the pack": a phrase opening its sentence keeps no capital.
    if (pick)
      return `${withParticle} ${pick.replace(/^(The|A|An|Our|Your|Their|Those|These|Its)\b/, (d) => d.toLowerCase())}${restAfter}`;
  }
  return text;
}

const timeTail =
  /\s+(?:(?:by|before|on|until)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|tonight|the \w+|end of [\w ]+|next \w+)|for\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|tonight|the end of [\w ]+|end of [\w ]+|next (?:week|month|monday|tuesday|wednesday|thursday|friday)|the (?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-\w+|thirtieth|thirty-first)(?:\s+of\s+[a-z]+)?\s*[.!]?$)|at the end of (?:the |this |next )?(?:week|month|day|quarter)|today(?!['’]s)|tomorrow(?!['’]s)|tonight(?!['’]s)|this (?:afternoon|morning|evening|week)(?!['’]s)|(?:early |later )(?:next|this) week|right away|first thing|(?:some ?time|during) next week)\b.*$/i;

/** Words after "that"/"those"/"these" that show it is a pronoun, not a determiner ("send that over"). */
const notANoun =
  /^(?:up|in|over|out|to|into|past|by|with|for|on|across|through|back|tomorrow|today|tonight|this|next|before|after|and|so|as|at|first|now|right|later|too|again|once|when|if|myself|ourselves|rather|instead|than|please|quickly|properly|soon|asap|internally|directly|personally|shortly|separately|together|off|down|along|with)\b/i;

/** A task delivering a document, whose "with …" after the date says what it holds. */
const documentTask =
  /^(?:send|share|prepare|draft|write|update|revise|get|have|put together|forward|email)\b|\b(?:quote|proposal|offer|contract|plan|report|deck|summary|list)\b/i;
/** "with any luck", "with apologies", "with Maria if she's free": not what the document holds. */
const notADetail = /\b(?:luck|apolog\w*|sorry|thanks|hopefully|if|when|unless|fingers crossed)\b/i;

export function actionText(raw: string): string {
  const cleaned = raw
    // "get that questionnaire over": a determiner; "the" names the thing without pointing back.
    .replace(
      /^(\w+(?:\s+(?:up|in|over|out))?)\s+(?:that|those|these)\s+(?=[a-z])/i,
      (m, verb: string, at: number) => {
        const next = raw.slice(at + m.length);
        return notANoun.test(next) ? m : `${verb} the `;
      },
    )
    .replace(/\s+(?:so|so that|because|since|once)\s+.*$/i, '')
    // "…, and if needed we can schedule a call": the condition opens another clause.
    .replace(/,?\s+and if\b.*$/i, '')
    // "retune that threshold, it's top of my list": the aside is not the task.
    .replace(/,\s+(?:it's|that's|which|it is|that is|this is)\b.*$/i, '')
    // "the quote by Wednesday, with each depot as its own line": the date goes, what the thing
    // is to hold stays.
    .replace(timeTail, (tail) => {
      const detail = /,\s*(with|including)\s+(.+)$/i.exec(tail);
      return detail && documentTask.test(raw) && !notADetail.test(detail[2]!)
        ? ` ${detail[1]!.toLowerCase()} ${detail[2]}`
        : '';
    })
    .replace(/\s+(?:myself|ourselves|personally)\s*$/i, '')
    .replace(/,?\s*no (?:rush|hurry)\b.*$/i, '')
    .replace(/\b(send|email|give|forward|share|get)\s+you\s+/gi, '$1 ')
    .replace(/^(\w+(?: up| in| over| out)?)\s+you\s+/i, '$1 ')
    // "get the questionnaire over to you": sending it.
    .replace(/^get\s+(?!back\b)(.+?)\s+(?:over\s+)?to you\b/i, 'send $1')
    .replace(/\s+(?:to you(?: both| all)?|over to you(?: both| all)?|your way|to them)\b/gi, '')
    // "get the invite out", "send the numbers across": sending, the particle dropped — only a
    // particle that ends the task ("get the contract through legal" is another task).
    .replace(/^(?:get|send)\s+(.+?)\s+(?:out|over|across|through)\s*$/i, 'send $1')
    // "call you Monday", "send it next week": a day or week at the end is the due date, not the task.
    .replace(/\s+(?:next\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*[.!]?$/i, '')
    .replace(/\s+(?:early |later )?(?:next|this) (?:week|month)\s*[.!]?$/i, '')
    .replace(/[,.!\s]+$/, '')
    .trim();
  return cleaned.charAt(0).toUpperCase() + cleaned.slice(1);
}
