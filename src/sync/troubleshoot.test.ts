import { describe, expect, it } from 'vitest';
import { explainFailure } from './troubleshoot.ts';

describe('explaining a failed sync', () => {
  it.each([
    ['INVALID_DATA', 'validation rule'],
    ['MANDATORY_NOT_FOUND', 'mandatory'],
    ['DUPLICATE_DATA', 'duplicate'],
    ['NO_PERMISSION', 'profile'],
    ['permission', 'profile'],
    ['FEATURE_NOT_SUPPORTED', 'edition'],
    ['edition', 'edition'],
    ['scope', 'Reconnect'],
    // L3: a redirect from Zoho, never followed.
    ['redirect', 'redirect'],
  ])('%s → mentions %s', (code, word) => {
    const e = explainFailure(code);
    expect(`${e.title} ${e.check}`.toLowerCase()).toContain(word.toLowerCase());
  });

  it('has a fallback that still says what to do', () => {
    expect(explainFailure('SOMETHING_NEW').check).toContain('Retry');
    expect(explainFailure(null).check).toContain('Retry');
  });
});
