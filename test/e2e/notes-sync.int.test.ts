import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, notesEvent, sendEvent, settled } from '../helpers/events.ts';
import { type FakeOpenAi, reply, startFakeOpenAi } from '../helpers/fake-openai.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/** AI meeting notes → the summary Note and one Task per action item, exactly once. */
const sb = useSandbox();
const records = (org: { org_id: string }, module: string) => sb.client.records(org, module);
let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());
const openai = () => ({
  apiKey: 'sk-test-fake',
  model: 'gpt-test',
  baseURL: fake.baseURL,
  // Generous: the fake answers at once; a loaded machine must not turn that into a fallback.
  timeoutMs: 30_000,
  maxRetries: 0,
});

// The booking's meeting: Tuesday 1 December 2026, 10:00–10:30 in Berlin.
const transcript = [
  { speaker: 'Alex Morgan', role: 'host', text: 'Thanks for joining, Ada. How did the pilot go?' },
  {
    speaker: 'Ada Lovelace',
    role: 'attendee',
    text: 'Really well, the team loved it. We want to move ahead, so please send me the formal quote for 30 seats.',
  },
  {
    speaker: 'Alex Morgan',
    role: 'host',
    text: "Great to hear. I'll send the formal quote for 30 seats by Friday.",
  },
  {
    speaker: 'Ada Lovelace',
    role: 'attendee',
    text: "Perfect. I'll loop in our finance lead Charles before the review.",
  },
  { speaker: 'Alex Morgan', role: 'host', text: "And I'll share the onboarding plan, no rush on that one." },
];

describe.each(databaseKinds)('meeting notes sync on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  /** Retries after a second and a short search lag, so a failed create is retried within the test. */
  async function bookedWithQuickRetries() {
    const conn = await connectedApp(
      sb,
      kind,
      {},
      {
        sync: true,
        syncRetry: { delaySeconds: 1 },
        claimTiming: { staleMs: 60_000, searchLagMs: 200, waitMs: 5_000 },
      },
    );
    c = conn;
    return { conn, bookingId: await booked(conn) };
  }

  async function booked(conn: Connected) {
    const booking = bookingEvent();
    await sendEvent(conn.app.url, booking);
    expect(await settled(conn.app.db, booking.id)).toBe('done');
    return booking.data.booking.id;
  }

  it('the platform’s summary and action items become a Note and Tasks on the Contact; the same event again creates nothing', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const bookingId = await booked(c);
    const event = notesEvent(bookingId, {
      summary: 'Ada wants a quote for 30 seats; finance reviews next week.',
      action_items: [
        { text: 'Send the formal quote for 30 seats', priority: 'high', due: '2026-12-04' },
        { text: 'Share the onboarding plan', priority: 'low' },
        { text: 'Loop in finance lead Charles', owner: 'attendee' },
      ],
    });
    expect((await sendEvent(c.app.url, event)).status).toBe(202);
    expect(await settled(c.app.db, event.id)).toBe('done');

    const [contact] = await records(c.org, 'Contacts');
    const notes = (await records(c.org, 'Notes')).filter((n) => n.Note_Title.startsWith('Meeting notes'));
    expect(notes).toHaveLength(1);
    expect(notes[0].Parent_Id.id).toBe(contact.id);
    expect(notes[0].Note_Title).toBe('Meeting notes: Discovery call');
    expect(notes[0].Note_Content).toContain('Ada wants a quote for 30 seats');
    const tasks = (await records(c.org, 'Tasks')).sort((a, b) => a.Subject.localeCompare(b.Subject));
    expect(
      tasks.map((t) => [t.Subject, t.Priority, t.Status, t.Due_Date, t.Who_Id?.id, t.Owner?.id]),
    ).toEqual([
      ['Loop in finance lead Charles', 'Normal', 'Not Started', '2026-12-04', contact.id, c.org.users[0]!.id],
      [
        'Send the formal quote for 30 seats',
        'High',
        'Not Started',
        '2026-12-04',
        contact.id,
        c.org.users[0]!.id,
      ],
      ['Share the onboarding plan', 'Low', 'Not Started', '2026-12-08', contact.id, c.org.users[0]!.id],
    ]);

    // The same event again: a duplicate, nothing new. A second notes event for the same
    // booking with the same items makes no second Task either.
    expect((await sendEvent(c.app.url, event)).body.status).toBe('duplicate');
    const again = notesEvent(bookingId, { action_items: [{ text: 'Send the formal quote for 30 seats' }] });
    await sendEvent(c.app.url, again);
    expect(await settled(c.app.db, again.id)).toBe('done');
    expect(await records(c.org, 'Tasks')).toHaveLength(3);
    // The three Tasks went to Zoho in one insert: one call, one credit.
    const inserts = (await sb.client.calls(c.org)).filter(
      (x) => x.method === 'POST' && x.path.endsWith('/Tasks'),
    );
    expect(inserts.map((x) => (x as { credits?: number }).credits)).toEqual([1]);
  });

  it('a Task Zoho could not store for a moment (per-record INTERNAL_ERROR) is retried and made once', async () => {
    const quick = await bookedWithQuickRetries();
    c = quick.conn;
    const bookingId = quick.bookingId;
    await sb.client.fault(c.org, 'POST', '/Tasks$', {
      status: 207,
      count: 1,
      body: {
        data: [
          { code: 'INTERNAL_ERROR', details: {}, message: 'Internal Server Error', status: 'error' },
          { code: 'INTERNAL_ERROR', details: {}, message: 'Internal Server Error', status: 'error' },
        ],
      },
    });
    const event = notesEvent(bookingId, {
      action_items: [{ text: 'Send the formal quote for 30 seats' }, { text: 'Share the onboarding plan' }],
    });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    await sb.client.json('DELETE', '/__sandbox/faults');
    // Refused for a moment, not for good: the retry makes both, once.
    expect((await records(c.org, 'Tasks')).map((t) => t.Subject).sort()).toEqual([
      'Send the formal quote for 30 seats',
      'Share the onboarding plan',
    ]);
  });

  it('a success reply that cannot be read leaves the outcome unknown: looked for, then made once', async () => {
    const quick = await bookedWithQuickRetries();
    c = quick.conn;
    const bookingId = quick.bookingId;
    await sb.client.fault(c.org, 'POST', '/Tasks$', { status: 201, count: 1, body: { data: [] } });
    const event = notesEvent(bookingId, { action_items: [{ text: 'Send the formal quote for 30 seats' }] });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    await sb.client.json('DELETE', '/__sandbox/faults');
    expect((await records(c.org, 'Tasks')).map((t) => t.Subject)).toEqual([
      'Send the formal quote for 30 seats',
    ]);
    // The retry looked among the Contact's Tasks before sending again.
    const calls = await sb.client.calls(c.org);
    expect(calls.some((x) => x.method === 'GET' && /\/Contacts\/\d+\/Tasks/.test(x.path))).toBe(true);
  });

  it('a dozen action items are one insert of two credits; a Task Zoho refuses fails the event with its cause, the others stay and a retry sends only the refused one', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sb.client.json('POST', `/__sandbox/orgs/${c.org.org_id}/validation-rules`, {
      module: 'Tasks',
      condition: { field: 'Subject', operator: 'contains', value: 'legal' },
      message: 'Legal follow-ups are tracked in the legal desk, not as Tasks',
    });
    const bookingId = await booked(c);
    const items = Array.from({ length: 12 }, (_, i) => ({
      text: `Follow-up number ${i + 1} for the rollout`,
    }));
    items[4] = { text: 'Send the contract to legal for review' };
    const event = notesEvent(bookingId, { summary: 'A long list of follow-ups.', action_items: items });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('failed');
    const tasks = await records(c.org, 'Tasks');
    expect(tasks).toHaveLength(11);
    expect(tasks.some((t) => /legal/.test(t.Subject))).toBe(false);
    const taskCalls = async () =>
      (await sb.client.calls(c!.org)).filter((x) => x.method === 'POST' && x.path.endsWith('/Tasks'));
    expect((await taskCalls()).map((x) => (x as { credits?: number }).credits)).toEqual([2]);
    const page = (await c.session.get('/activity')).html;
    expect(page).toContain('Legal follow-ups are tracked in the legal desk, not as Tasks');
    expect(page).toContain('Created the Task “Follow-up number 12 for the rollout”');

    expect((await c.session.post(`/activity/${event.id}/retry`)).status).toBe(303);
    expect(await settled(c.app.db, event.id)).toBe('failed');
    expect(await records(c.org, 'Tasks')).toHaveLength(11);
    // The retry sent the one Task still missing, not the eleven made already.
    expect((await taskCalls()).map((x) => (x as { credits?: number }).credits)).toEqual([2, 1]);
  });

  it('a transcript alone is analysed (offline analyser): summary Note, Tasks with dates said or by urgency', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const bookingId = await booked(c);
    const event = notesEvent(bookingId, { transcript });
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id)).toBe('done');
    const tasks = await records(c.org, 'Tasks');
    const quote = tasks.find((t) => /quote/i.test(t.Subject));
    expect(quote).toMatchObject({ Priority: 'High', Status: 'Not Started', Due_Date: '2026-12-04' });
    const plan = tasks.find((t) => /onboarding plan/i.test(t.Subject));
    expect(plan).toMatchObject({ Priority: 'Low', Due_Date: '2026-12-08' });
    expect(tasks.every((t) => t.Status === 'Not Started')).toBe(true);
    const notes = (await records(c.org, 'Notes')).filter((n) => n.Note_Title.startsWith('Meeting notes'));
    expect(notes).toHaveLength(1);
    const page = (await c.session.get('/activity')).html;
    expect(page).toContain('Analysed the meeting with the offline analyser');
    const { rows } = await c.app.db.query<{ analyzer: string }>(
      'SELECT analyzer FROM analyses WHERE event_id = $1',
      [event.id],
    );
    expect(rows).toEqual([{ analyzer: 'offline' }]);
  });

  it('with OpenAI configured, its analysis makes the Tasks; when it answers 429 the offline analyser does, and the Activity page says so', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true, openai: openai() });
    const bookingId = await booked(c);
    fake.reset();
    fake.script(
      reply.json({
        summary: 'Ada asked for a formal quote for 30 seats.',
        action_items: [
          {
            text: 'Send the formal quote for 30 seats',
            owner: 'host',
            priority: 'High',
            due: '2026-12-04',
            due_inferred: false,
            quote: "I'll send the formal quote for 30 seats by Friday.",
          },
        ],
        sentiment: 'positive',
        buyer_intent: 'high',
        next_steps: ['Quote by Friday'],
        stage_suggestion: null,
      }),
    );
    const first = notesEvent(bookingId, { transcript });
    await sendEvent(c.app.url, first);
    expect(await settled(c.app.db, first.id)).toBe('done');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body.response_format).toMatchObject({ type: 'json_schema' });
    expect((await records(c.org, 'Tasks')).map((t) => [t.Subject, t.Priority, t.Due_Date])).toEqual([
      ['Send the formal quote for 30 seats', 'High', '2026-12-04'],
    ]);

    // A second meeting's notes: OpenAI is rate-limited, the offline analyser answers instead.
    fake.script(reply.error(429));
    const second = notesEvent(bookingId, { transcript: transcript.slice(3) });
    await sendEvent(c.app.url, second);
    expect(await settled(c.app.db, second.id)).toBe('done');
    const page = (await c.session.get('/activity')).html;
    expect(page).toContain('Analysed the meeting with the openai:gpt-test analyser.');
    expect(page).toContain(
      'Analysed the meeting with the offline analyser: openai:gpt-test failed (OpenAI answered 429',
    );
    const { rows } = await c.app.db.query<{ analyzer: string; fallback_reason: string | null }>(
      'SELECT analyzer, fallback_reason FROM analyses WHERE event_id = $1',
      [second.id],
    );
    expect(rows[0]).toMatchObject({ analyzer: 'offline', fallback_reason: expect.stringMatching(/429/) });
    expect((await records(c.org, 'Tasks')).some((t) => /loop in/i.test(t.Subject))).toBe(true);
  });

  it('notes for a booking PepoSmart never synced are skipped with the reason', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await booked(c);
    const event = notesEvent('bk_unknown', { summary: 'x' });
    await sendEvent(c.app.url, event);
    // No booking event names this booking: its host is unknown, so it is skipped at intake.
    expect(await settled(c.app.db, event.id)).toBe('skipped');
  });
});
