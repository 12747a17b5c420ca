import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { describeProblem } from '../../src/connections/problems.ts';
import type { AppSession, TestApp } from '../helpers/app.ts';
import { startTestApp, zohoEmail } from '../helpers/app.ts';
import { beginConnect, cardProblem, localTarget, textOf } from '../helpers/connect-steps.ts';
import { connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * L4: anyone can link a signed-in user to the OAuth callback with a made-up `state`. That
 * defaced the card ("could not be matched…" on a card never connected) and overwrote a real
 * "Reconnect needed" reason. A forged or unknown state now changes nothing stored: the user
 * sees a one-off notice on the page the callback lands on, and the card stays as it was.
 */
const sb = useSandbox();

/** The Zoho card as the page shows it. */
const card = (html: string) => /<section class="card" id="zoho-card"[\s\S]*?<\/section>/.exec(html)?.[0];

describe.each(databaseKinds)('L4: a forged OAuth state on %s', (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  type Card = { app: TestApp; alex: AppSession };
  const cards: Array<[string, () => Promise<Card>]> = [
    [
      'never connected',
      async () => {
        const a = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base });
        return { app: a, alex: await a.signIn('usr_alex') };
      },
    ],
    [
      'Reconnect needed (Zoho refused the refresh token)',
      async () => {
        const c = await connectedApp(sb, kind);
        await sb.client.json('POST', `/__sandbox/orgs/${c.org.org_id}/revoke-tokens`, {});
        await c.session.post('/integrations/zoho/check');
        const page = (await c.session.get('/integrations')).html;
        expect(cardProblem(page)?.code).toBe('refresh_rejected');
        return { app: c.app, alex: c.session };
      },
    ],
    [
      'connected',
      async () => {
        const c = await connectedApp(sb, kind);
        expect((await c.session.get('/integrations')).html).toContain(zohoEmail(c.org));
        return { app: c.app, alex: c.session };
      },
    ],
  ];

  const forgeries: Array<[string, (c: Card) => Promise<Record<string, string>>]> = [
    ['an unknown state', async () => ({ state: crypto.randomBytes(32).toString('base64url'), code: 'x' })],
    ['an empty state', async () => ({ state: '', code: 'x' })],
    ['no state', async () => ({ code: 'x' })],
    ['a state with Zoho’s error', async () => ({ state: 'made-up', error: 'access_denied' })],
    [
      'another user’s state',
      async (c) => ({ state: (await beginConnect(await c.app.signIn('usr_sam'))).state, code: 'x' }),
    ],
  ];

  const row = async (a: TestApp) =>
    (await a.db.query("SELECT * FROM connections WHERE workspace_id = 'ws_demo' AND user_id = 'usr_alex'"))
      .rows;

  for (const [cardName, makeCard] of cards)
    it.each(forgeries)(
      `card ${cardName}: %s changes nothing, and the landing page says why once`,
      async (_, forge) => {
        const c = await makeCard();
        app = c.app;
        const before = { row: await row(c.app), card: card((await c.alex.get('/integrations')).html) };
        expect(before.card).toBeDefined();

        const q = new URLSearchParams(await forge(c));
        const res = await c.alex.get(`/integrations/zoho/callback?${q}`);

        expect(res.status).toBe(303);
        expect(localTarget(res.location)).toBe('/integrations?failed=state_invalid');
        const landing = (await c.alex.get(localTarget(res.location)!)).html;
        const notice = /<div class="problem" id="connect-notice"[^>]*>([\s\S]*?)<\/div>/.exec(landing)?.[1];
        const described = describeProblem('state_invalid');
        expect(textOf(notice ?? '')).toContain(described.title);
        expect(textOf(notice ?? '')).toContain(described.check);
        expect(card(landing)).toBe(before.card);
        expect(await row(c.app)).toEqual(before.row);
        // Nothing was kept: the next visit shows no notice.
        expect((await c.alex.get('/integrations')).html).not.toContain('id="connect-notice"');
      },
    );

  it('the notice shows only the fixed text of a known code, never what the link says', async () => {
    app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base });
    const alex = await app.signIn('usr_alex');
    for (const failed of ['<b>pwned</b>', 'denied', 'untrusted_server', 'x'.repeat(500)]) {
      const page = (await alex.get(`/integrations?${new URLSearchParams({ failed })}`)).html;
      expect(page, failed).not.toContain('id="connect-notice"');
      expect(page).not.toContain('pwned');
    }
  });
});
