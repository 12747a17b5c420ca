import { afterEach, describe, expect, it } from 'vitest';
import { textOf } from '../helpers/connect-steps.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import {
  ada,
  stageOf as dealStage,
  pipelines,
  quoteTranscript,
  seedRecords,
  suggestionFor,
} from '../helpers/deals.ts';
import { bookingEvent, notesEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/** Deal-stage suggestions: made from the meeting, written only after the owner approves. */
const sb = useSandbox();

const stageOf = (c: Connected, id: string) => dealStage(sb.client, c, id);
const seed = (c: Connected, module: string, data: Array<Record<string, unknown>>) =>
  seedRecords(sb.client, c.org, module, data);

describe.each(databaseKinds)('deal-stage suggestions on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  async function suggestion(deals?: Array<Record<string, unknown>>) {
    c = await connectedApp(sb, kind, { pipelines }, { sync: true });
    return suggestionFor(sb.client, c, deals);
  }

  it('a meeting pointing to the next stage makes a suggestion with its evidence; Approve writes the Stage and audits it', async () => {
    const { id, dealIds } = await suggestion();
    expect(id).toBeDefined();
    expect(await stageOf(c!, dealIds[0]!)).toBe('Value Proposition');
    const listHtml = (await c!.session.get('/suggestions')).html;
    expect(listHtml).toContain('<span class="badge waiting">Waiting for your decision</span>');
    const list = textOf(listHtml);
    expect(list).toContain(
      'Analytical Engines Waiting for your decision Value Proposition → Proposal/Price Quote Sales pipeline · owner Ada Admin · contact ada.lovelace@analytical.example',
    );
    const page = (await c!.session.get(`/suggestions/${id}`)).html;
    expect(textOf(page)).toContain('please send me the formal quote for 30 seats');
    expect(textOf(page)).toMatch(/Buyer intent high/);

    const approved = await c!.session.post(`/suggestions/${id}/approve`, {
      deal_id: dealIds[0]!,
      stage: 'Proposal/Price Quote',
    });
    expect(approved.status).toBe(303);
    expect(await stageOf(c!, dealIds[0]!)).toBe('Proposal/Price Quote');
    const afterHtml = (await c!.session.get(`/suggestions/${id}`)).html;
    expect(afterHtml).toContain('<span class="badge ok">Approved</span>');
    const after = textOf(afterHtml);
    expect(after).toContain(
      'Approved Moved “Analytical Engines” from “Value Proposition” to “Proposal/Price Quote”. Approved by Alex Morgan',
    );
    const { rows } = await c!.app.db.query(
      'SELECT user_id, action, from_stage, to_stage, outcome FROM suggestion_decisions WHERE suggestion_id = $1',
      [id],
    );
    expect(rows).toEqual([
      {
        user_id: 'usr_alex',
        action: 'approve',
        from_stage: 'Value Proposition',
        to_stage: 'Proposal/Price Quote',
        outcome: 'written',
      },
    ]);
    // Decided once: a second approval is refused and writes nothing.
    expect(
      (await c!.session.post(`/suggestions/${id}/approve`, { stage: 'Negotiation/Review' })).status,
    ).toBe(403);
    expect(await stageOf(c!, dealIds[0]!)).toBe('Proposal/Price Quote');
  });

  it('Reject writes nothing and is audited', async () => {
    const { id, dealIds } = await suggestion();
    expect((await c!.session.post(`/suggestions/${id}/reject`)).status).toBe(303);
    expect(await stageOf(c!, dealIds[0]!)).toBe('Value Proposition');
    const { rows } = await c!.app.db.query(
      'SELECT action, outcome FROM suggestion_decisions WHERE suggestion_id = $1',
      [id],
    );
    expect(rows).toEqual([{ action: 'reject', outcome: 'rejected' }]);
    const writes = (await sb.client.calls(c!.org)).filter((x) => x.method !== 'GET' && /Deals/.test(x.path));
    expect(writes).toEqual([]);
  });

  it('a stage changed in Zoho after the suggestion: Approve writes nothing and says why', async () => {
    const { id, dealIds } = await suggestion();
    // Someone moves the deal in Zoho CRM's own UI meanwhile.
    await sb.client.json('PATCH', `/__sandbox/orgs/${c!.org.org_id}/records/Deals/${dealIds[0]}`, {
      Stage: 'Needs Analysis',
    });
    await c!.session.post(`/suggestions/${id}/approve`, {
      deal_id: dealIds[0]!,
      stage: 'Proposal/Price Quote',
    });
    expect(await stageOf(c!, dealIds[0]!)).toBe('Needs Analysis');
    const pageHtml = (await c!.session.get(`/suggestions/${id}`)).html;
    expect(pageHtml).toContain('<span class="badge failed">Not written: the deal changed</span>');
    const page = textOf(pageHtml);
    expect(page).toContain(
      'is now at “Needs Analysis” (it was at “Value Proposition” when this was suggested), so nothing was written',
    );
    const writes = (await sb.client.calls(c!.org)).filter((x) => x.method !== 'GET' && /Deals/.test(x.path));
    expect(writes).toEqual([]);
  });

  it('several open deals: the one worked on last is suggested, another can be chosen; closed deals are left out', async () => {
    const { id, dealIds } = await suggestion([
      { Deal_Name: 'Old deal', Stage: 'Qualification', Pipeline: 'Sales' },
      { Deal_Name: 'Renewal 2027', Stage: 'Renewal Due', Pipeline: 'Renewals' },
      { Deal_Name: 'Won long ago', Stage: 'Closed Won', Pipeline: 'Sales' },
    ]);
    expect(id).toBeDefined();
    const { rows } = await c!.app.db.query<{ deal_name: string; other_deals: unknown }>(
      'SELECT deal_name, other_deals FROM suggestions WHERE id = $1',
      [id],
    );
    const others = (
      typeof rows[0]!.other_deals === 'string' ? JSON.parse(rows[0]!.other_deals) : rows[0]!.other_deals
    ) as Array<{ name: string }>;
    expect([rows[0]!.deal_name, ...others.map((d) => d.name)].sort()).toEqual(['Old deal', 'Renewal 2027']);
    const page = textOf((await c!.session.get(`/suggestions/${id}`)).html);
    expect(page).toContain('changed most recently');
    // Choose the other open deal and a stage of its own pipeline.
    const other = rows[0]!.deal_name === 'Old deal' ? dealIds[1]! : dealIds[0]!;
    const otherStage = other === dealIds[1] ? 'Renewal Quoted' : 'Needs Analysis';
    expect(
      (await c!.session.post(`/suggestions/${id}/approve`, { deal_id: other, stage: otherStage })).status,
    ).toBe(303);
    expect(await stageOf(c!, other)).toBe(otherStage);
    // A stage of another pipeline is refused.
    expect(await stageOf(c!, dealIds[2]!)).toBe('Closed Won');
  });

  it('a Lead has no deals: no suggestion, and the Activity page says why', async () => {
    c = await connectedApp(sb, kind, { pipelines }, { sync: true });
    await seed(c, 'Leads', [{ Last_Name: 'Lovelace', Email: ada.email, Company: 'Analytical' }]);
    const booking = bookingEvent({ attendees: [ada] });
    await sendEvent(c.app.url, booking);
    expect(await settled(c.app.db, booking.id)).toBe('done');
    const notes = notesEvent(booking.data.booking.id, { transcript: quoteTranscript });
    await sendEvent(c.app.url, notes);
    expect(await settled(c.app.db, notes.id)).toBe('done');
    expect(textOf((await c.session.get('/activity')).html)).toContain(
      'is a Lead: Leads have no Deals in Zoho CRM',
    );
    const { rows } = await c.app.db.query('SELECT id FROM suggestions');
    expect(rows).toEqual([]);
  });

  it('others cannot see or decide it: a member of the workspace, an admin of another', async () => {
    const { id, dealIds } = await suggestion();
    const sam = await c!.app.signIn('usr_sam');
    expect((await sam.get(`/suggestions/${id}`)).status).toBe(404);
    expect(textOf((await sam.get('/suggestions')).html)).not.toContain('Analytical Engines');
    expect((await sam.post(`/suggestions/${id}/approve`, { stage: 'Proposal/Price Quote' })).status).toBe(
      404,
    );
    expect((await sam.post(`/suggestions/${id}/reject`)).status).toBe(404);
    const olga = await c!.app.signIn('usr_olga');
    expect((await olga.get(`/suggestions/${id}`)).status).toBe(404);
    expect((await olga.post(`/suggestions/${id}/approve`, { stage: 'Proposal/Price Quote' })).status).toBe(
      404,
    );
    // Without the session's CSRF token nothing is decided either.
    expect(
      (await c!.session.post(`/suggestions/${id}/approve`, { stage: 'Proposal/Price Quote' }, false)).status,
    ).toBe(403);
    expect(await stageOf(c!, dealIds[0]!)).toBe('Value Proposition');
  });
});
