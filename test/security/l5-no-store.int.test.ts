import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * L5: signed-in pages carried no `Cache-Control: no-store`, so a shared computer's browser (or a
 * proxy) could keep a user's pages after sign-out. Every response of a route that needs a
 * session now says no-store. The routes are read from src/web, so a new signed-in route without
 * a row here fails this test rather than going unchecked.
 */
const sb = useSandbox();

/** `METHOD /path` of every route registered with the sign-in preHandler. */
function signedInRoutes(): string[] {
  const dir = path.resolve('src/web');
  const files = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const sources = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  // A path may be a constant (`export const MEETINGS_PATH = '/…'`), and a route may carry type
  // arguments (`app.post<{ Params: … }>(`).
  const constants = new Map(
    sources.flatMap((src) =>
      [...src.matchAll(/export const ([A-Z_]+) = '([^']+)';/g)].map((m) => [m[1]!, m[2]!]),
    ),
  );
  const routes: string[] = [];
  for (const source of sources)
    for (const m of source.matchAll(
      /app\.(get|post|put|patch|delete)(?:<[^>]*>)?\(\s*(?:'([^']+)'|([A-Z_]+)),\s*([^,]+),/g,
    )) {
      const url = m[2] ?? constants.get(m[3]!);
      if (url && /requireUser|signedIn/.test(m[4]!)) routes.push(`${m[1]!.toUpperCase()} ${url}`);
    }
  return routes.sort();
}

/** A request for each signed-in route (form fields for POSTs); the state-changing ones last. */
const requests: Array<[string, string, Record<string, string>?]> = [
  ['GET /integrations', '/integrations'],
  ['GET /activity', '/activity'],
  ['GET /suggestions', '/suggestions'],
  ['GET /suggestions/:id', '/suggestions/00000000-0000-0000-0000-000000000000'],
  ['GET /integrations/zoho/disconnect', '/integrations/zoho/disconnect'],
  ['GET /integrations/zoho/connect', '/integrations/zoho/connect'],
  ['GET /integrations/zoho/callback', '/integrations/zoho/callback?state=made-up&code=x'],
  ['GET /integrations/zoho/meetings', '/integrations/zoho/meetings'],
  ['GET /integrations/zoho/permissions', '/integrations/zoho/permissions'],
  ['GET /integrations/zoho/field-rows/new', '/integrations/zoho/field-rows/new?field=Contacts.Lead_Source'],
  ['POST /integrations/zoho/check', '/integrations/zoho/check', {}],
  ['POST /integrations/zoho/meetings', '/integrations/zoho/meetings', {}],
  ['POST /integrations/zoho/field-rows', '/integrations/zoho/field-rows', { field: 'Contacts.Lead_Source' }],
  ['POST /integrations/zoho/field-rows/:id/remove', '/integrations/zoho/field-rows/fr_made_up/remove', {}],
  ['POST /integrations/zoho/fields/refresh', '/integrations/zoho/fields/refresh', {}],
  ['POST /integrations/zoho/settings', '/integrations/zoho/settings', { new_attendee_module: 'Leads' }],
  ['POST /integrations/try-it', '/integrations/try-it', { sample: 'nope' }],
  ['POST /activity/:id/retry', '/activity/00000000-0000-0000-0000-000000000000/retry', {}],
  ['POST /suggestions/:id/approve', '/suggestions/00000000-0000-0000-0000-000000000000/approve', {}],
  ['POST /suggestions/:id/reject', '/suggestions/00000000-0000-0000-0000-000000000000/reject', {}],
  ['POST /auth/handoff/switch', '/auth/handoff/switch', {}],
  ['POST /integrations/zoho/disconnect', '/integrations/zoho/disconnect', {}],
  ['POST /signout', '/signout', {}],
];

describe.each(databaseKinds)('L5: Cache-Control on signed-in responses on %s', (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('the table below covers every route that needs a session', () => {
    expect(requests.map(([route]) => route).sort()).toEqual(signedInRoutes());
  });

  it('every signed-in route answers with Cache-Control: no-store, whatever its status', async () => {
    const c = await connectedApp(sb, kind, {}, { sync: true });
    app = c.app;
    for (const [route, url, form] of requests) {
      // The session's cookie on a plain fetch: AppSession hides the headers.
      const cookie = `pepo_session=${c.session.browser.cookie('pepo_session')}`;
      const csrf =
        /name="_csrf" value="([^"]+)"/.exec((await c.session.get('/integrations')).html)?.[1] ?? '';
      const res = await fetch(`${app.url}${url}`, {
        method: form ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie },
        ...(form ? { body: new URLSearchParams({ ...form, _csrf: csrf }) } : {}),
      });
      await res.arrayBuffer();
      expect(res.status, route).toBeLessThan(500);
      expect(res.headers.get('cache-control'), `${route} (${res.status})`).toMatch(/\bno-store\b/);
    }
  });
});
