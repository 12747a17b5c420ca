import path from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate, loadFixtures } from '../src/analysis/eval.ts';
import { createOfflineAnalyzer } from '../src/analysis/offline.ts';

/**
 * `npm run eval:analysis [-- --dir <folder>] [--json] [--verbose]`: scores the offline
 * analyser on labelled transcripts (default: ../shared/fixtures/transcripts). With --json the
 * last line is one JSON object of the scores. docs/ANALYSIS.md explains the method.
 */
const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const dir = path.resolve(values.dir ?? path.join(import.meta.dirname, '../../shared/fixtures/transcripts'));
const analyzer = createOfflineAnalyzer();
const { scores, perFixture } = await evaluate(analyzer, loadFixtures(dir));

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const lines = [
  `Analyser: ${analyzer.name} · ${scores.n} transcripts from ${dir}`,
  '',
  'file                                        items pred/label/matched  priority  due   sentiment (got/want)   intent       stage (got/want)',
  ...perFixture.map(
    (f) =>
      `${f.file.padEnd(44)}${`${f.predicted}/${f.labelled}/${f.matched}`.padEnd(26)}${`${f.priorityRight}/${f.matched}`.padEnd(10)}${`${f.dueRight}/${f.matched}`.padEnd(6)}${`${f.sentiment[0]}/${f.sentiment[1]}`.padEnd(23)}${`${f.intent[0]}/${f.intent[1]}`.padEnd(13)}${f.stage[0]} / ${f.stage[1]}`,
  ),
  '',
  `Action items   precision ${pct(scores.action_items.precision)}  recall ${pct(scores.action_items.recall)}  F1 ${pct(scores.action_items.f1)}`,
  `Priority accuracy (matched items)  ${pct(scores.priority_accuracy)}`,
  `Due date exact (matched items)     ${pct(scores.due_date_exact)}`,
  `Sentiment accuracy                 ${pct(scores.sentiment_accuracy)}`,
  `Intent accuracy                    ${pct(scores.intent_accuracy)}`,
  `Stage accuracy                     ${pct(scores.stage_accuracy)}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
if (values.verbose) {
  for (const { file, fixture } of loadFixtures(dir)) {
    const a = await analyzer.analyze({
      meeting: fixture.meeting,
      transcript: fixture.transcript,
      pipeline: { stages: fixture.pipeline_stages, current_stage: fixture.current_stage },
    });
    process.stdout.write(
      `\n== ${file}\n${a.action_items.map((i) => `  got  ${i.owner} ${i.priority} ${i.due} ${i.due_inferred ? '(inferred)' : ''} | ${i.text}`).join('\n')}\n${fixture.labels.action_items.map((i) => `  want ${i.owner_role} ${i.priority} ${i.due} ${i.due_inferred ? '(inferred)' : ''} | ${i.text}`).join('\n')}\n`,
    );
  }
}
if (values.json) process.stdout.write(`${JSON.stringify(scores)}\n`);
