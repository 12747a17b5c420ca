import { afterEach, describe, expect, it } from 'vitest';
import {
  purgeFinishedEvents,
  RETENTION_CRON,
  RETENTION_QUEUE,
  startRetention,
} from '../../src/sync/retention.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { pipelines, suggestionFor } from '../helpers/deals.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { testLogger } from '../helpers/logs.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/** EVENT_RETENTION_DAYS: finished events and what hangs on them go; sync references stay. */
const sb = useSandbox();

const count = async (c: Connected, table: string, where = 'TRUE', values: unknown[] = []) =>
  Number(
    (await c.app.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, values))
      .rows[0]!.n,
  );

describe.each(databaseKinds)('event retention on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('deletes finished events past the retention with their activity, analyses and suggestions; an old event sent again creates nothing twice', async () => {
    c = await connectedApp(sb, kind, { pipelines }, { sync: true, retentionDays: 30 });
    const old = await suggestionFor(sb.client, c);
    expect((await c.session.post(`/suggestions/${old.id}/reject`)).status).toBe(303);
    const oldIds = (await c.app.db.query<{ id: string }>('SELECT id FROM events')).rows.map((r) => r.id);
    expect(oldIds).toHaveLength(2);
    const recent = bookingEvent();
    await sendEvent(c.app.url, recent);
    expect(await settled(c.app.db, recent.id)).toBe('done');
    const stuck = bookingEvent();
    await sendEvent(c.app.url, stuck);
    expect(await settled(c.app.db, stuck.id)).toBe('done');
    // An old event still in progress (say, retried for long) is not finished: it stays.
    await c.app.db.query("UPDATE events SET status = 'queued' WHERE id = $1", [stuck.id]);
    await c.app.db.query("UPDATE events SET updated_at = now() - interval '31 days' WHERE id = ANY($1)", [
      [...oldIds, stuck.id],
    ]);
    const refs = await count(c, 'sync_refs');
    expect(await count(c, 'analyses')).toBe(1);
    expect(await count(c, 'suggestions')).toBe(1);
    const notesBefore = (await sb.client.records(c.org, 'Notes')).length;

    // The daily job, run now through its queue.
    await c.app.db.transaction((tx) => c!.app.queue!.send(tx, RETENTION_QUEUE, {}));
    for (let i = 0; i < 200 && (await count(c, 'events', 'id = ANY($1)', [oldIds])) > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await count(c, 'events', 'id = ANY($1)', [oldIds])).toBe(0);
    expect(await count(c, 'activity', 'event_id = ANY($1)', [oldIds])).toBe(0);
    expect(await count(c, 'analyses')).toBe(0);
    expect(await count(c, 'suggestions')).toBe(0);
    expect(await count(c, 'suggestion_decisions')).toBe(0);
    expect(await count(c, 'events', 'id = ANY($1)', [[recent.id, stuck.id]])).toBe(2);
    expect(await count(c, 'sync_refs')).toBe(refs);
    expect(await purgeFinishedEvents(c.app.db, 30)).toBe(0);

    // The platform sends the old booking again: accepted as new, and nothing twice in Zoho.
    expect((await sendEvent(c.app.url, old.booking)).status).toBe(202);
    expect(await settled(c.app.db, old.booking.id)).toBe('done');
    expect(await sb.client.records(c.org, 'Contacts')).toHaveLength(1);
    expect(await sb.client.records(c.org, 'Notes')).toHaveLength(notesBefore);
  });

  it('is scheduled daily, once for all processes; a start with 0 days removes the schedule', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true, retentionDays: 90 });
    const table = `${c.app.schema ? `${c.app.schema}_jobs` : 'pgboss'}.schedule`;
    const schedules = async () =>
      (await c!.app.db.query<{ name: string; cron: string }>(`SELECT name, cron FROM ${table}`)).rows;
    expect(await schedules()).toEqual([{ name: RETENTION_QUEUE, cron: RETENTION_CRON }]);
    // Another process starting with the same setting: still one schedule.
    await startRetention({ db: c.app.db, queue: c.app.queue!, logger: testLogger('warn'), days: 90 });
    expect(await schedules()).toHaveLength(1);
    await startRetention({ db: c.app.db, queue: c.app.queue!, logger: testLogger('warn'), days: 0 });
    expect(await schedules()).toEqual([]);
  });
});
