import { afterAll, expect } from 'vitest';
import { leakedLines } from '../helpers/logs.ts';

// Every test file ends by proving its app logs hold no token or secret (issue 3 acceptance:
// "logs of the whole suite contain none").
afterAll(() => {
  expect(leakedLines(), 'tokens or secrets found in app logs').toEqual([]);
});
