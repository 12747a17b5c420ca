import { describe, expect, it } from 'vitest';
import { concurrencyFor, editionOf } from './editions.ts';

describe('the edition an org is held to', () => {
  it('is the paid edition, whatever Zoho’s spelling', () => {
    expect(editionOf({ paid: true, paid_type: 'professional' })).toBe('professional');
    expect(editionOf({ paid: true, paid_type: 'Enterprise' })).toBe('enterprise');
    expect(editionOf({ paid: true, paid_type: 'ULTIMATE' })).toBe('ultimate');
  });

  it('reads bundles and older names as the edition whose limits they carry', () => {
    expect(editionOf({ paid: true, paid_type: 'Zoho One' })).toBe('enterprise');
    expect(editionOf({ paid: true, paid_type: 'zohoone' })).toBe('enterprise');
    expect(editionOf({ paid: true, paid_type: 'CRM Plus' })).toBe('ultimate');
    expect(editionOf({ paid: true, paid_type: 'crm_plus' })).toBe('ultimate');
    expect(editionOf({ paid: true, paid_type: 'starter' })).toBe('standard');
  });

  it('holds a trial org to the Free edition it is billed as, not to the edition on trial', () => {
    const trial = { paid: false, paid_type: 'free', trial_type: 'professional' };
    expect(editionOf(trial)).toBe('free');
    expect(concurrencyFor(editionOf(trial))).toBe(5);
    expect(editionOf({ paid: false, trial_type: 'enterprise' })).toBe('free');
  });

  it('knows nothing of an edition name it has not met: the smallest limit', () => {
    expect(editionOf({ paid: true, paid_type: 'bigin_premier' })).toBeNull();
    expect(editionOf({ paid: true })).toBeNull();
    expect(editionOf(null)).toBeNull();
    expect(concurrencyFor(null)).toBe(5);
    expect(concurrencyFor('bigin_premier')).toBe(5);
  });

  it('holds each edition to Zoho’s concurrent-call limit, lowered by the operator’s cap', () => {
    expect(
      ['free', 'standard', 'professional', 'enterprise', 'ultimate'].map((e) => concurrencyFor(e)),
    ).toEqual([5, 10, 15, 20, 25]);
    expect(concurrencyFor('ultimate', 8)).toBe(8);
    expect(concurrencyFor('free', 8)).toBe(5);
  });
});
