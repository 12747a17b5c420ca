import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase, type TestDatabase } from '../../test/helpers/db.ts';
import { seedDemoWorkspace } from '../workspaces/demo.ts';
import { ClaimBusy, ClaimLost, ClaimSettled, createClaims, sweepClaims } from './claims.ts';

describe.each(databaseKinds)('sync claims on %s', (kind) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function setUp(timing: { staleMs: number; searchLagMs: number; waitMs: number }) {
    t = await freshDatabase(kind);
    await seedDemoWorkspace(t.db);
    await t.db.query(
      `INSERT INTO connections (id, workspace_id, user_id, status) VALUES ('con_1', 'ws_demo', 'usr_alex', 'connected')`,
    );
    return createClaims(t.db, timing);
  }

  it('one holder at a time; released, the next job takes it and it is not uncertain', async () => {
    const claims = await setUp({ staleMs: 60_000, searchLagMs: 60_000, waitMs: 300 });
    const first = await claims.take('con_1', 'person', 'ada@x.example', 'evt_1', 'ada');
    expect(first.uncertain).toBe(false);
    await expect(claims.take('con_1', 'person', 'ada@x.example', 'evt_2', 'ada')).rejects.toBeInstanceOf(
      ClaimBusy,
    );
    // Another key is free meanwhile.
    await (await claims.take('con_1', 'person', 'bob@x.example', 'evt_2', 'bob')).release();
    await first.release();
    const second = await claims.take('con_1', 'person', 'ada@x.example', 'evt_2', 'ada');
    expect(second.uncertain).toBe(false);
  });

  it('a create sent and never answered leaves the claim uncertain, taken again only after the search lag', async () => {
    const claims = await setUp({ staleMs: 60_000, searchLagMs: 400, waitMs: 5_000 });
    const first = await claims.take('con_1', 'person', 'ada@x.example', 'evt_1', 'ada');
    // Before the send is marked: the lag counts from the database's clock at the mark, which a
    // loaded machine may have read well before this thread hears back from it.
    const started = Date.now();
    await first.sending();
    // The same job's retry: it holds the claim, but waits out the lag and is told to look first.
    const again = await claims.take('con_1', 'person', 'ada@x.example', 'evt_1', 'ada');
    expect(again.uncertain).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // With a lag longer than a job may wait, the job leaves it to a later retry.
    const patient = createClaims(t!.db, { staleMs: 60_000, searchLagMs: 60_000, waitMs: 100 });
    await again.sending();
    await expect(patient.take('con_1', 'person', 'ada@x.example', 'evt_1', 'ada')).rejects.toBeInstanceOf(
      ClaimBusy,
    );
  });

  it('a claim whose holder is gone is taken over once stale, still uncertain', async () => {
    const claims = await setUp({ staleMs: 200, searchLagMs: 0, waitMs: 5_000 });
    const dead = await claims.take('con_1', 'note', 'k', 'evt_1', 'the note');
    await dead.sending();
    const next = await claims.take('con_1', 'note', 'k', 'evt_2', 'the note');
    expect(next.uncertain).toBe(true);
    // The old holder's release no longer touches it.
    await dead.release();
    await expect(
      createClaims(t!.db, { staleMs: 60_000, searchLagMs: 0, waitMs: 100 }).take(
        'con_1',
        'note',
        'k',
        'evt_3',
        'x',
      ),
    ).rejects.toBeInstanceOf(ClaimBusy);
  });

  it('unheld after a failure that settled nothing, a claim stays uncertain for whoever takes it next', async () => {
    const claims = await setUp({ staleMs: 60_000, searchLagMs: 0, waitMs: 300 });
    const first = await claims.take('con_1', 'task', 'k', 'evt_1', 'the task');
    await first.sending();
    // The create was never answered (kept); the next attempt's look-up fails: unhold, not release.
    const second = await claims.take('con_1', 'task', 'k', 'evt_1', 'the task');
    expect(second.uncertain).toBe(true);
    await second.unhold();
    // Free at once for any job, and still to be looked for before creating.
    const third = await claims.take('con_1', 'task', 'k', 'evt_2', 'the task');
    expect(third.uncertain).toBe(true);
    await third.release();
    expect((await claims.take('con_1', 'task', 'k', 'evt_3', 'the task')).uncertain).toBe(false);
  });

  it('a holder that lost its claim to a takeover is told so when it is about to send', async () => {
    const claims = await setUp({ staleMs: 200, searchLagMs: 0, waitMs: 5_000 });
    const slow = await claims.take('con_1', 'task', 'k', 'evt_1', 'the task');
    await new Promise((r) => setTimeout(r, 250));
    const taker = await claims.take('con_1', 'task', 'k', 'evt_2', 'the task');
    await expect(slow.sending()).rejects.toBeInstanceOf(ClaimBusy);
    await taker.sending();
  });
  it('R7: the next attempt of the same event fences the earlier one out: its send and its release are refused', async () => {
    const claims = await setUp({ staleMs: 60_000, searchLagMs: 0, waitMs: 300 });
    // Attempt 1 stalls holding the claim; its job is handed to another worker (attempt 2).
    const stalled = await claims.take('con_1', 'person', 'ada@x.example', 'evt_1', 'ada');
    const next = await claims.take('con_1', 'person', 'ada@x.example', 'evt_1', 'ada');
    await next.sending();
    // Attempt 1 resumes: it may not create, and its release leaves attempt 2's claim alone.
    await expect(stalled.sending()).rejects.toBeInstanceOf(ClaimBusy);
    await stalled.release();
    await stalled.unhold();
    await expect(claims.take('con_1', 'person', 'ada@x.example', 'evt_2', 'ada')).rejects.toBeInstanceOf(
      ClaimBusy,
    );
    await next.sending();
    await next.release();
  });

  // PostgreSQL only: PGlite runs one statement at a time, so no take can overlap a release.
  it.skipIf(kind === 'pglite')(
    'a take that waited on a release sees what the last holder kept before letting go',
    async () => {
      const claims = await setUp({ staleMs: 60_000, searchLagMs: 0, waitMs: 5_000 });
      const db = t!.db;
      const first = await claims.take('con_1', 'person', 'ada@x.example', 'evt_1', 'ada');
      // The first holder keeps its reference and releases, committed together while the second's
      // take waits on the release's row lock: the take's statement began before the keep.
      let taking: ReturnType<typeof claims.take> | undefined;
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO sync_refs (connection_id, workspace_id, kind, key, module, zoho_id)
           VALUES ('con_1', 'ws_demo', 'person', 'ada@x.example', 'Contacts', '111')`,
        );
        await tx.query(`DELETE FROM sync_claims WHERE key = 'ada@x.example' AND fence = $1`, [first.fence]);
        const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        taking = claims.take('con_1', 'person', 'ada@x.example', 'evt_2', 'ada');
        let done = false;
        const settled = taking.finally(() => (done = true));
        // Asked on another connection: a transaction sees pg_stat_activity as it first read it.
        while (!done) {
          const waiting = await db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1::int = ANY(pg_blocking_pids(pid))',
            [rows[0]!.pid],
          );
          if (waiting.rows[0]!.n > 0) return;
          await Promise.race([settled, new Promise((r) => setTimeout(r, 10))]);
        }
        await settled; // a take that never waited (or failed) ends the test here
        expect.fail('the take did not wait on the release');
      });
      const second = await taking!;
      expect(second.existing).toEqual({ module: 'Contacts', id: '111' });
      expect(second.uncertain).toBe(false);
      await second.release();
    },
  );

  it('a stalled attempt whose claim was taken over and its reference kept is told it lost the claim', async () => {
    const claims = await setUp({ staleMs: 60_000, searchLagMs: 0, waitMs: 300 });
    const stalled = await claims.take('con_1', 'person', 'ada@x.example', 'evt_1', 'ada');
    const next = await claims.take('con_1', 'person', 'ada@x.example', 'evt_1', 'ada');
    await t!.db.query(
      `INSERT INTO sync_refs (connection_id, workspace_id, kind, key, module, zoho_id)
       VALUES ('con_1', 'ws_demo', 'person', 'ada@x.example', 'Contacts', '111')`,
    );
    await expect(stalled.sending()).rejects.toBeInstanceOf(ClaimLost);
    await next.release();
  });

  it('a create replacing a kept record is sent while the reference still names what the take saw, refused once it moved', async () => {
    const claims = await setUp({ staleMs: 60_000, searchLagMs: 0, waitMs: 300 });
    const db = t!.db;
    await db.query(
      `INSERT INTO sync_refs (connection_id, workspace_id, kind, key, module, zoho_id)
       VALUES ('con_1', 'ws_demo', 'person', 'ada@x.example', 'Contacts', 'gone')`,
    );
    const replacing = await claims.take('con_1', 'person', 'ada@x.example', 'evt_1', 'ada');
    expect(replacing.existing).toEqual({ module: 'Contacts', id: 'gone' });
    await replacing.sending();
    await db.query(`UPDATE sync_refs SET zoho_id = 'other' WHERE key = 'ada@x.example'`);
    await expect(replacing.sending()).rejects.toBeInstanceOf(ClaimSettled);
  });

  it('R7: a fence is never reused: released and taken again by the same event, the old attempt stays out', async () => {
    const claims = await setUp({ staleMs: 60_000, searchLagMs: 0, waitMs: 300 });
    const first = await claims.take('con_1', 'note', 'k', 'evt_1', 'the note');
    await first.release();
    const again = await claims.take('con_1', 'note', 'k', 'evt_1', 'the note');
    await expect(first.sending()).rejects.toBeInstanceOf(ClaimBusy);
    await again.sending();
  });
  it('R4: a sweep removes the claims dead holders left where nothing is at stake, and keeps the rest', async () => {
    await setUp({ staleMs: 60_000, searchLagMs: 0, waitMs: 300 });
    const db = t!.db;
    for (const [id, status] of [
      ['evt_done', 'done'],
      ['evt_live', 'queued'],
      ['evt_old', 'queued'],
    ])
      await db.query(
        `INSERT INTO events (id, workspace_id, type, booking_id, status, payload)
         VALUES ($1, 'ws_demo', 'booking.created', 'bk_1', $2, '{}')`,
        [id, status],
      );
    // key, holder, claimed (s ago), sent (s ago, null: never), reference kept (s ago, null: none), whether it goes.
    const cases: Array<[string, string, number, number | null, number | null, boolean]> = [
      ['kept-after-send', 'evt_done', 30, 20, 10, true],
      ['never-sent', 'evt_done', 30, null, null, true],
      ['sent-unsettled', 'evt_done', 30, 20, null, false],
      ['kept-before-send', 'evt_done', 30, 20, 25, false],
      ['live-holder', 'evt_live', 1, null, null, false],
      ['live-holder-kept', 'evt_live', 1, 1, 0, false],
      ['stale-holder', 'evt_old', 300, null, null, true],
      ['unheld-uncertain', '', 100_000, 20, null, false],
      ['unheld-settled', '', 100_000, 20, 10, true],
      ['event-deleted', 'evt_gone', 30, null, null, true],
    ];
    for (const [key, holder, claimed, sent, kept] of cases) {
      await db.query(
        `INSERT INTO sync_claims (connection_id, kind, key, holder, claimed_at, sent_at)
         VALUES ('con_1', 'person', $1, $2, now() - $3 * interval '1 second',
                 now() - $4 * interval '1 second')`,
        [key, holder, claimed, sent],
      );
      if (kept !== null)
        await db.query(
          `INSERT INTO sync_refs (connection_id, workspace_id, kind, key, module, zoho_id, created_at, kept_at)
           VALUES ('con_1', 'ws_demo', 'person', $1, 'Contacts', '1', now() - interval '1 hour',
                   now() - $2 * interval '1 second')`,
          [key, kept],
        );
    }
    const left = async () =>
      (await db.query<{ key: string }>('SELECT key FROM sync_claims ORDER BY key')).rows.map((r) => r.key);
    // One event's own leftovers first (what its last attempt sweeps), then everyone's.
    expect(await sweepClaims(db, { staleMs: 60_000, holder: 'evt_done' })).toBe(2);
    expect(await left()).toContain('event-deleted');
    await sweepClaims(db, { staleMs: 60_000 });
    expect(await left()).toEqual(
      cases
        .filter(([, , , , , goes]) => !goes)
        .map(([key]) => key)
        .sort(),
    );
    // A reference moved to another record after the send settles it too (created long before).
    await db.query(`UPDATE sync_refs SET kept_at = now() WHERE key = 'kept-before-send'`);
    await sweepClaims(db, { staleMs: 60_000 });
    expect(await left()).not.toContain('kept-before-send');
  });
});
