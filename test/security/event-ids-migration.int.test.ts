import { afterEach, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../src/db/migrate.ts';
import { purgeFinishedEvents } from '../../src/sync/retention.ts';
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/db.ts';

/**
 * Migration 0011: events are keyed by (id, workspace_id), and what hangs on an event (activity,
 * analyses, suggestions) names it by both. Existing rows stay, with their links; another
 * workspace may then use an id one workspace has.
 */
describe.each(databaseKinds)('migration 0011 (event ids per workspace) on %s', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('keeps every event and what hangs on it, and lets another workspace use the same id', async () => {
    t = await freshDatabase(kind, { migrate: false });
    const all = await readMigrations();
    await migrate(
      t.db,
      all.filter((m) => m.version < '0011'),
    );
    const q = (sql: string, values: unknown[] = []) => t!.db.query(sql, values);
    for (const ws of ['ws_1', 'ws_2']) {
      await q(`INSERT INTO workspaces (id, name) VALUES ($1, $1)`, [ws]);
      await q(`INSERT INTO users (id, workspace_id, email, name, role) VALUES ($1, $2, $3, 'U', 'admin')`, [
        `usr_${ws}`,
        ws,
        `u@${ws}.example`,
      ]);
      await q(
        `INSERT INTO connections (id, workspace_id, user_id, status) VALUES ($1, $2, $3, 'connected')`,
        [`con_${ws}`, ws, `usr_${ws}`],
      );
    }
    const event = (ws: string) =>
      q(
        `INSERT INTO events (id, workspace_id, type, booking_id, user_id, connection_id, status, payload)
         VALUES ('evt_1', $1, 'meeting.notes_processed', 'bk_1', $2, $3, 'done', '{}')
         ON CONFLICT DO NOTHING RETURNING id`,
        [ws, `usr_${ws}`, `con_${ws}`],
      );
    const hangers = async (ws: string) => {
      await q(
        `INSERT INTO activity (workspace_id, event_id, booking_id, action, message) VALUES ($1, 'evt_1', 'bk_1', 'logged', 'Logged')`,
        [ws],
      );
      await q(
        `INSERT INTO analyses (event_id, workspace_id, booking_id, analyzer, result) VALUES ('evt_1', $1, 'bk_1', 'offline', '{}')`,
        [ws],
      );
      await q(
        `INSERT INTO suggestions (id, workspace_id, user_id, connection_id, event_id, booking_id, meeting_title,
           contact_id, contact_email, deal_id, deal_name, pipeline, stages, from_stage, suggested_stage, confidence,
           rationale, evidence, intent, sentiment, next_steps, other_deals, status)
         VALUES ($1, $2, $3, $4, 'evt_1', 'bk_1', 'Call', 'c1', 'a@x.example', 'd1', 'Deal', 'Standard', '[]',
           'Qualification', 'Proposal', 0.8, 'r', '[]', 'high', 'positive', '[]', '[]', 'open')`,
        [`sug_${ws}`, ws, `usr_${ws}`, `con_${ws}`],
      );
    };
    await event('ws_1');
    await hangers('ws_1');

    expect(await migrate(t.db)).toEqual(all.filter((m) => m.version >= '0011').map((m) => m.name));

    // The same id in another workspace is a new event, with its own activity, analysis, suggestion.
    expect((await event('ws_2')).rows).toEqual([{ id: 'evt_1' }]);
    await hangers('ws_2');
    // In the same workspace, still the one event.
    expect((await event('ws_1')).rows).toEqual([]);
    // What hangs on an event must name one that exists, in its own workspace.
    await expect(
      q(
        `INSERT INTO activity (workspace_id, event_id, booking_id, action, message) VALUES ('ws_2', 'evt_gone', 'bk_1', 'logged', 'x')`,
      ),
    ).rejects.toThrow();

    const count = async (table: string) => {
      const { rows } = await q(`SELECT workspace_id, count(*)::int AS n FROM ${table} GROUP BY 1 ORDER BY 1`);
      return rows;
    };
    for (const table of ['events', 'activity', 'analyses', 'suggestions'])
      expect(await count(table), table).toEqual([
        { workspace_id: 'ws_1', n: 1 },
        { workspace_id: 'ws_2', n: 1 },
      ]);
    // Deleting ws_1's event takes what hangs on it, and nothing of ws_2's.
    await q(`DELETE FROM events WHERE workspace_id = 'ws_1' AND id = 'evt_1'`);
    for (const table of ['events', 'activity', 'analyses', 'suggestions'])
      expect(await count(table), table).toEqual([{ workspace_id: 'ws_2', n: 1 }]);
  });

  it('retention deletes a workspace’s finished event, not another’s in progress with the same id', async () => {
    t = await freshDatabase(kind);
    const q = (sql: string, values: unknown[] = []) => t!.db.query(sql, values);
    for (const [ws, status] of [
      ['ws_old', 'done'],
      ['ws_busy', 'queued'],
    ]) {
      await q(`INSERT INTO workspaces (id, name) VALUES ($1, $1)`, [ws]);
      await q(
        `INSERT INTO events (id, workspace_id, type, booking_id, status, payload, updated_at)
         VALUES ('evt_1', $1, 'booking.created', 'bk_1', $2, '{}', now() - interval '40 days')`,
        [ws, status],
      );
    }
    expect(await purgeFinishedEvents(t.db, 30)).toBe(1);
    const { rows } = await q('SELECT workspace_id FROM events');
    expect(rows).toEqual([{ workspace_id: 'ws_busy' }]);
  });
});
