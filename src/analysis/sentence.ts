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

export function sentencesOf(input: AnalysisInput): Sentence[] {
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
