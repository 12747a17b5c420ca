import { afterEach, describe, expect, it } from 'vitest';
import { buildAnalysis } from '../../src/analysis/build.ts';
import { systemClock } from '../../src/clock.ts';
import { createConnectionDeps } from '../../src/connections/build.ts';
import { createVault } from '../../src/crypto/vault.ts';
import type { Database, Queryable } from '../../src/db/port.ts';
import { type JobQueue, type QueueDatabase, startQueue } from '../../src/jobs/queue.ts';
import { createEventSync } from '../../src/sync/event-sync.ts';
import { startSyncWorker } from '../../src/sync/worker.ts';
import { seedDemoWorkspace } from '../../src/workspaces/demo.ts';
import { sandboxDataCentres } from '../../src/zoho/datacentres.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds, freshDatabase, type TestDatabase } from '../helpers/db.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { testLogger } from '../helpers/logs.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * R4: a worker killed between keeping a reference and releasing its claim left the claim row
 * behind for ever (three after one soak). The event's next attempt now sweeps what earlier
 * attempts left, and a sync worker sweeps everyone's leftovers when it starts — only where
 * nothing is at stake (src/sync/claims.ts sweepClaims).
 */
const sb = useSandbox();

/** `db` as a worker process sees it until it is killed at the first statement `killAt` matches. */
function killedAt(db: Database, killAt: RegExp): Database & { killed: () => boolean } {
  let killed = false;
  const guard = (text: string) => {
    if (killed || killAt.test(text)) {
      killed = true;
      throw new Error('worker process killed');
    }
  };
  const on = (q: Queryable): Queryable => ({
    async query(text, values) {
      guard(text);
      return q.query(text, values);
    },
  });
  return {
    kind: db.kind,
    ...on(db),
    transaction: (fn) => {
      guard('BEGIN');
      return db.transaction((tx) => fn(on(tx)));
    },
    close: async () => {},
    killed: () => killed,
  } as Database & { killed: () => boolean };
}

async function claimsLeft(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_claims');
  return rows[0]!.n;
}

describe.each(databaseKinds)('R4: claims left by dead workers on %s', (kind) => {
  let c: Connected | undefined;
  let t: TestDatabase | undefined;
  let queue: JobQueue | undefined;
  afterEach(async () => {
    await queue?.stop();
    await t?.close();
    await c?.app.close();
    c = queue = t = undefined;
  });

  it('R4: killed between keeping the reference and releasing the claim, the worker leaves no claim once the event is done', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true, worker: false });
    const event = bookingEvent({ attendees: [{ email: 'hedy@leftover.example', name: 'Hedy Lamarr' }] });
    expect((await sendEvent(c.app.url, event)).status).toBe(202);
    // The first worker creates the Contact, keeps its reference, and dies as it releases the claim.
    const logger = testLogger();
    const db = killedAt(c.app.db, /^DELETE FROM sync_claims/);
    const doomed = createEventSync({
      ...createConnectionDeps({
        db,
        logger,
        clock: systemClock,
        vault: createVault(c.app.keys),
        client: c.app.client,
        dataCentres: sandboxDataCentres(sb.base),
      }),
      analyze: buildAnalysis(undefined, logger).analyze,
    });
    await expect(doomed.handle(event.id)).rejects.toThrow('worker process killed');
    expect(await claimsLeft(c.app.db)).toBe(1);
    // The queue hands the event to a live worker, which finishes it.
    await startSyncWorker({
      db: c.app.db,
      queue: c.app.queue!,
      logger,
      eventSync: createEventSync({ ...c.app.deps, analyze: buildAnalysis(undefined, logger).analyze }),
    });
    expect(await settled(c.app.db, event.id, 60_000)).toBe('done');
    const until = Date.now() + 20_000;
    while ((await claimsLeft(c.app.db)) > 0 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    expect(await claimsLeft(c.app.db)).toBe(0);
    expect(await sb.client.records(c.org, 'Contacts')).toHaveLength(1);
    expect(await sb.client.records(c.org, 'Notes')).toHaveLength(1);
  });

  it('R4: a sync worker starting sweeps the claims of events already finished, and keeps an unsettled create', async () => {
    t = await freshDatabase(kind);
    await seedDemoWorkspace(t.db);
    await t.db.query(
      `INSERT INTO connections (id, workspace_id, user_id, status) VALUES ('con_1', 'ws_demo', 'usr_alex', 'connected')`,
    );
    await t.db.query(
      `INSERT INTO events (id, workspace_id, type, booking_id, status, payload)
       VALUES ('evt_1', 'ws_demo', 'booking.created', 'bk_1', 'done', '{}')`,
    );
    // Left by workers killed: before sending; after keeping; and after sending, never answered.
    await t.db.query(
      `INSERT INTO sync_claims (connection_id, kind, key, holder, sent_at) VALUES
         ('con_1', 'person', 'a@x.example', 'evt_1', NULL),
         ('con_1', 'note', 'n1', 'evt_1', now() - interval '1 minute'),
         ('con_1', 'note', 'n2', 'evt_1', now() - interval '1 minute')`,
    );
    await t.db.query(
      `INSERT INTO sync_refs (connection_id, workspace_id, kind, key, module, zoho_id)
       VALUES ('con_1', 'ws_demo', 'note', 'n1', 'Notes', '9')`,
    );
    queue = await startQueue({ db: t.db as QueueDatabase, logger: testLogger('warn') });
    await startSyncWorker({
      db: t.db,
      queue,
      logger: testLogger('warn'),
      eventSync: { handle: async () => {} },
    });
    const { rows } = await t.db.query<{ key: string }>('SELECT key FROM sync_claims');
    expect(rows.map((r) => r.key)).toEqual(['n2']);
  });
});
