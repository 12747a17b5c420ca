import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analysisSchema, MAX_ACTION_ITEMS, MAX_NEXT_STEPS } from './analysis.ts';
import { inputOf, loadFixtures } from './eval.ts';
import { createOfflineAnalyzer } from './offline.ts';

/**
 * A long meeting with more commitments than an analysis holds still gives a valid analysis:
 * its lists are cut (earliest kept), never refused by the schema — a refusal failed the event
 * on every retry.
 */
describe('the offline analyser on a meeting with more than an analysis holds', () => {
  it('cuts action items and next steps to the schema’s limits, earliest first', async () => {
    const fixtures = loadFixtures(path.join(import.meta.dirname, '..', '..', 'fixtures', 'transcripts'));
    const base = inputOf(fixtures[0]!.fixture);
    // Every labelled meeting's turns, in a row: dozens of distinct commitments with stated dates.
    const transcript = fixtures.flatMap((f) => f.fixture.transcript);
    const analysis = await createOfflineAnalyzer().analyze({ ...base, transcript });
    expect(analysisSchema.safeParse(analysis).success).toBe(true);
    expect(analysis.action_items.length).toBeLessThanOrEqual(MAX_ACTION_ITEMS);
    expect(analysis.next_steps).toHaveLength(MAX_NEXT_STEPS);
    const whole = await createOfflineAnalyzer().analyze({ ...base, transcript: transcript.slice(0, 40) });
    expect(analysis.action_items.slice(0, whole.action_items.length).map((i) => i.text)).toEqual(
      whole.action_items.map((i) => i.text),
    );
  });
});
