import { afterEach, describe, expect, it } from 'vitest';
import { zohoEmail } from '../helpers/app.ts';
import { clearFaults, injectFault, textOf } from '../helpers/connect-steps.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { stageOf as dealStage, pipelines, suggestionFor } from '../helpers/deals.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * An approval that cannot be carried out says what happened and what to do, writes nothing, and
 * leaves the suggestion open to approve once the cause is gone (issue 14: Approve while Zoho CRM
 * was disconnected did nothing and said nothing).
 */
const sb = useSandbox();

const stageOf = (c: Connected, id: string) => dealStage(sb.client, c, id);
const resultOf = (page: string) => /<div class="problem" id="result"[\s\S]*?<\/div>/.exec(page)?.[0] ?? '';
const dealWrites = async (c: Connected) =>
  (await sb.client.calls(c.org)).filter((x) => x.method !== 'GET' && /Deals/.test(x.path));

describe('an approval that cannot be carried out', () => {
  let c: Connected | undefined;
  afterEach(async () => {
    await clearFaults(sb.client);
    await c?.app.close();
    c = undefined;
  });

  async function open() {
    c = await connectedApp(sb, 'pglite', { pipelines }, { sync: true });
    const s = await suggestionFor(sb.client, c);
    expect(s.id).toBeDefined();
    return { id: s.id!, dealId: s.dealIds[0]! };
  }
  const approve = (id: string, dealId: string) =>
    c!.session.post(`/suggestions/${id}/approve`, { deal_id: dealId, stage: 'Proposal/Price Quote' });

  /** The page the approval lands on: its message, and the suggestion still open to decide. */
  async function landing(id: string, answer: Awaited<ReturnType<typeof approve>>, reason: string) {
    expect(answer.status).toBe(303);
    expect(answer.location?.pathname).toBe(`/suggestions/${id}`);
    expect(answer.location?.search).toBe(`?error=${reason}`);
    const page = (await c!.session.get(`${answer.location!.pathname}${answer.location!.search}`)).html;
    expect(page).toContain(`data-reason="${reason}"`);
    expect(page).toMatch(/id="suggestion" data-status="open"/);
    expect(page).toContain('id="decide"');
    const { rows } = await c!.app.db.query('SELECT id FROM suggestion_decisions WHERE suggestion_id = $1', [
      id,
    ]);
    expect(rows).toEqual([]);
    return resultOf(page);
  }

  it('Zoho CRM disconnected: the page says so and links to Integrations; nothing is written, and after reconnecting the same suggestion approves (regression, issue 14)', async () => {
    const { id, dealId } = await open();
    const before = (await c!.session.get(`/suggestions/${id}`)).html;
    expect(before).not.toContain('id="connection-notice"');
    expect((await c!.session.post('/integrations/zoho/disconnect')).status).toBe(303);
    // Said before trying, too.
    const warned = (await c!.session.get(`/suggestions/${id}`)).html;
    expect(textOf(warned)).toContain('Zoho CRM is not connected: approving needs it.');

    const result = await landing(id, await approve(id, dealId), 'not_connected');
    expect(textOf(result)).toContain('Not approved: Zoho CRM is not connected. Nothing was written.');
    expect(result).toContain(
      '<a href="/integrations">Connect Zoho CRM on Integrations</a>, then approve again.',
    );
    expect(await dealWrites(c!)).toEqual([]);
    expect(await stageOf(c!, dealId)).toBe('Value Proposition');

    expect((await c!.session.connect(sb.base, zohoEmail(c!.org))).location?.search).toBe('?done=connected');
    const again = await approve(id, dealId);
    expect(again.location?.search).toBe('');
    expect(await stageOf(c!, dealId)).toBe('Proposal/Price Quote');
  });

  it('Zoho CRM refuses the connection (revoked there): reconnect needed, with a link to reconnect', async () => {
    const { id, dealId } = await open();
    await sb.client.json('POST', `/__sandbox/orgs/${c!.org.org_id}/revoke-tokens`, {});
    const result = await landing(id, await approve(id, dealId), 'reconnect_needed');
    expect(textOf(result)).toContain('Not approved: Zoho CRM needs reconnecting.');
    expect(result).toContain('href="/integrations/zoho/connect"');
    expect(await dealWrites(c!)).toEqual([]);
    expect(await stageOf(c!, dealId)).toBe('Value Proposition');
  });

  it('Zoho CRM unreachable while re-reading the deal: try again; it approves once Zoho answers', async () => {
    const { id, dealId } = await open();
    await injectFault(sb.client, { method: 'GET', path: `/Deals/${dealId}`, status: 503, count: 50 });
    const result = await landing(id, await approve(id, dealId), 'unreachable');
    expect(textOf(result)).toBe(
      'Not approved: Zoho CRM could not be reached. Nothing was written. Try again in a moment.',
    );
    expect(await dealWrites(c!)).toEqual([]);
    await clearFaults(sb.client);
    expect((await approve(id, dealId)).location?.search).toBe('');
    expect(await stageOf(c!, dealId)).toBe('Proposal/Price Quote');
  });

  it('the deal already moved to that stage in Zoho CRM: nothing more is written, and the page says where it is', async () => {
    const { id, dealId } = await open();
    await sb.client.json('PATCH', `/__sandbox/orgs/${c!.org.org_id}/records/Deals/${dealId}`, {
      Stage: 'Proposal/Price Quote',
    });
    expect((await approve(id, dealId)).location?.search).toBe('');
    const page = (await c!.session.get(`/suggestions/${id}`)).html;
    expect(page).toMatch(/id="suggestion" data-status="conflict"/);
    expect(page).toContain('<span class="badge failed">Not written: the deal changed</span>');
    expect(textOf(page)).toContain(
      'The deal “Analytical Engines” is already at “Proposal/Price Quote” in Zoho CRM, so nothing more was written.',
    );
    expect(await dealWrites(c!)).toEqual([]);
  });
});
