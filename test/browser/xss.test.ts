import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signHandoff } from '../../src/users/handoff.ts';
import { AppSession, startTestApp, type TestApp } from '../helpers/app.ts';
import { useBrowser } from '../helpers/browser.ts';
import { startSpyServer } from '../helpers/connect-steps.ts';
import { quoteTranscript, seedRecords } from '../helpers/deals.ts';
import { bookingEvent, notesEvent, refuseNextContactInsert, sendEvent, settled } from '../helpers/events.ts';
import { registerSecret } from '../helpers/logs.ts';
import { type CreatedOrg, useSandbox } from '../helpers/sandbox.ts';

/**
 * Script injection through every field a page renders, in Chromium: the workspace and user
 * names a handoff link brings, Zoho's account, org, Deal, stage and pipeline names and its
 * error messages, meeting titles, attendees, transcript quotes, action items, the Try it form,
 * the handoff switch and refusal pages — on the app's pages (Integrations, Activity,
 * Suggestions, a suggestion, Try it, Disconnect) and the sandbox's own (its record views, its
 * sign-in and consent pages). Each payload, if it ran, would open a dialog, set a global or
 * fetch from a server the test watches. Nothing may run, no element or handler may come from
 * a payload, and the payload must show as text.
 */
const sb = useSandbox();
const b = useBrowser();
let spy: Awaited<ReturnType<typeof startSpyServer>>;

/** A payload labelled `l`: a script, an attribute breaker, an SVG handler, template strings. */
const P = (l: string) =>
  `<script>alert('${l}')</script>"><img src=x onerror=alert('${l}')>'><svg/onload=alert('${l}')>`;
/** The same, with an image from the watched server and template syntax (fields up to 255). */
const PL = (l: string) =>
  `${P(l)}<img src=${spy.url}/xss/${l}>\${alert(1)}{{constructor.constructor('alert(1)')()}}`;
/** A short one for fields of 100 characters. */
const PS = (l: string) => `"><img src=x onerror=alert('${l}')><svg/onload=alert('${l}')>`;
/** What must show as text wherever `l`'s payload is rendered. */
const shown = (l: string) => `<svg/onload=alert('${l}')>`;

const secret = crypto.randomBytes(32).toString('hex');
registerSecret(secret);
const userEmail = "o'xss+user@xss.test";
// Attendees on another domain than the user's: colleagues would be left out (internal attendees).
const attendeeEmail = "a'xss+attendee@xss-client.test";
const buyerEmail = "b'xss+buyer@xss-client.test";

interface World {
  app: TestApp;
  org: CreatedOrg;
  zohoEmail: string;
  suggestion: { open: string; decided: string };
}
let w: World;

const xssPipelines = [
  {
    name: P('pipe'),
    default: true,
    stages: [
      'Qualification',
      P('stage'),
      'Value Proposition',
      'Proposal/Price Quote',
      P('stage2'),
      'Closed Won',
      'Closed Lost',
    ],
  },
];

function handoffLink(
  over: { userId?: string; name?: string; email?: string; ws?: string; wsName?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return `/auth/handoff?${new URLSearchParams({
    token: signHandoff(secret, {
      jti: crypto.randomUUID(),
      iat: now,
      exp: now + 120,
      workspace: { id: over.ws ?? 'ws_xss', name: over.wsName ?? PL('ws') },
      user: {
        id: over.userId ?? 'usr_xss',
        email: over.email ?? userEmail,
        name: over.name ?? PL('user'),
        role: 'admin',
      },
    }),
  })}`;
}

const host = { user_id: 'usr_xss', email: userEmail };

/** A booking (and its notes) of the XSS user with this contact: the suggestion's id. */
async function suggestion(app: TestApp, org: CreatedOrg, label: string) {
  const email = `c'${label}+xss@xss-client.test`;
  const [contact] = await seedRecords(sb.client, org, 'Contacts', [
    { Last_Name: PS(`${label}c`), Email: email },
  ]);
  await seedRecords(sb.client, org, 'Deals', [
    // Zoho's Deal_Name holds 120 characters: the shorter payload. The deal changed last (then
    // closing first) is the one suggested on: `deal`; `deal2` is offered beside it.
    {
      Deal_Name: P(`${label}deal2`),
      Stage: 'Qualification',
      Pipeline: P('pipe'),
      Closing_Date: '2099-12-31',
      Contact_Name: contact,
    },
    {
      Deal_Name: P(`${label}deal`),
      Stage: 'Value Proposition',
      Pipeline: P('pipe'),
      Closing_Date: '2030-01-31',
      Contact_Name: contact,
    },
  ]);
  const booking = bookingEvent({
    workspaceId: 'ws_xss',
    host,
    attendees: [{ email, name: PS(`${label}n`) }],
  });
  booking.data.booking.title = PL(`${label}title`);
  await sendEvent(app.url, booking);
  expect(await settled(app.db, booking.id)).toBe('done');
  const transcript = quoteTranscript.map((line) =>
    line.role === 'attendee'
      ? { ...line, text: line.text.replace('30 seats.', `30 seats ${P(`${label}quote`)}.`) }
      : line,
  );
  const notes = notesEvent(
    booking.data.booking.id,
    {
      transcript,
      summary: PL(`${label}summary`),
      action_items: [{ text: PL(`${label}action`), priority: PS('prio') }],
    },
    'ws_xss',
  );
  await sendEvent(app.url, notes);
  expect(await settled(app.db, notes.id)).toBe('done');
  const { rows } = await app.db.query<{ id: string; deal_id: string }>(
    'SELECT id, deal_id FROM suggestions WHERE event_id = $1',
    [notes.id],
  );
  expect(rows[0], `a suggestion (${label})`).toBeDefined();
  return rows[0]!;
}

beforeAll(async () => {
  spy = await startSpyServer();
  const app = await startTestApp({
    kind: 'pglite',
    sandbox: sb.sandbox,
    sandboxBase: sb.base,
    sync: true,
    handoffSecret: secret,
  });
  const zohoEmail = "z'xss+zoho@xss.test";
  const org = await sb.client.createOrg({
    name: PL('org'),
    users: [{ email: zohoEmail, first_name: PS('zfirst'), last_name: PS('zlast'), profile: 'Administrator' }],
    pipelines: xssPipelines,
  });
  // The XSS user signs in by handoff (creating the workspace and user) and connects Zoho.
  const session = new AppSession(app.url);
  expect((await session.get(handoffLink())).status).toBe(303);
  // A member of the workspace for the team table.
  const now = Math.floor(Date.now() / 1000);
  const member = new AppSession(app.url);
  await member.get(
    `/auth/handoff?${new URLSearchParams({
      token: signHandoff(secret, {
        jti: crypto.randomUUID(),
        iat: now,
        exp: now + 120,
        workspace: { id: 'ws_xss', name: PL('ws') },
        user: { id: 'usr_xss_member', email: "m'xss+member@xss.test", name: PL('member'), role: 'member' },
      }),
    })}`,
  );
  expect((await session.connect(sb.base, zohoEmail)).location?.search).toBe('?done=connected');

  // A booking with an attendee made of payloads, whose Contact Zoho refuses with a message of one.
  const attendee = {
    email: attendeeEmail,
    name: PL('aname'),
    first_name: PS('afirst'),
    last_name: PS('alast'),
    phone: '+1 555 0100',
    company: PL('company'),
  };
  await refuseNextContactInsert(sb.client, org, { code: 'INVALID_DATA', message: PL('zerr') });
  const failing = bookingEvent({
    workspaceId: 'ws_xss',
    host,
    attendees: [{ ...attendee, email: buyerEmail }],
  });
  failing.data.booking.title = PL('ftitle');
  await sendEvent(app.url, failing);
  expect(await settled(app.db, failing.id)).toBe('failed');
  const booked = bookingEvent({ workspaceId: 'ws_xss', host, attendees: [attendee] });
  Object.assign(booked.data.booking, { title: PL('title'), description: PL('desc'), location: PL('loc') });
  await sendEvent(app.url, booked);
  expect(await settled(app.db, booked.id)).toBe('done');

  const open = await suggestion(app, org, 's1');
  const decided = await suggestion(app, org, 's2');
  // The deal moves in Zoho before the approval: the refusal names the deal and the new stage.
  const tokens = await sb.client.tokens(org);
  const moved = await sb.client.api(tokens, 'PUT', '/Deals', {
    data: [{ id: decided.deal_id, Stage: P('stage2') }],
  });
  expect(moved.status).toBe(200);
  const approve = await session.post(`/suggestions/${decided.id}/approve`, { stage: 'Proposal/Price Quote' });
  expect(approve.status).toBe(303);
  w = { app, org, zohoEmail, suggestion: { open: open.id, decided: decided.id } };
}, 240_000);

afterAll(async () => {
  await w?.app.close();
  await spy?.close();
});

interface Traces {
  xss: unknown;
  elements: string[];
  handlers: string[];
  scriptUrls: string[];
  refreshes: string[];
  text: string;
}

/**
 * What a payload would leave behind if it had got in: a global, an element of a kind no page
 * here has (script, img, svg, iframe, object, embed, base), an event handler attribute, a
 * script URL, a meta redirect. (A string: the type checker has no DOM library here.)
 */
const tracesScript = `(() => {
  const all = [...document.querySelectorAll('*')];
  return {
    xss: window.__xss,
    elements: all
      .filter((e) => ['SCRIPT', 'IMG', 'SVG', 'IFRAME', 'OBJECT', 'EMBED', 'BASE'].includes(e.tagName.toUpperCase()))
      .map((e) => e.outerHTML.slice(0, 80)),
    handlers: all.flatMap((e) =>
      [...e.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => e.tagName + ' ' + a.name)),
    scriptUrls: all.flatMap((e) =>
      ['href', 'src', 'action', 'formaction'].map((k) => e.getAttribute(k))
        .filter((v) => v !== null && /^\\s*(javascript|data|vbscript):/i.test(v))),
    refreshes: [...document.querySelectorAll('meta[http-equiv]')]
      .map((m) => m.getAttribute('content') || '').filter((c) => !/^\\d+$/.test(c)),
    text: document.documentElement.textContent || '',
  };
})()`;
const traces = (page: Page) => page.evaluate(tracesScript) as Promise<Traces>;

let dialogs: string[] = [];
beforeEach(() => {
  dialogs = [];
  spy.hits.length = 0;
  b.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});

/** Opens `url` and checks nothing ran, nothing got in, and each label's payload shows as text. */
async function expectInert(url: string, labels: string[], texts: string[] = []) {
  const res = await b.page.goto(url);
  const where = new URL(url).pathname;
  expect(res?.status(), where).toBeLessThan(500);
  // The app's pages also forbid inline and foreign scripts (a second line behind the escaping).
  if (url.startsWith(w.app.url)) {
    const csp = (await res?.allHeaders())?.['content-security-policy'] ?? '';
    expect(csp, `${where}: CSP`).toContain("default-src 'none'");
    expect(csp, `${where}: CSP`).not.toMatch(/script-src[^;]*('unsafe-|\*|data:|https?:)/);
    expect(csp, `${where}: CSP`).toContain("script-src-attr 'none'");
  }
  return checkPage(labels, texts, where);
}

async function checkPage(labels: string[], texts: string[] = [], where = new URL(b.page.url()).pathname) {
  await b.page.waitForLoadState('load');
  const t = await traces(b.page);
  expect(dialogs, `${where}: dialogs`).toEqual([]);
  expect(t.xss, `${where}: window.__xss`).toBeUndefined();
  expect(t.elements, `${where}: elements from payloads`).toEqual([]);
  expect(t.handlers, `${where}: event handlers`).toEqual([]);
  expect(t.scriptUrls, `${where}: script URLs`).toEqual([]);
  expect(t.refreshes, `${where}: redirects by meta`).toEqual([]);
  expect(
    spy.hits.filter((h) => h.url.startsWith('/xss/')),
    `${where}: requests to the watched server`,
  ).toEqual([]);
  for (const l of labels) expect(t.text, `${where}: ${l} shown as text`).toContain(shown(l));
  for (const s of texts) expect(t.text, `${where}: ${s}`).toContain(s);
}

async function signIn(next = '/integrations') {
  await b.page.goto(`${w.app.url}${handoffLink()}&next=${encodeURIComponent(next)}`);
  await b.page.waitForURL((u) => u.pathname === next);
}

// A browser's first pages are slow on a loaded machine.
describe('XSS payloads in every rendered field, in Chromium', { timeout: 120_000 }, () => {
  it('Integrations and Disconnect: workspace, user, team, Zoho account and org names', async () => {
    await signIn('/integrations');
    await checkPage(
      ['ws', 'user', 'member', 'zfirst', 'zlast', 'org'],
      [userEmail, w.zohoEmail, "m'xss+member@xss.test"],
    );
    expect(await b.page.locator('#zoho-card').getAttribute('data-status')).toBe('connected');
    await expectInert(`${w.app.url}/integrations/zoho/disconnect`, ['org', 'ws', 'user'], [w.zohoEmail]);
  });

  it('Activity: titles, attendees, what was created, Zoho’s refusal', async () => {
    await signIn('/activity');
    await checkPage(['title', 'ftitle', 'zerr', 's1title', 's1deal', 's1action', 'user'], [attendeeEmail]);
    expect(await b.page.locator('.event[data-status="failed"]').count()).toBe(1);
  });

  it('Suggestions, an open suggestion (deals, stages, pipeline, quotes) and a decided one', async () => {
    await signIn('/suggestions');
    await checkPage(['s1deal', 's1title', 's2deal']);
    await expectInert(`${w.app.url}/suggestions/${w.suggestion.open}`, [
      's1deal',
      's1deal2',
      'pipe',
      'stage',
      'stage2',
      's1quote',
      's1title',
    ]);
    expect(await b.page.locator('#decide').count()).toBe(1);
    await expectInert(`${w.app.url}/suggestions/${w.suggestion.open}?deal=${encodeURIComponent(PL('x'))}`, [
      's1deal',
    ]);
    await expectInert(`${w.app.url}/suggestions/${w.suggestion.decided}`, ['s2deal', 'stage2']);
    expect(await b.page.locator('#suggestion').getAttribute('data-status')).toBe('conflict');
  });

  it('Try it: a refused form shows the name as it was typed, inert', async () => {
    await signIn('/integrations');
    await b.page.locator('#try-name').fill(PL('tryname').slice(0, 200));
    await b.page.locator('#try-email').fill('a@b');
    await b.page.locator('#try-send').click();
    await b.page.waitForLoadState('load');
    await checkPage([], []);
    expect(await b.page.locator('#try-name').inputValue()).toBe(PL('tryname').slice(0, 200));
    expect(await b.page.locator('#try-it-problems').count()).toBe(1);
  });

  it('Handoff: the switch page and a refused link name users and workspaces as text', async () => {
    await signIn('/integrations');
    // Another user's link while signed in: a page naming both.
    await expectInert(
      `${w.app.url}${handoffLink({ userId: 'usr_other', email: 'other@xss.test', name: PL('other'), ws: 'ws_other_xss', wsName: PL('ows') })}`,
      ['other', 'ows', 'user', 'ws'],
    );
    expect(await b.page.locator('#handoff-switch').count()).toBe(1);
    // A link naming a new member with the XSS user's email: refused, the page names the workspace.
    await b.context.clearCookies();
    await expectInert(
      `${w.app.url}${handoffLink({ userId: 'usr_clash', name: PL('clash'), wsName: PL('cws') })}`,
      ['cws'],
    );
  });

  it('The sandbox’s own pages: orgs, records and their notes, what was written', async () => {
    await expectInert(`${sb.base}/__sandbox/`, ['org'], [w.zohoEmail]);
    // (The app cuts attendees' names to Zoho's lengths, so their payloads show cut: inert is enough.)
    await expectInert(
      `${sb.base}/__sandbox/orgs/${w.org.org_id}/view`,
      ['org', 's1c', 's1deal', 's1deal2', 'stage2'],
      [attendeeEmail],
    );
    const links: string[] = [];
    for (const a of await b.page.locator('a[href*="/view/"]').all())
      links.push(new URL((await a.getAttribute('href')) ?? '', sb.base).href);
    expect(links.length).toBeGreaterThan(5);
    for (const href of links.filter((h) => /\/view\/(Contacts|Deals|Notes|Tasks)\//.test(h)).slice(0, 12))
      await expectInert(href, []);
  });

  it('The sandbox’s sign-in and consent pages: client, org, user and request values', async () => {
    const client = await sb.client.json('POST', '/__sandbox/clients', {
      name: PL('client'),
      redirect_uris: [`${spy.url}/callback`],
    });
    expect(client.status).toBe(201);
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: client.body.client_id,
      scope: 'ZohoCRM.modules.ALL,ZohoCRM.users.READ',
      redirect_uri: `${spy.url}/callback`,
      state: PL('state'),
      access_type: 'offline',
    });
    await expectInert(`${sb.base}/us/accounts/oauth/v2/auth?${params}`, []);
    await b.page.locator('input[name="email"]').fill(w.zohoEmail);
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await b.page.waitForURL((u) => !u.pathname.endsWith('/signin'));
    await checkPage(['client', 'org'], [w.zohoEmail]);
    expect(await b.page.locator('input[name="state"]').inputValue()).toBe(PL('state'));
    // Refusals that echo the request.
    params.set('scope', `ZohoCRM.modules.ALL,${PS('scope')}`);
    await expectInert(`${sb.base}/us/accounts/oauth/v2/auth?${params}`, []);
    params.set('redirect_uri', `javascript:alert('redir')//${PS('ruri')}`);
    await expectInert(`${sb.base}/us/accounts/oauth/v2/auth?${params}`, []);
  });
});
