import { afterAll, expect } from 'vitest';
import { leakedLines } from '../helpers/logs.ts';

// Every test file ends by proving its app logs hold no token or secret (issue 3 acceptance:
// "logs of the whole suite contain none"), and none of the transcripts, summaries, action
// items, attendee emails and names its events carried (issue 12, M2).
afterAll(() => {
  expect(leakedLines(), 'tokens, secrets or meeting content found in app logs').toEqual([]);
});
