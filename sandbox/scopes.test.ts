import { describe, expect, it } from 'vitest';
import { grants, isKnownScope, splitScopes } from './scopes.ts';

describe('scope matching', () => {
  it('a module scope covers its operation only, ALL covers every operation', () => {
    expect(grants(['ZohoCRM.modules.contacts.READ'], 'ZohoCRM.modules.contacts.READ')).toBe(true);
    expect(grants(['ZohoCRM.modules.contacts.READ'], 'ZohoCRM.modules.contacts.CREATE')).toBe(false);
    expect(grants(['ZohoCRM.modules.contacts.ALL'], 'ZohoCRM.modules.contacts.CREATE')).toBe(true);
    expect(grants(['ZohoCRM.modules.contacts.ALL'], 'ZohoCRM.modules.leads.READ')).toBe(false);
  });

  it('a broader scope covers the narrower paths below it', () => {
    expect(grants(['ZohoCRM.modules.ALL'], 'ZohoCRM.modules.deals.UPDATE')).toBe(true);
    expect(grants(['ZohoCRM.settings.ALL'], 'ZohoCRM.settings.pipeline.READ')).toBe(true);
    expect(grants(['ZohoCRM.settings.fields.READ'], 'ZohoCRM.settings.pipeline.READ')).toBe(false);
    expect(grants(['ZohoCRM.users.ALL'], 'ZohoCRM.users.READ')).toBe(true);
    expect(grants(['ZohoCRM.users.READ'], 'ZohoCRM.org.READ')).toBe(false);
  });

  it('compares case-insensitively and splits on commas or spaces', () => {
    expect(grants(['zohocrm.modules.contacts.read'], 'ZohoCRM.modules.contacts.READ')).toBe(true);
    expect(splitScopes('ZohoCRM.users.READ, ZohoCRM.org.READ ZohoCRM.modules.ALL')).toEqual([
      'ZohoCRM.users.READ',
      'ZohoCRM.org.READ',
      'ZohoCRM.modules.ALL',
    ]);
  });

  it('knows the CRM scopes this sandbox serves and refuses made-up ones', () => {
    expect(isKnownScope('ZohoCRM.modules.notes.CREATE')).toBe(true);
    expect(isKnownScope('ZohoCRM.settings.pipeline.READ')).toBe(true);
    expect(isKnownScope('ZohoCRM.modules.widgets.READ')).toBe(false);
    expect(isKnownScope('ZohoCRM.modules.contacts.WRITE')).toBe(false);
    expect(isKnownScope('ZohoMail.messages.READ')).toBe(false);
  });
});
