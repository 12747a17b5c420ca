import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { grantsMeetings, meetingScopes, requestedScopes, scopesToRequest, zohoScopes } from './scopes.ts';

const scopeRows = (text: string) =>
  [...text.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((m) => ({ scope: m[1], why: m[2] }));

describe('requested Zoho scopes', () => {
  it('are operation-level, never a module-wide ALL', () => {
    for (const s of [...requestedScopes, ...meetingScopes.map((m) => m.scope)])
      expect(s).not.toMatch(/\.ALL$|modules\.ALL|modules\.READ$/);
  });

  it('are each explained, word for word, on the Data We Access page; the Meetings ones as optional', () => {
    const doc = fs.readFileSync('docs/PERMISSIONS.md', 'utf8');
    const at = doc.indexOf('\n## Optional: Meetings');
    expect(at).toBeGreaterThan(0);
    expect(scopeRows(doc.slice(0, at))).toEqual(zohoScopes.map((s) => ({ scope: s.scope, why: s.why })));
    expect(scopeRows(doc.slice(at))).toEqual(meetingScopes.map((s) => ({ scope: s.scope, why: s.why })));
  });

  it('ask for the Meetings scopes only while Meetings are on', () => {
    expect(scopesToRequest(undefined)).toEqual(requestedScopes);
    expect(scopesToRequest({ syncMeetings: false })).toEqual(requestedScopes);
    expect(scopesToRequest({ syncMeetings: true })).toEqual([
      ...requestedScopes,
      'ZohoCRM.modules.events.CREATE',
      'ZohoCRM.modules.events.UPDATE',
      'ZohoCRM.modules.events.READ',
    ]);
  });
});

describe('grantsMeetings', () => {
  it('needs every Meetings scope, itself or through an ALL, in any case, comma or space separated', () => {
    const all = meetingScopes.map((s) => s.scope);
    expect(grantsMeetings(null)).toBe(false);
    expect(grantsMeetings(requestedScopes.join(','))).toBe(false);
    expect(grantsMeetings([...requestedScopes, ...all].join(','))).toBe(true);
    expect(grantsMeetings(all.join(' '))).toBe(true);
    expect(grantsMeetings(all.slice(0, 2).join(','))).toBe(false);
    expect(grantsMeetings('ZohoCRM.Modules.Events.ALL')).toBe(true);
    expect(grantsMeetings('ZohoCRM.modules.ALL')).toBe(true);
    expect(
      grantsMeetings(
        'ZohoCRM.modules.events.CREATE,ZohoCRM.modules.events.update,zohocrm.modules.events.read',
      ),
    ).toBe(true);
  });
});
