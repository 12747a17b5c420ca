import { describe, expect, it } from 'vitest';
import { scopeFamilies } from './scope-catalog.ts';
import { describeScope, grants, isKnownScope, parseScope, splitScopes } from './scopes.ts';

describe('scope matching', () => {
  it('a module scope covers its operation only, ALL covers every operation', () => {
    expect(grants(['ZohoCRM.modules.contacts.READ'], 'ZohoCRM.modules.contacts.READ')).toBe(true);
    expect(grants(['ZohoCRM.modules.contacts.READ'], 'ZohoCRM.modules.contacts.CREATE')).toBe(false);
    expect(grants(['ZohoCRM.modules.contacts.ALL'], 'ZohoCRM.modules.contacts.CREATE')).toBe(true);
    expect(grants(['ZohoCRM.modules.contacts.ALL'], 'ZohoCRM.modules.leads.READ')).toBe(false);
  });

  it('a broader scope covers the narrower paths below it', () => {
    expect(grants(['ZohoCRM.modules.ALL'], 'ZohoCRM.modules.deals.UPDATE')).toBe(true);
    expect(grants(['ZohoCRM.modules.READ'], 'ZohoCRM.modules.deals.READ')).toBe(true);
    expect(grants(['ZohoCRM.modules.READ'], 'ZohoCRM.modules.deals.UPDATE')).toBe(false);
    expect(grants(['ZohoCRM.settings.ALL'], 'ZohoCRM.settings.pipeline.READ')).toBe(true);
    expect(grants(['ZohoCRM.settings.fields.READ'], 'ZohoCRM.settings.pipeline.READ')).toBe(false);
    expect(grants(['ZohoCRM.users.ALL'], 'ZohoCRM.users.READ')).toBe(true);
    expect(grants(['ZohoCRM.users.READ'], 'ZohoCRM.org.READ')).toBe(false);
    // A narrower scope never covers a broader one.
    expect(grants(['ZohoCRM.modules.contacts.ALL'], 'ZohoCRM.modules.ALL')).toBe(false);
  });

  it('WRITE covers create, update and delete, not read (Zoho: an alias of the three)', () => {
    for (const op of ['CREATE', 'UPDATE', 'DELETE'])
      expect(grants(['ZohoCRM.modules.leads.WRITE'], `ZohoCRM.modules.leads.${op}`), op).toBe(true);
    expect(grants(['ZohoCRM.modules.leads.WRITE'], 'ZohoCRM.modules.leads.READ')).toBe(false);
    expect(grants(['ZohoCRM.modules.leads.WRITE'], 'ZohoCRM.modules.leads.WRITE')).toBe(true);
  });

  it('keeps services apart: no ZohoCRM scope covers ZohoSearch, nor the reverse', () => {
    const search = 'ZohoSearch.securesearch.READ';
    expect(grants(['ZohoCRM.modules.ALL', 'ZohoCRM.settings.ALL'], search)).toBe(false);
    expect(grants([search], 'ZohoCRM.modules.contacts.READ')).toBe(false);
    expect(grants([search], search)).toBe(true);
    expect(grants(['ZohoSearch.securesearch.ALL'], search)).toBe(true);
    expect(grants(['zohosearch.SECURESEARCH.read'], search)).toBe(true);
  });

  it('compares case-insensitively and splits on commas or spaces', () => {
    expect(grants(['zohocrm.modules.contacts.read'], 'ZohoCRM.modules.contacts.READ')).toBe(true);
    expect(grants(['ZohoCRM.Modules.Events.ALL'], 'ZohoCRM.modules.events.READ')).toBe(true);
    expect(splitScopes('ZohoCRM.users.READ, ZohoCRM.org.READ ZohoCRM.modules.ALL')).toEqual([
      'ZohoCRM.users.READ',
      'ZohoCRM.org.READ',
      'ZohoCRM.modules.ALL',
    ]);
  });

  it('parses nothing that is not Service.path.OPERATION', () => {
    for (const bad of ['', 'ZohoCRM', 'ZohoCRM.ALL', 'ZohoCRM..ALL', 'ZohoCRM.modules.FETCH'])
      expect(parseScope(bad), bad).toBeUndefined();
    expect(parseScope('ZohoCRM.send_mail.all.CREATE')).toEqual({
      service: 'zohocrm',
      path: ['send_mail', 'all'],
      op: 'CREATE',
    });
  });
});

describe('the scope table: every scope a client may ask Zoho for', () => {
  it("knows every standard module's scopes, the custom modules' and all modules'", () => {
    const modules = ['leads', 'accounts', 'contacts', 'deals', 'campaigns', 'tasks', 'cases', 'events'];
    modules.push('calls', 'solutions', 'products', 'vendors', 'pricebooks', 'quotes', 'salesorders');
    modules.push('purchaseorders', 'invoices', 'notes', 'attachments', 'services', 'appointments', 'custom');
    for (const m of modules)
      for (const op of ['READ', 'CREATE', 'UPDATE', 'DELETE', 'ALL', 'WRITE'])
        expect(isKnownScope(`ZohoCRM.modules.${m}.${op}`), `${m}.${op}`).toBe(true);
    expect(isKnownScope('ZohoCRM.modules.ALL')).toBe(true);
    expect(isKnownScope('ZohoCRM.modules.READ')).toBe(true);
  });

  it('knows the settings, users, org, bulk, COQL, notifications, composite, files, share and function scopes', () => {
    for (const s of [
      'ZohoCRM.settings.ALL',
      'ZohoCRM.settings.fields.READ',
      'ZohoCRM.settings.layouts.READ',
      'ZohoCRM.settings.pipeline.READ',
      'ZohoCRM.settings.modules.READ',
      'ZohoCRM.settings.related_lists.READ',
      'ZohoCRM.settings.custom_views.ALL',
      'ZohoCRM.settings.territories.ALL',
      'ZohoCRM.settings.roles.READ',
      'ZohoCRM.settings.profiles.READ',
      'ZohoCRM.settings.currencies.CREATE',
      'ZohoCRM.settings.tags.ALL',
      'ZohoCRM.settings.variables.READ',
      'ZohoCRM.settings.recycle_bin.DELETE',
      'ZohoCRM.users.READ',
      'ZohoCRM.users.ALL',
      'ZohoCRM.org.READ',
      'ZohoCRM.org.ALL',
      'ZohoCRM.bulk.ALL',
      'ZohoCRM.bulk.READ',
      'ZohoCRM.bulk.CREATE',
      'ZohoCRM.bulk.backup.ALL',
      'ZohoCRM.coql.READ',
      'ZohoCRM.notifications.ALL',
      'ZohoCRM.notifications.CREATE',
      'ZohoCRM.composite_requests.CUSTOM',
      'ZohoCRM.Files.CREATE',
      'ZohoCRM.files.READ',
      'ZohoCRM.share.Contacts.READ',
      'ZohoCRM.mass_convert.Quotes.CREATE',
      'ZohoCRM.send_mail.all.CREATE',
      'ZohoCRM.templates.email.READ',
      'ZohoCRM.zia.enrichment.ALL',
      'ZohoCRM.modules.emails.Leads.ALL',
      'ZohoCRM.functions.execute.READ',
      'ZohoCRM.functions.execute.CREATE',
    ])
      expect(isKnownScope(s), s).toBe(true);
  });

  it('knows the scopes of the services besides CRM a CRM client asks for', () => {
    for (const s of [
      'ZohoSearch.securesearch.READ',
      'ZohoSearch.securesearch.ALL',
      'AaaServer.profile.READ',
      'aaaserver.profile.read',
      'ZohoFiles.files.CREATE',
      'ZohoFiles.files.ALL',
    ])
      expect(isKnownScope(s), s).toBe(true);
  });

  it('refuses made-up scopes and operations a family does not offer', () => {
    for (const s of [
      'ZohoCRM.modules.widgets.READ',
      'ZohoCRM.modules.contacts.WRITES',
      'ZohoCRM.modules.contacts.CUSTOM',
      'ZohoCRM.coql.CREATE',
      'ZohoCRM.composite_requests.ALL',
      'ZohoCRM.settings.CREATE',
      'ZohoCRM.settings.nonsense.READ',
      'ZohoCRM.ALL',
      'ZohoSearch.securesearch.CREATE',
      'ZohoSearch.everything.READ',
      'ZohoMail.messages.READ',
      'AaaServer.profile.DELETE',
      'ZohoCRM.modules.contacts',
    ])
      expect(isKnownScope(s), s).toBe(false);
  });

  it('describes every known scope in plain words, never by echoing its name', () => {
    for (const family of scopeFamilies)
      for (const op of family.ops) {
        const scope = [family.service, ...family.path, op].join('.');
        const text = describeScope(scope);
        expect(text, scope).not.toBe(scope);
        expect(text, scope).toMatch(/^[A-Z][a-z]/);
        expect(text, scope).not.toMatch(/undefined|\.\w+\./);
      }
    expect(describeScope('ZohoCRM.modules.contacts.READ')).toBe('See Contacts in your CRM');
    expect(describeScope('ZohoCRM.modules.ALL')).toBe(
      'See, create, change and delete records of every module',
    );
    expect(describeScope('ZohoSearch.securesearch.READ')).toMatch(/^Search your Zoho data/);
    expect(describeScope('ZohoCRM.settings.pipeline.READ')).toBe('See Deal pipelines and their stages');
  });

  it('has one entry per service and path', () => {
    const keys = scopeFamilies.map((f) => [f.service, ...f.path].join('.').toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
  });
});
