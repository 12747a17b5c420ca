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

/** What the Integrations page's form would post: its own try id, and these fields. */
async function tryForm(c: Connected, fields: Record<string, string>) {
  const page = (await c.session.get('/integrations')).html;
  const tryId = /name="try_id" value="([^"]+)"/.exec(page)?.[1];
  expect(tryId).toBeDefined();
  return { try_id: tryId!, ...fields };
}

const settings = (over: Record<string, string | undefined> = {}) =>
  Object.fromEntries(
    Object.entries({
      new_attendee_module: 'Contacts',
      sync_bookings: 'on',
      sync_notes: 'on',
      sync_tasks: 'on',
      suggest_deal_stages: 'on',
      ...over,
    }).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;

describe.each(databaseKinds)('Try it panel on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('an existing customer with a deal: Contact, booking Note, summary Note, Tasks and a suggestion appear; the same form again sends nothing', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const panel = textOf((await c.session.get('/integrations')).html);
    expect(panel).toContain('Try it');
    expect(panel).toContain(`${f01.meeting.title} (deal at Value Proposition)`);
    expect(panel).not.toContain('Switched off in your settings');

    const form = await tryForm(c, { sample: 'f01', ...attendee, with_deal: 'on' });
    const sent = await c.session.post('/integrations/try-it', form);
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
      Owner: { email: c.org.users[0]!.email },
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
      'Try it: The attendee was added to the sandbox org as a Contact with a new open deal',
    );
    expect(activity).toContain('a suggestion appears on Suggestions');
    expect(activity).toContain(f01.meeting.title);
    // The Deal was put there as a person would, never by PepoSmart's Zoho client.
    const calls = (await sb.client.calls(c.org)).filter(
      (x: Rec) => /\/Deals/.test(x.path) && x.method !== 'GET',
    );
    expect(calls).toEqual([]);

    // A double click or a re-sent form: nothing new anywhere.
    const again = await c.session.post('/integrations/try-it', form);
    expect(again.location?.search).toBe('?tried=duplicate');
    expect(await eventsOf(c)).toHaveLength(2);
    expect(await records(c, 'Deals')).toHaveLength(1);
    expect(textOf((await c.session.get('/activity?tried=duplicate')).html)).toContain(
      'This demo meeting was sent already',
    );
  });

  it('without a deal: the booking creates the Contact, the notes make Note and Tasks, and no suggestion', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const sent = await c.session.post(
      '/integrations/try-it',
      await tryForm(c, { sample: 'f01', ...attendee }),
    );
    expect(sent.location?.search).toBe('?tried=no_deal');
    expect(await allSettled(c)).toEqual(['done', 'done']);
    const contacts = await records(c, 'Contacts');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.Description).toMatch(/PepoSmart/);
    expect(await records(c, 'Deals')).toEqual([]);
    expect((await records(c, 'Tasks')).length).toBeGreaterThan(0);
    expect((await c.app.db.query('SELECT id FROM suggestions')).rows).toEqual([]);
    const page = textOf((await c.session.get(`/activity${sent.location!.search}`)).html);
    expect(page).toContain('has no open Deal in Zoho CRM');
    expect(page).toContain('No deal was added');
    expect(page).not.toContain('a suggestion appears');
  });

  it('a second try re-uses the Contact and adds another deal, which the new suggestion is made on', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await c.session.post(
      '/integrations/try-it',
      await tryForm(c, { sample: 'f01', ...attendee, with_deal: 'on' }),
    );
    expect(await allSettled(c)).toEqual(['done', 'done']);
    const [first] = await records(c, 'Deals');
    await c.session.post(
      '/integrations/try-it',
      await tryForm(c, {
        sample: 'f01',
        name: attendee.name,
        email: attendee.email.toLowerCase(),
        with_deal: 'on',
      }),
    );
    expect(await allSettled(c)).toEqual(['done', 'done', 'done', 'done']);
    expect(await records(c, 'Contacts')).toHaveLength(1);
    const second = (await records(c, 'Deals')).find((d) => d.id !== first!.id);
    expect(second).toBeDefined();
    const { rows } = await c.app.db.query<{ deal_id: string }>(
      'SELECT deal_id FROM suggestions ORDER BY created_at',
    );
    expect(rows.map((r) => r.deal_id)).toEqual([first!.id, second!.id]);
  });

  it('a sample whose stage the org’s pipeline lacks still sends the meeting, adds nothing itself and says why', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const custom = samples.find((s) => s.current_stage === 'Demo Scheduled')!;
    const sent = await c.session.post(
      '/integrations/try-it',
      await tryForm(c, { sample: custom.id, ...attendee, with_deal: 'on' }),
    );
    expect(sent.location?.search).toBe('?tried=stage_missing');
    expect(await allSettled(c)).toEqual(['done', 'done']);
    expect(await records(c, 'Deals')).toEqual([]);
    // The one Contact is the booking's, created by PepoSmart: the panel left none behind.
    const contacts = await records(c, 'Contacts');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.Description).toMatch(/PepoSmart/);
    const page = textOf((await c.session.get(`/activity${sent.location!.search}`)).html);
    expect(page).toContain(
      "No deal was added: the sandbox org's default pipeline has no stage this sample's deal is at",
    );
    expect(page).not.toContain('a suggestion appears');
  });

  it('with the Leads setting: an attendee PepoSmart made a Lead gets no Contact or deal beside it', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    expect(
      (await c.session.post('/integrations/zoho/settings', settings({ new_attendee_module: 'Leads' })))
        .status,
    ).toBe(303);
    await c.session.post('/integrations/try-it', await tryForm(c, { sample: 'f01', ...attendee }));
    expect(await allSettled(c)).toEqual(['done', 'done']);
    expect(await records(c, 'Leads')).toHaveLength(1);

    const sent = await c.session.post(
      '/integrations/try-it',
      await tryForm(c, { sample: 'f01', ...attendee, with_deal: 'on' }),
    );
    expect(sent.location?.search).toBe('?tried=is_lead');
    expect(await allSettled(c)).toEqual(['done', 'done', 'done', 'done']);
    expect(await records(c, 'Contacts')).toEqual([]);
    expect(await records(c, 'Deals')).toEqual([]);
    expect(textOf((await c.session.get(`/activity${sent.location!.search}`)).html)).toContain(
      'this email is a Lead in the sandbox org',
    );
  });

  it('with deal-stage suggestions off: the panel says so, and no deal is added', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await c.session.post('/integrations/zoho/settings', settings({ suggest_deal_stages: undefined }));
    expect(textOf((await c.session.get('/integrations')).html)).toContain(
      'Switched off in your settings above, so left out: deal-stage suggestions.',
    );
    const sent = await c.session.post(
      '/integrations/try-it',
      await tryForm(c, { sample: 'f01', ...attendee, with_deal: 'on' }),
    );
    expect(sent.location?.search).toBe('?tried=suggestions_off');
    expect(await allSettled(c)).toEqual(['done', 'done']);
    expect(await records(c, 'Deals')).toEqual([]);
    expect((await c.app.db.query('SELECT id FROM suggestions')).rows).toEqual([]);
  });

  it('bad input is shown on the form with nothing sent; not connected or reconnect needed is refused', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const bad = await c.session.post('/integrations/try-it', {
      sample: 'nope',
      name: ' ',
      email: 'not-an-email',
    });
    expect(bad.status).toBe(400);
    const text = textOf(bad.html);
    expect(text).toContain('Choose one of the sample meetings');
    expect(text).toContain('Enter the attendee’s name');
    expect(text).toContain('Enter the attendee’s email address, like name@example.com');
    expect(text).toContain('This form has expired: reload the page and send again');
    // The form shown again carries a fresh try id, so sending it works.
    expect(bad.html).toMatch(/name="try_id" value="[A-Za-z0-9_-]{12}"/);
    const host = await c.session.post(
      '/integrations/try-it',
      await tryForm(c, { sample: 'f01', name: 'Me', email: 'ALEX@peposmart.test' }),
    );
    expect(host.status).toBe(400);
    expect(textOf(host.html)).toContain('That is you, the host');
    // A colleague would be left out of Zoho CRM (internal attendees, on by default).
    const colleague = await c.session.post(
      '/integrations/try-it',
      await tryForm(c, { sample: 'f01', name: 'Jo', email: 'jo@eu.peposmart.test' }),
    );
    expect(colleague.status).toBe(400);
    expect(textOf(colleague.html)).toContain(
      'That address counts as a colleague (the host’s own email domain (peposmart.test)), and internal attendees are left out of Zoho CRM',
    );
    expect(await eventsOf(c)).toEqual([]);

    const sam = await c.app.signIn('usr_sam');
    expect(textOf((await sam.get('/integrations')).html)).not.toContain('Send the demo meeting');
    const form = await tryForm(c, { sample: 'f01', ...attendee });
    const refused = await sam.post('/integrations/try-it', form);
    expect(refused.status).toBe(409);
    expect(textOf(refused.html)).toContain('Connect Zoho CRM on the Integrations page first');
    const noCsrf = await sam.post('/integrations/try-it', form, false);
    expect(noCsrf.status).toBe(403);

    await sb.client.json('POST', `/__sandbox/orgs/${c.org.org_id}/revoke-tokens`, {});
    await c.session.post('/integrations/zoho/check');
    const stale = await c.session.post('/integrations/try-it', form);
    expect(stale.status).toBe(409);
    expect(textOf(stale.html)).toContain('Zoho CRM needs to be reconnected');
    expect(await eventsOf(c)).toEqual([]);
    expect(await records(c, 'Contacts')).toEqual([]);
  });

  it('the connected Zoho user’s own email is refused as the attendee, marked on the field (issue 14)', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const zohoUser = c.org.users[0]!.email;
    const res = await c.session.post(
      '/integrations/try-it',
      await tryForm(c, { sample: 'f01', name: 'Me at Zoho', email: ` ${zohoUser.toUpperCase()} ` }),
    );
    expect(res.status).toBe(400);
    const message = `That is the Zoho CRM user you connected as (${zohoUser}): the meeting would be logged on yourself. Choose someone else as the attendee`;
    // The summary: styled, announced, each entry a link to its field.
    expect(res.html).toMatch(
      /<div class="problem" id="try-it-problems" role="alert"><strong>Check the fields marked below\.<\/strong>/,
    );
    expect(textOf(res.html)).toContain(message);
    expect(res.html).toContain(`<li><a href="#try-email">${message}</a></li>`);
    // The field: invalid, described by its own message, which sits beside it in the field-error style.
    expect(res.html).toMatch(
      /<input type="email" name="email" id="try-email" [^>]*aria-invalid="true" aria-describedby="try-email-error">/,
    );
    expect(res.html).toContain(`<p class="field-error" id="try-email-error">${message}</p>`);
    // Only the fields in error are marked.
    expect(res.html).not.toMatch(/id="try-name" [^>]*aria-invalid/);
    expect(res.html).not.toContain('id="try-name-error"');
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
