import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requestedScopes, zohoScopes } from './scopes.ts';

describe('requested Zoho scopes', () => {
  it('are operation-level, never a module-wide ALL', () => {
    for (const s of requestedScopes) expect(s).not.toMatch(/\.ALL$|modules\.ALL|modules\.READ$/);
  });

  it('are each explained, word for word, on the Data We Access page', () => {
    const doc = fs.readFileSync('docs/PERMISSIONS.md', 'utf8');
    const rows = [...doc.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)].map((m) => ({ scope: m[1], why: m[2] }));
    expect(rows).toEqual(zohoScopes.map((s) => ({ scope: s.scope, why: s.why })));
  });
});
