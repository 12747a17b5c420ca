import { afterEach, describe, expect, it } from 'vitest';
import type { AppSession } from '../helpers/app.ts';
import { textOf } from '../helpers/connect-steps.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { pipelines, suggestionFor } from '../helpers/deals.ts';
import { uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

/**
 * The Suggestions pages read for whoever looks (issue 14): statuses as badges said once, names
 * instead of ids, whose decision it waits for, deals of the same name told apart, a 404 page and
 * empty states that say what to do next.
 */
const sb = useSandbox();

const sam = { user_id: 'usr_sam', email: 'sam@peposmart.test', name: 'Sam Rivera' };
/** The element with this id, up to its closing `</tag>` (no nesting of the same tag inside). */
const element = (page: string, tag: string, id: string) =>
  new RegExp(`<${tag}[^>]*id="${id}"[\\s\\S]*?</${tag}>`).exec(page)?.[0] ?? '';
const card = (page: string, id: string) => element(page, 'article', `suggestion-${id}`);

describe('Suggestions pages', () => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  /** Alex (admin) connected, and Sam (member) connected as another user of the same Zoho org. */
  async function team(): Promise<{ c: Connected; sam: AppSession }> {
    const samZoho = uniqueEmail('sam.zoho');
    c = await connectedApp(
      sb,
      'pglite',
      {
        pipelines,
        users: [
          {
            email: uniqueEmail('alex.zoho'),
            first_name: 'Alex',
            last_name: 'Zoho',
            profile: 'Administrator',
          },
          { email: samZoho, first_name: 'Sam', last_name: 'Zoho', profile: 'Administrator' },
        ],
      },
      { sync: true },
    );
    const session = await c.app.signIn('usr_sam');
    expect((await session.connect(sb.base, samZoho)).location?.search).toBe('?done=connected');
    return { c, sam: session };
  }

  it('an admin reads whose decision a member’s suggestion waits for; the member reads “your decision”; the log names who decided', async () => {
    const { c, sam: samSession } = await team();
    const { id } = await suggestionFor(sb.client, c, undefined, {
      attendee: { email: uniqueEmail('sefa'), name: 'Sefa Samuels' },
      host: sam,
    });
    const list = card((await c.session.get('/suggestions')).html, id!);
    expect(list).toContain('<span class="badge waiting">Waiting for Sam Rivera’s decision</span>');
    expect(textOf(list)).toContain('From Sam Rivera’s meeting “Discovery call”');
    const page = (await c.session.get(`/suggestions/${id}`)).html;
    expect(page).toContain('<span class="badge waiting">Waiting for Sam Rivera’s decision</span>');
    expect(page).not.toContain('Waiting for your decision');
    expect(page).not.toContain('id="decide"');
    expect(textOf(element(page, 'p', 'decided-by-owner'))).toContain(
      'only Sam Rivera can approve or reject it',
    );

    expect((await samSession.get(`/suggestions/${id}`)).html).toContain(
      '<span class="badge waiting">Waiting for your decision</span>',
    );
    expect((await samSession.post(`/suggestions/${id}/reject`)).status).toBe(303);
    const decided = (await c.session.get(`/suggestions/${id}`)).html;
    const audit = textOf(element(decided, 'section', 'audit'));
    expect(audit).toContain('Sam Rivera rejected it: nothing was written to Zoho CRM.');
    expect(audit).not.toContain('usr_sam');
  });

  it('a rejected suggestion says so once: a neutral badge, then what it means (not “Rejected — Rejected: …”)', async () => {
    c = await connectedApp(sb, 'pglite', { pipelines }, { sync: true });
    const { id } = await suggestionFor(sb.client, c);
    expect((await c.session.post(`/suggestions/${id}/reject`)).status).toBe(303);
    const page = (await c.session.get(`/suggestions/${id}`)).html;
    const summary = element(page, 'section', 'suggestion');
    expect(summary).toContain('<span class="badge neutral">Rejected</span>');
    expect(textOf(summary).match(/Rejected/g)).toHaveLength(2); // the badge, and "Rejected by Alex Morgan"
    expect(textOf(element(page, 'p', 'outcome'))).toMatch(
      /^Nothing was written to Zoho CRM\. Rejected by Alex Morgan, \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
    );
    expect(textOf(page)).not.toMatch(/Rejected\W+Rejected/);
    expect(card((await c.session.get('/suggestions')).html, id!)).toContain(
      '<span class="badge neutral">Rejected</span>',
    );
  });

  it('two suggestions on deals of the same name are told apart by amount, closing date, owner and contact; so are two deals of the same name to choose from', async () => {
    c = await connectedApp(sb, 'pglite', { pipelines }, { sync: true });
    const ada = { email: uniqueEmail('ada'), name: 'Ada Lovelace' };
    const bo = { email: uniqueEmail('bo'), name: 'Bo Brown' };
    const first = await suggestionFor(
      sb.client,
      c,
      [
        {
          Deal_Name: 'Annual renewal',
          Stage: 'Value Proposition',
          Pipeline: 'Sales',
          Closing_Date: '2026-12-31',
          Amount: 12000,
        },
        {
          Deal_Name: 'Annual renewal',
          Stage: 'Renewal Due',
          Pipeline: 'Renewals',
          Closing_Date: '2027-06-30',
        },
      ],
      { attendee: ada },
    );
    const second = await suggestionFor(
      sb.client,
      c,
      [
        {
          Deal_Name: 'Annual renewal',
          Stage: 'Value Proposition',
          Pipeline: 'Sales',
          Closing_Date: '2027-03-31',
        },
      ],
      { attendee: bo },
    );
    const list = (await c.session.get('/suggestions')).html;
    // Seeded as a person in Zoho's UI would: the org's first user owns them.
    expect(textOf(card(list, first.id!))).toContain(
      `Sales pipeline · amount 12,000 · closes 2026-12-31 · owner Ada Admin · contact ${ada.email}`,
    );
    expect(textOf(card(list, second.id!))).toContain(
      `Sales pipeline · closes 2027-03-31 · owner Ada Admin · contact ${bo.email}`,
    );

    const page = (await c.session.get(`/suggestions/${first.id}`)).html;
    const options = [...element(page, 'select', 'deal').matchAll(/<option[^>]*>([^<]*)<\/option>/g)].map(
      (m) => textOf(m[1]!),
    );
    expect(options.sort()).toEqual([
      'Annual renewal (Renewals pipeline · closes 2027-06-30 · owner Ada Admin; now “Renewal Due”)',
      'Annual renewal (Sales pipeline · amount 12,000 · closes 2026-12-31 · owner Ada Admin; now “Value Proposition”)',
    ]);
  });

  it('an unknown suggestion is a 404 page in the app’s frame; deciding on one too', async () => {
    c = await connectedApp(sb, 'pglite', { pipelines }, { sync: true, worker: false });
    for (const res of [
      await c.session.get('/suggestions/sug_nope'),
      await c.session.post('/suggestions/sug_nope/approve', { stage: 'Proposal/Price Quote' }),
      await c.session.post('/suggestions/sug_nope/reject'),
    ]) {
      expect(res.status).toBe(404);
      expect(res.html).toContain('<nav class="sidebar" aria-label="Main">');
      expect(textOf(element(res.html, 'div', 'problem-page'))).toContain('Suggestion not found');
      expect(element(res.html, 'div', 'problem-page')).toContain('href="/suggestions"');
    }
  });

  it('deciding twice: a page in the app’s frame says it is decided already, and links back to it', async () => {
    c = await connectedApp(sb, 'pglite', { pipelines }, { sync: true });
    const { id } = await suggestionFor(sb.client, c);
    expect((await c.session.post(`/suggestions/${id}/reject`)).status).toBe(303);
    const again = await c.session.post(`/suggestions/${id}/approve`, { stage: 'Proposal/Price Quote' });
    expect(again.status).toBe(403);
    const problem = element(again.html, 'div', 'problem-page');
    expect(textOf(problem)).toContain('This suggestion has already been decided.');
    expect(problem).toContain(`href="/suggestions/${id}"`);
  });

  it('with none yet: Zoho CRM must be connected first (a link to Integrations), else they appear after meetings', async () => {
    c = await connectedApp(sb, 'pglite', { pipelines }, { sync: true, worker: false });
    const samSession = await c.app.signIn('usr_sam');
    const notConnected = element((await samSession.get('/suggestions')).html, 'div', 'no-suggestions');
    expect(textOf(notConnected)).toContain('Connect Zoho CRM first');
    expect(textOf(notConnected)).toContain('Zoho CRM must be connected first');
    expect(notConnected).toContain('href="/integrations"');

    const connected = element((await c.session.get('/suggestions')).html, 'div', 'no-suggestions');
    expect(textOf(connected)).toContain('No suggestions yet');
    expect(textOf(connected)).toContain('after meetings whose AI notes point to a new stage');
    expect(connected).not.toContain('href="/integrations"');
  });
});
