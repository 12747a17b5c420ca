import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findConnection, setProblem } from '../../src/connections/repo.ts';
import { SESSION_COOKIE } from '../../src/users/sessions.ts';
import { otherAdmin } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { pipelines, suggestionFor } from '../helpers/deals.ts';
import { bookingEvent, refuseNextContactInsert, sendEvent, settled } from '../helpers/events.ts';
import { overflow, seriousViolations } from '../helpers/page-checks.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Every page in each of its states, at a desktop (1280 px) and a phone (390 px) width: no
 * horizontal scrolling, the texts a user looks for, and no serious or critical accessibility
 * violation (axe-core). `SCREENSHOTS_DIR=docs/screenshots` also saves each page as a PNG
 * (`npm run screenshots`: the main pages, marked `shot`).
 */
const widths = [1280, 390] as const;
const screenshots = process.env['SCREENSHOTS_DIR'];

const sb = useSandbox();
// Without Chromium every test here fails with the line saying how to get it.
const b = useBrowser();

interface World {
  c: Connected;
  /** Session cookies by user. */
  tokens: Record<'alex' | 'sam' | 'olga', string>;
  suggestions: { open: string; approved: string; rejected: string };
}
let w: World;

beforeAll(async () => {
  const c = await connectedApp(sb, 'pglite', { pipelines }, { sync: true });
  // Three suggestions on deals of the same name (told apart on the page); one approved, one rejected.
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const s = await suggestionFor(sb.client, c, [
      {
        Deal_Name: 'Analytical Engines',
        Stage: 'Value Proposition',
        Pipeline: 'Sales',
        Amount: 1000 * (i + 1),
      },
    ]);
    ids.push(s.id!);
  }
  const { rows } = await c.app.db.query<{ deal_id: string }>(
    'SELECT deal_id FROM suggestions WHERE id = $1',
    [ids[1]],
  );
  const approve = await c.session.post(`/suggestions/${ids[1]}/approve`, {
    deal_id: rows[0]!.deal_id,
    stage: 'Proposal/Price Quote',
  });
  expect(approve.status, approve.html).toBe(303);
  expect((await c.session.post(`/suggestions/${ids[2]}/reject`)).status).toBe(303);

  // Activity in every status: synced (above), failed, skipped (Sam is not connected), and two
  // shown as the sync leaves them meanwhile: in progress and waiting for a reconnect.
  await refuseNextContactInsert(sb.client, c.org, {
    code: 'DUPLICATE_DATA',
    message: 'duplicate data',
    details: { api_name: 'Email' },
  });
  const failed = bookingEvent({ attendees: [{ email: 'grace@navy.example', name: 'Grace Hopper' }] });
  await sendEvent(c.app.url, failed);
  expect(await settled(c.app.db, failed.id)).toBe('failed');
  const skipped = bookingEvent({
    host: { user_id: 'usr_sam', email: 'sam@peposmart.test', name: 'Sam Rivera' },
    attendees: [{ email: 'kat@jet.example', name: 'Katherine Johnson' }],
  });
  await sendEvent(c.app.url, skipped);
  expect(await settled(c.app.db, skipped.id)).toBe('skipped');
  for (const status of ['queued', 'waiting'] as const) {
    const e = bookingEvent({ attendees: [{ email: `${status}@example.com`, name: `Dana ${status}` }] });
    await sendEvent(c.app.url, e);
    expect(await settled(c.app.db, e.id)).toBe('done');
    await c.app.db.query('UPDATE events SET status = $2 WHERE id = $1', [e.id, status]);
  }

  const token = async (userId: string) => (await c.app.signIn(userId)).browser.cookie(SESSION_COOKIE)!;
  w = {
    c,
    tokens: {
      alex: c.session.browser.cookie(SESSION_COOKIE)!,
      sam: await token('usr_sam'),
      olga: await token(otherAdmin.id),
    },
    suggestions: { open: ids[0]!, approved: ids[1]!, rejected: ids[2]! },
  };
}, 180_000);

afterAll(async () => {
  await w?.c.app.close();
});

interface Visit {
  name: string;
  as?: keyof World['tokens'];
  url: () => string;
  /** Texts the page must show. */
  texts: Array<string | RegExp>;
  status?: number;
  /** Runs before the visit (a state change). */
  before?: () => Promise<void>;
  /** One of the main pages, kept in docs/screenshots. */
  shot?: true;
}

const app = (p: string) => () => `${w.c.app.url}${p}`;

const visits: Visit[] = [
  { name: 'signin', shot: true, url: app('/signin'), texts: ['Alex Morgan', 'Sam Rivera'] },
  {
    name: 'integrations-not-connected',
    shot: true,
    as: 'sam',
    url: app('/integrations'),
    texts: ['Not connected', 'Connect', 'Data we access'],
  },
  { name: 'activity-empty', as: 'olga', url: app('/activity'), texts: [/connect/i, 'Integrations'] },
  { name: 'suggestions-empty', as: 'sam', url: app('/suggestions'), texts: [/connect/i] },
  {
    name: 'integrations-connected',
    shot: true,
    as: 'alex',
    url: app('/integrations'),
    texts: ['Connected', 'Last synced', 'Data we access', 'Try it'],
  },
  {
    name: 'activity',
    shot: true,
    as: 'alex',
    url: app('/activity'),
    texts: [
      'Meeting booked',
      'AI meeting notes',
      'Synced',
      'Failed',
      'Skipped',
      'In progress',
      'Waiting for reconnect',
      'Retry',
    ],
  },
  {
    name: 'activity-failed',
    as: 'alex',
    url: app('/activity?status=failed'),
    texts: ['Failed', 'Grace Hopper'],
  },
  {
    name: 'suggestions',
    shot: true,
    as: 'alex',
    url: app('/suggestions'),
    texts: ['Analytical Engines', 'Proposal/Price Quote'],
  },
  {
    name: 'suggestion-open',
    shot: true,
    as: 'alex',
    url: () => `${w.c.app.url}/suggestions/${w.suggestions.open}`,
    texts: ['Approve', 'Reject', 'Evidence'],
  },
  {
    name: 'suggestion-approved',
    as: 'alex',
    url: () => `${w.c.app.url}/suggestions/${w.suggestions.approved}`,
    texts: ['Approved', 'Alex Morgan'],
  },
  {
    name: 'suggestion-rejected',
    as: 'alex',
    url: () => `${w.c.app.url}/suggestions/${w.suggestions.rejected}`,
    texts: ['Rejected'],
  },
  {
    name: 'disconnect-confirm',
    as: 'alex',
    url: app('/integrations/zoho/disconnect'),
    texts: ['Disconnect Zoho CRM?', 'Cancel'],
  },
  {
    name: 'not-found',
    shot: true,
    as: 'alex',
    url: app('/no/such/page'),
    texts: ['Page not found'],
    status: 404,
  },
  {
    name: 'suggestion-not-found',
    as: 'alex',
    url: app('/suggestions/sug_nope'),
    texts: [/not found|no such suggestion/i],
    status: 404,
  },
  {
    name: 'not-found-signed-out',
    url: app('/no/such/page'),
    texts: ['Page not found', 'Sign in'],
    status: 404,
  },
  { name: 'sandbox-orgs', url: () => `${sb.base}/__sandbox/`, texts: [/orgs?/i] },
  { name: 'sandbox-org', url: () => `${sb.base}/__sandbox/orgs/${w.c.org.org_id}/view`, texts: ['Contacts'] },
  { name: 'sandbox-not-found', url: () => `${sb.base}/no/such/page`, texts: [/not found/i], status: 404 },
  {
    name: 'integrations-reconnect-needed',
    shot: true,
    as: 'alex',
    url: app('/integrations'),
    texts: ['Reconnect needed', 'Reconnect'],
    before: async () => {
      const conn = (await findConnection(w.c.app.db, 'ws_demo', 'usr_alex'))!;
      await setProblem(w.c.app.db, 'ws_demo', conn.id, { code: 'refresh_revoked' }, 'reconnect_needed');
    },
  },
];

async function visit(context: BrowserContext, v: Visit, width: number): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: 900 });
  const res = await page.goto(v.url());
  expect(res?.status(), `${v.name} at ${width}px`).toBe(v.status ?? 200);
  return page;
}

describe('every page at 1280 and 390 px', () => {
  for (const v of visits) {
    it(`${v.name}: no sideways scrolling, its texts, no serious accessibility violation`, async () => {
      await v.before?.();
      const context = await b.browser.newContext({ bypassCSP: true });
      try {
        if (v.as)
          await context.addCookies([{ name: SESSION_COOKIE, value: w.tokens[v.as], url: w.c.app.url }]);
        for (const width of widths) {
          const page = await visit(context, v, width);
          const where = `${v.name} at ${width}px`;
          const wider = await overflow(page);
          expect(wider, `${where}: wider than the screen`).toEqual({ doc: 0, wide: [] });
          const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
          for (const t of v.texts)
            if (typeof t === 'string') expect(text, where).toContain(t);
            else expect(text, where).toMatch(t);
          expect(await seriousViolations(page), where).toEqual([]);
          if (screenshots && v.shot) {
            fs.mkdirSync(screenshots, { recursive: true });
            await page.screenshot({ path: path.join(screenshots, `${v.name}-${width}.png`), fullPage: true });
          }
          await page.close();
        }
      } finally {
        await context.close();
      }
    });
  }
});
