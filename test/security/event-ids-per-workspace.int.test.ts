import { afterEach, describe, expect, it } from 'vitest';
import { findConnection } from '../../src/connections/repo.ts';
import { otherAdmin, otherWorkspace, zohoEmail } from '../helpers/app.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, notesEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Event ids are the scheduling platform's, unique within a workspace: another workspace's event
 * with the same id used to be answered "duplicate" and dropped (issue 12). Each workspace's event
 * is its own now — accepted, synced to its own Zoho, analysed on its own transcript — and the
 * same id twice in one workspace is still a duplicate.
 */
const sb = useSandbox();

describe.each(databaseKinds)('event ids are unique per workspace on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  /** ws_demo's Alex on one Zoho org (connectedApp), ws_other's Olga on another. */
  async function twoWorkspaces() {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const orgB = await sb.client.createOrg();
    const olga = await c.app.signIn(otherAdmin.id);
    expect((await olga.connect(sb.base, zohoEmail(orgB))).location?.search).toBe('?done=connected');
    expect(await findConnection(c.app.db, otherWorkspace.id, otherAdmin.id)).toBeDefined();
    return { a: { org: c.org, ws: 'ws_demo' }, b: { org: orgB, ws: otherWorkspace.id }, olga };
  }

  it('the same booking event id in two workspaces: both accepted, both synced; again in one: duplicate', async () => {
    const { a, b } = await twoWorkspaces();
    const forA = bookingEvent({ attendees: [{ email: 'ada.ids@analytical.example', name: 'Ada Lovelace' }] });
    const forB = bookingEvent({
      workspaceId: b.ws,
      host: { user_id: otherAdmin.id, email: otherAdmin.email, name: otherAdmin.name },
      attendees: [{ email: 'grace.ids@navy.example', name: 'Grace Hopper' }],
    });
    forB.id = forA.id;
    forB.data.booking.id = forA.data.booking.id;

    const cases: Array<[string, typeof forA, number, string]> = [
      ['first in ws_demo', forA, 202, 'accepted'],
      ['same id in ws_other', forB, 202, 'accepted'],
      ['again in ws_demo', forA, 200, 'duplicate'],
      ['again in ws_other', forB, 200, 'duplicate'],
    ];
    for (const [name, event, status, answer] of cases)
      expect(await sendEvent(c!.app.url, event), name).toEqual({
        status,
        body: { id: forA.id, status: answer },
      });
    expect(await settled(c!.app.db, forA.id, 20_000, a.ws)).toBe('done');
    expect(await settled(c!.app.db, forA.id, 20_000, b.ws)).toBe('done');

    for (const [side, email] of [
      [a, 'ada.ids@analytical.example'],
      [b, 'grace.ids@navy.example'],
    ] as const) {
      expect((await sb.client.records(side.org, 'Contacts')).map((x) => x.Email)).toEqual([email]);
      expect(await sb.client.records(side.org, 'Notes')).toHaveLength(1);
    }
  });

  it('meeting notes with the same id in two workspaces: each analysed on its own transcript', async () => {
    const { a, b } = await twoWorkspaces();
    const bookingA = bookingEvent();
    const bookingB = bookingEvent({
      workspaceId: b.ws,
      host: { user_id: otherAdmin.id, email: otherAdmin.email, name: otherAdmin.name },
    });
    for (const [e, ws] of [
      [bookingA, a.ws],
      [bookingB, b.ws],
    ] as const) {
      await sendEvent(c!.app.url, e);
      expect(await settled(c!.app.db, e.id, 20_000, ws)).toBe('done');
    }
    const transcript = (said: string) => [
      { speaker: 'Alex', role: 'host', text: 'What should happen next?' },
      { speaker: 'Ada', role: 'attendee', text: said },
    ];
    const notesA = notesEvent(bookingA.data.booking.id, {
      transcript: transcript('Please send the pricing sheet for the Zeppelin plan by Friday.'),
    });
    const notesB = notesEvent(
      bookingB.data.booking.id,
      { transcript: transcript('Please send the onboarding plan for the Kestrel rollout by Friday.') },
      b.ws,
    );
    notesB.id = notesA.id;
    for (const [e, ws] of [
      [notesA, a.ws],
      [notesB, b.ws],
    ] as const) {
      expect((await sendEvent(c!.app.url, e)).body).toEqual({ id: notesA.id, status: 'accepted' });
      expect(await settled(c!.app.db, notesA.id, 20_000, ws)).toBe('done');
    }
    const summary = async (org: { org_id: string }) =>
      JSON.stringify(await sb.client.records(org, 'Notes')) +
      JSON.stringify(await sb.client.records(org, 'Tasks'));
    expect(await summary(a.org)).toContain('Zeppelin');
    expect(await summary(a.org)).not.toContain('Kestrel');
    expect(await summary(b.org)).toContain('Kestrel');
    expect(await summary(b.org)).not.toContain('Zeppelin');
  });
});
