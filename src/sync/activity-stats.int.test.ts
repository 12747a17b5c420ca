import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { type Connection, ensureConnection } from '../connections/repo.ts';
import type { Queryable } from '../db/port.ts';
import { upsertUser, upsertWorkspace } from '../users/repo.ts';
import { seedDemoWorkspace } from '../workspaces/demo.ts';
import { connectionSyncStats, STATS_DAYS } from './activity-stats.ts';

const now = new Date('2026-12-06T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 24 * 60 * 60 * 1000);

let n = 0;
/** An event row as intake and the sync leave it: `at` is when its status last changed. */
async function event(q: Queryable, conn: Connection | null, status: string, at: Date, userId?: string) {
  n += 1;
  await q.query(
    `INSERT INTO events (id, workspace_id, type, booking_id, user_id, connection_id, status, payload, received_at, updated_at)
     VALUES ($1, $2, 'booking.created', $3, $4, $5, $6, '{}'::jsonb, $7, $7)`,
    [
      `evt_stats_${n}`,
      conn?.workspaceId ?? 'ws_demo',
      `bk_${n}`,
      userId ?? conn?.userId,
      conn?.id ?? null,
      status,
      at,
    ],
  );
}

describe.each(databaseKinds)('the Zoho CRM card’s figures on %s', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function setUp() {
    t = await freshDatabase(kind);
    await seedDemoWorkspace(t.db);
    await upsertWorkspace(t.db, { id: 'ws_other', name: 'Other' });
    await upsertUser(t.db, {
      id: 'usr_olga',
      workspaceId: 'ws_other',
      email: 'olga@other.test',
      name: 'Olga',
      role: 'admin',
    });
    return {
      db: t.db,
      alex: await ensureConnection(t.db, 'ws_demo', 'usr_alex'),
      sam: await ensureConnection(t.db, 'ws_demo', 'usr_sam'),
      olga: await ensureConnection(t.db, 'ws_other', 'usr_olga'),
    };
  }

  it('a connection with no events: zeros and nothing synced yet', async () => {
    const { db, alex } = await setUp();
    expect(await connectionSyncStats(db, alex, now)).toEqual({
      since: daysAgo(STATS_DAYS),
      synced: 0,
      failed: 0,
      inProgress: 0,
      waiting: 0,
      lastSyncedAt: null,
    });
  });

  it('counts the last 7 days’ outcomes, everything still under way, and the last sync of all time', async () => {
    const { db, alex } = await setUp();
    await event(db, alex, 'done', daysAgo(1));
    await event(db, alex, 'done', daysAgo(6.9));
    await event(db, alex, 'done', daysAgo(7.1)); // before the window: only its time could count
    await event(db, alex, 'failed', daysAgo(2));
    await event(db, alex, 'failed', daysAgo(30));
    await event(db, alex, 'queued', daysAgo(0));
    await event(db, alex, 'queued', daysAgo(9)); // still under way, however old
    await event(db, alex, 'waiting', daysAgo(10));
    await event(db, alex, 'skipped', daysAgo(1));
    const stats = await connectionSyncStats(db, alex, now);
    expect(stats).toMatchObject({ synced: 2, failed: 1, inProgress: 2, waiting: 1 });
    expect(stats.lastSyncedAt).toEqual(daysAgo(1));
  });

  it('the last sync is the latest done event’s, even when older than the window', async () => {
    const { db, alex } = await setUp();
    await event(db, alex, 'done', daysAgo(40));
    await event(db, alex, 'done', daysAgo(12));
    await event(db, alex, 'failed', daysAgo(1));
    const stats = await connectionSyncStats(db, alex, now);
    expect(stats).toMatchObject({ synced: 0, failed: 1 });
    expect(stats.lastSyncedAt).toEqual(daysAgo(12));
  });

  it('counts only this connection’s events: not a teammate’s, another workspace’s, or events that had no connection', async () => {
    const { db, alex, sam, olga } = await setUp();
    await event(db, alex, 'done', daysAgo(3));
    await event(db, sam, 'done', daysAgo(1));
    await event(db, sam, 'failed', daysAgo(1));
    await event(db, olga, 'done', daysAgo(0.5));
    await event(db, olga, 'waiting', daysAgo(0.5));
    // The host had no connection when it arrived: skipped at intake, tied to no connection.
    await event(db, null, 'failed', daysAgo(1), 'usr_alex');
    const stats = await connectionSyncStats(db, alex, now);
    expect(stats).toMatchObject({ synced: 1, failed: 0, inProgress: 0, waiting: 0 });
    expect(stats.lastSyncedAt).toEqual(daysAgo(3));
  });
});
