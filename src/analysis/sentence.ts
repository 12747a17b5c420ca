import model from 'wink-eng-lite-web-model';
import winkNLP from 'wink-nlp';
import type { AnalysisInput } from './analysis.ts';

/** wink-nlp's English model, loaded once per process (or worker thread) that analyses. */
const nlp = winkNLP(model);
const its = nlp.its;

/** One sentence of a turn, with who said it and wink-nlp's sentiment for it. */
export interface Sentence {
  text: string;
  speaker: string;
  role: 'host' | 'attendee';
  turn: number;
  sentiment: number;
}

/**
 * The longest sentence the rules read, in characters. Speech-to-text sometimes leaves minutes of
 * talk without a full stop; the cue scans look back over a sentence for each match, so one
 * such "sentence" cost seconds. Longer ones are read in pieces cut at a space.
 */
export const MAX_SENTENCE_CHARS = 1_000;

function pieces(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > MAX_SENTENCE_CHARS) {
    const space = rest.lastIndexOf(' ', MAX_SENTENCE_CHARS);
    const cut = space > MAX_SENTENCE_CHARS / 2 ? space : MAX_SENTENCE_CHARS;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut);
  }
  out.push(rest.trim());
  return out.filter(Boolean);
}

export function sentencesOf(input: AnalysisInput): Sentence[] {
  const firstSpeaker = input.transcript[0]?.speaker;
  const out: Sentence[] = [];
  input.transcript.forEach((t, turn) => {
    const role = t.role ?? (t.speaker === firstSpeaker ? 'host' : 'attendee');
    nlp
      .readDoc(t.text)
      .sentences()
      .each((s: { out(f?: unknown): string }) => {
        const sentiment = Number(s.out(its.sentiment));
        for (const text of pieces(s.out().trim()))
          out.push({ text, speaker: t.speaker, role, turn, sentiment });
      });
  });
  return out;
}
