import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { meetingScopes, requestedScopes, zohoScopes } from '../../src/connections/scopes.ts';
import { otherAdmin, startTestApp, type TestApp, zohoEmail } from '../helpers/app.ts';
import { textOf } from '../helpers/connect-steps.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * "Data we access" inside the app (issue 14: before, the scopes only appeared on Zoho's consent
 * page): docs/PERMISSIONS.md's content, its permissions taken from the list the connect flow
 * asks Zoho for, reachable from the card before connecting.
 */
const sb = useSandbox();
const PATH = '/integrations/zoho/permissions';

/** The scopes a `<dl class="scopes" id="…">` on the page lists, in order, with their explanations. */
function listed(html: string, id: string) {
  const dl = new RegExp(`<dl class="scopes" id="${id}">([\\s\\S]*?)</dl>`).exec(html)?.[1] ?? '';
  return [...dl.matchAll(/<dt><code>([^<]+)<\/code><\/dt><dd>([\s\S]*?)<\/dd>/g)].map((m) => ({
    scope: m[1]!,
    why: textOf(m[2]!),
  }));
}

describe('the Data we access page', () => {
  let app: TestApp | undefined;
  let c: Connected | undefined;
  afterEach(async () => {
    await app?.close();
    await c?.app.close();
    app = undefined;
    c = undefined;
  });

  it('needs a sign-in', async () => {
    app = await startTestApp({ kind: 'pglite', sandbox: sb.sandbox, sandboxBase: sb.base });
    const res = await fetch(`${app.url}${PATH}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/signin?${new URLSearchParams({ next: PATH })}`);
  });

  it('before connecting: every permission the connect flow asks for, read and write apart, what is never done, and Connect', async () => {
    app = await startTestApp({ kind: 'pglite', sandbox: sb.sandbox, sandboxBase: sb.base });
    const session = await app.signIn('usr_sam');
    const card = (await session.get('/integrations')).html;
    expect(card).toContain(`<a id="zoho-permissions" href="${PATH}">Data we access</a>`);

    const page = await session.get(PATH);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<title>Data we access · PepoSmart</title>');
    expect(page.html).toContain('aria-label="Main"');
    const reads = listed(page.html, 'permissions-read');
    const writes = listed(page.html, 'permissions-write');
    expect(reads.map((r) => r.scope)).toEqual(requestedScopes.filter((s) => s.endsWith('.READ')));
    expect(writes.map((r) => r.scope)).toEqual(requestedScopes.filter((s) => !s.endsWith('.READ')));
    expect([...reads, ...writes].sort((a, b) => a.scope.localeCompare(b.scope))).toEqual(
      zohoScopes.map((s) => ({ scope: s.scope, why: s.why })).sort((a, b) => a.scope.localeCompare(b.scope)),
    );
    // The same explanations as docs/PERMISSIONS.md (whose table scopes.test.ts keeps in step).
    const doc = fs.readFileSync('docs/PERMISSIONS.md', 'utf8');
    for (const s of [...reads, ...writes]) expect(doc).toContain(`| \`${s.scope}\` | ${s.why} |`);

    const text = textOf(page.html);
    expect(text).toContain(
      `PepoSmart asks Zoho for the ${requestedScopes.length} permissions below, and only these — plus ${meetingScopes.length} more only if you turn on Meetings (below).`,
    );
    // Meetings' scopes: listed apart, with the same explanations as docs/PERMISSIONS.md.
    const optional = listed(page.html, 'permissions-optional');
    expect(optional).toEqual(meetingScopes.map((s) => ({ scope: s.scope, why: s.why })));
    for (const s of optional) expect(doc).toContain(`| \`${s.scope}\` | ${s.why} |`);
    const never = textOf(
      /<ul class="entries" id="permissions-never">([\s\S]*?)<\/ul>/.exec(page.html)?.[1] ?? '',
    );
    expect(never).toContain('Delete anything in your CRM: none of these permissions allows it.');
    expect(never).toContain(
      'Read or write any CRM module other than Contacts, Leads, Notes, Tasks, Deals and Meetings.',
    );
    expect(never).toContain('only a suggestion you approve does');
    expect(text).toContain('Disconnecting deletes them at once and revokes them at Zoho.');
    expect(text).toContain('Records PepoSmart wrote to Zoho CRM stay in your CRM');
    expect(page.html).toContain(
      '<a class="button" id="permissions-connect" href="/integrations/zoho/connect">Connect Zoho CRM</a>',
    );
  });

  it('connected: the card links it, and the page has no Connect; another workspace’s admin sees only her own state', async () => {
    c = await connectedApp(sb, 'pglite');
    const card = (await c.session.get('/integrations')).html;
    expect(card).toContain(`<a id="zoho-permissions" href="${PATH}">Data we access</a>`);
    const page = await c.session.get(PATH);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain('id="permissions-connect"');
    expect(page.html).toContain('Back to Integrations');

    const olga = await c.app.signIn(otherAdmin.id);
    const hers = (await olga.get(PATH)).html;
    expect(hers).toContain('id="permissions-connect"');
    for (const secret of [zohoEmail(c.org), 'Alex Morgan']) expect(hers).not.toContain(secret);
  });
});
