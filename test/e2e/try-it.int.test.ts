import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSamples } from '../../src/demo/samples.ts';
import { signHandoff } from '../../src/users/handoff.ts';
import { AppSession, startTestApp } from '../helpers/app.ts';
import { textOf } from '../helpers/connect-steps.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { settled } from '../helpers/events.ts';
import { registerSecret } from '../helpers/logs.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * The sandbox's Try it panel: a demo booking and its meeting notes through the signed event
 * API, so that the Contact, the Notes, the Tasks and a deal-stage suggestion appear.
 */
const sb = useSandbox();
const samples = loadSamples();
const f01 = samples.find((s) => s.id === 'f01')!;
const attendee = { name: 'Grace Hopper', email: 'Grace.Hopper@compilers.example' };

type Rec = Record<string, any>;
const records = (c: Connected, module: string): Promise<Rec[]> => sb.client.records(c.org, module);

async function eventsOf(c: Connected): Promise<Array<{ id: string; type: string; booking_id: string }>> {
  const { rows } = await c.app.db.query<{ id: string; type: string; booking_id: string }>(
    'SELECT id, type, booking_id FROM events ORDER BY received_at',
  );
  return rows;
}

async function allSettled(c: Connected): Promise<string[]> {
  const statuses = [];
  for (const e of await eventsOf(c)) statuses.push(await settled(c.app.db, e.id));
  return statuses;
}

describe.each(databaseKinds)('Try it panel on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('an existing customer with a deal: Contact, booking Note, summary Note, Tasks and a suggestion appear', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const panel = textOf((await c.session.get('/integrations')).html);
    expect(panel).toContain('Try it');
    expect(panel).toContain(`${f01.meeting.title} (deal at Value Proposition)`);

    const sent = await c.session.post('/integrations/try-it', {
      sample: 'f01',
      ...attendee,
      with_deal: 'on',
    });
    expect(sent.status).toBe(303);
    expect(sent.location?.pathname + sent.location!.search).toBe('/activity?tried=deal');
    expect(await allSettled(c)).toEqual(['done', 'done']);

    const events = await eventsOf(c);
    expect(events.map((e) => e.type)).toEqual(['booking.created', 'meeting.notes_processed']);
    expect(events[0]!.booking_id).toBe(events[1]!.booking_id);

    const contacts = await records(c, 'Contacts');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ First_Name: 'Grace', Last_Name: 'Hopper', Email: attendee.email });
    const deals = await records(c, 'Deals');
    expect(deals).toHaveLength(1);
    expect(deals[0]).toMatchObject({
      Deal_Name: `${f01.meeting.title} (Try it)`,
      Stage: 'Value Proposition',
      Contact_Name: { id: contacts[0]!.id },
    });
    const notes = (await records(c, 'Notes')).filter((n) => n.Parent_Id?.id === contacts[0]!.id);
    expect(notes.map((n) => n.Note_Title).join(' | ')).toContain(f01.meeting.title);
    expect(notes).toHaveLength(2);
    const tasks = (await records(c, 'Tasks')).filter((t) => t.Who_Id?.id === contacts[0]!.id);
    expect(tasks.length).toBeGreaterThan(0);
    for (const t of tasks) expect(t.Status).toBe('Not Started');

    const { rows } = await c.app.db.query<{ deal_id: string; from_stage: string; suggested_stage: string }>(
      'SELECT deal_id, from_stage, suggested_stage FROM suggestions',
    );
    expect(rows).toEqual([
      { deal_id: deals[0]!.id, from_stage: 'Value Proposition', suggested_stage: 'Proposal/Price Quote' },
    ]);
    const activity = textOf((await c.session.get('/activity?tried=deal')).html);
    expect(activity).toContain(
      'Try it: The attendee was added to the sandbox org as a Contact with an open deal',
    );
    expect(activity).toContain(f01.meeting.title);
    // The Deal was put there as a person would, never by PepoSmart's Zoho client.
    const calls = (await sb.client.calls(c.org)).filter(
      (x: Rec) => /\/Deals/.test(x.path) && x.method !== 'GET',
    );
    expect(calls).toEqual([]);
  });

  it('without a deal: the booking creates the Contact, the notes make Note and Tasks, and no suggestion', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const sent = await c.session.post('/integrations/try-it', { sample: 'f01', ...attendee });
    expect(sent.location?.search).toBe('?tried=no_deal');
    expect(await allSettled(c)).toEqual(['done', 'done']);
    const contacts = await records(c, 'Contacts');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.Description).toMatch(/PepoSmart/);
    expect(await records(c, 'Deals')).toEqual([]);
    expect((await records(c, 'Tasks')).length).toBeGreaterThan(0);
    expect((await c.app.db.query('SELECT id FROM suggestions')).rows).toEqual([]);
    expect(textOf((await c.session.get('/activity')).html)).toContain('has no open Deal in Zoho CRM');
  });

  it('a second try re-uses the Contact and adds another deal, which the new suggestion is made on', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await c.session.post('/integrations/try-it', { sample: 'f01', ...attendee, with_deal: 'on' });
    await c.session.post('/integrations/try-it', {
      sample: 'f01',
      name: attendee.name,
      email: attendee.email.toLowerCase(),
      with_deal: 'on',
    });
    expect(await allSettled(c)).toEqual(['done', 'done', 'done', 'done']);
    expect(await records(c, 'Contacts')).toHaveLength(1);
    const deals = await records(c, 'Deals');
    expect(deals).toHaveLength(2);
    const { rows } = await c.app.db.query<{ deal_id: string }>(
      'SELECT deal_id FROM suggestions ORDER BY created_at',
    );
    expect(rows).toHaveLength(2);
  });

  it('a sample whose stage the org’s pipeline lacks still sends the meeting and says why there is no deal', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const custom = samples.find((s) => s.current_stage === 'Demo Scheduled')!;
    const sent = await c.session.post('/integrations/try-it', {
      sample: custom.id,
      ...attendee,
      with_deal: 'on',
    });
    expect(sent.location?.search).toBe('?tried=stage_missing');
    expect(await allSettled(c)).toEqual(['done', 'done']);
    expect(await records(c, 'Deals')).toEqual([]);
    const page = textOf((await c.session.get(`/activity${sent.location!.search}`)).html);
    expect(page).toContain("The sandbox org's default pipeline has no stage this sample's deal is at");
  });

  it('bad input is shown on the form with nothing sent; not connected is refused', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const bad = await c.session.post('/integrations/try-it', {
      sample: 'nope',
      name: ' ',
      email: 'not-an-email',
    });
    expect(bad.status).toBe(400);
    const text = textOf(bad.html);
    expect(text).toContain('choose one of the sample meetings');
    expect(text).toContain('give the attendee a name');
    expect(text).toContain('a valid email address');
    expect(await eventsOf(c)).toEqual([]);

    const sam = await c.app.signIn('usr_sam');
    expect(textOf((await sam.get('/integrations')).html)).not.toContain('Send the demo meeting');
    const refused = await sam.post('/integrations/try-it', { sample: 'f01', ...attendee });
    expect(refused.status).toBe(409);
    expect(textOf(refused.html)).toContain('Connect Zoho CRM on the Integrations page first');
    const noCsrf = await sam.post('/integrations/try-it', { sample: 'f01', ...attendee }, false);
    expect(noCsrf.status).toBe(403);
    expect(await eventsOf(c)).toEqual([]);
    expect(await records(c, 'Contacts')).toEqual([]);
  });
});

describe('outside sandbox mode', () => {
  const secret = crypto.randomBytes(32).toString('hex');
  registerSecret(secret);

  it('has no Try it panel and no route', async () => {
    const app = await startTestApp({
      kind: 'pglite',
      sandbox: sb.sandbox,
      sandboxBase: sb.base,
      sync: true,
      sandboxMode: false,
      handoffSecret: secret,
    });
    try {
      const now = Math.floor(Date.now() / 1000);
      const token = signHandoff(secret, {
        jti: crypto.randomUUID(),
        iat: now,
        exp: now + 120,
        workspace: { id: 'ws_demo', name: 'Demo Workspace' },
        user: { id: 'usr_alex', email: 'alex@peposmart.test', name: 'Alex Morgan', role: 'admin' },
      });
      const session = new AppSession(app.url);
      const signedIn = await session.get(`${app.url}/auth/handoff?${new URLSearchParams({ token })}`);
      expect(signedIn.status).toBe(303);
      expect(textOf((await session.get('/integrations')).html)).not.toContain('Try it');
      const res = await session.post('/integrations/try-it', { sample: 'f01', ...attendee });
      expect(res.status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
