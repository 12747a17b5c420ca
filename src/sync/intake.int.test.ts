import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { bookingEvent, notesEvent } from '../../test/helpers/events.ts';
import { testLogger } from '../../test/helpers/logs.ts';
import { countStatements, createStatementCounter } from '../db/statements.ts';
import { seedDemoWorkspace } from '../workspaces/demo.ts';
import type { PlatformEvent } from './event-schema.ts';
import { createIntake } from './intake.ts';

/**
 * Group commit (issue 13): events arriving together are recorded in a few transactions, each
 * event exactly as if it had been recorded alone — duplicates, meeting notes routed to the host
 * of a booking in the same burst, skipped hosts with their reason, one job per queued event.
 */
describe.each(databaseKinds)('recording a burst of events on %s', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('records each event once, in far fewer transactions than events, as it would alone', async () => {
    t = await freshDatabase(kind);
    await seedDemoWorkspace(t.db);
    await t.db.query(
      `INSERT INTO connections (id, workspace_id, user_id, status, zoho_org_id, zoho_edition)
       VALUES ('con_alex', 'ws_demo', 'usr_alex', 'connected', 'org-1', 'free')`,
    );
    const counter = createStatementCounter();
    const sent: Array<{ data: object; group?: unknown }> = [];
    const intake = createIntake({
      db: countStatements(t.db, counter),
      logger: testLogger('warn'),
      queue: {
        send: async () => null,
        async sendMany(tx, _name, jobs) {
          // Part of the transaction: a job exists exactly when its event committed.
          await tx.query('SELECT 1');
          for (const j of jobs) sent.push({ data: j.data, group: j.options?.group });
        },
      },
    });
    const bookings = Array.from({ length: 40 }, () => bookingEvent({}));
    const again = bookings.slice(0, 5);
    const notes = notesEvent(bookings[3]!.data.booking.id);
    const samsBooking = bookingEvent({ host: { user_id: 'usr_sam', email: 'sam@peposmart.test' } });
    const all = [...bookings, ...again, notes, samsBooking] as PlatformEvent[];
    const results = await Promise.all(all.map((e) => intake.record(e)));

    expect(results.slice(0, 40).every((r) => r.status === 'accepted')).toBe(true);
    expect(results.slice(40, 45).every((r) => r.status === 'duplicate')).toBe(true);
    expect(results.slice(45).every((r) => r.status === 'accepted')).toBe(true);
    const { rows } = await t.db.query<{
      id: string;
      status: string;
      user_id: string | null;
      detail: string | null;
    }>('SELECT id, status, user_id, detail FROM events ORDER BY received_at');
    expect(rows).toHaveLength(42);
    // In arrival order: later reads (a reschedule's previous booking, a note's host) rely on it.
    expect(rows.slice(0, 40).map((r) => r.id)).toEqual(bookings.map((e) => e.id));
    // The notes came with their booking in one burst: routed to its host all the same.
    expect(rows.find((r) => r.id === notes.id)).toMatchObject({ status: 'queued', user_id: 'usr_alex' });
    // Sam has not connected: skipped with the reason, and its Activity line.
    expect(rows.find((r) => r.id === samsBooking.id)).toMatchObject({
      status: 'skipped',
      detail: 'The host has not connected Zoho CRM.',
    });
    const activity = await t.db.query('SELECT action FROM activity WHERE event_id = $1', [samsBooking.id]);
    expect(activity.rows).toEqual([{ action: 'skipped' }]);
    // One job per queued event, grouped by the host's Zoho org and edition.
    expect(sent).toHaveLength(41);
    expect(sent[0]).toMatchObject({ group: { id: 'org-1', tier: 'free' } });
    expect(new Set(sent.map((s) => (s.data as { eventId: string }).eventId)).size).toBe(41);
    // Batched: each transaction is a BEGIN and a COMMIT.
    expect(counter.totals().transactions / 2).toBeLessThan(all.length / 2);
  });
});
