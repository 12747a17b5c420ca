import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/port.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { startWorkerProcess, type WorkerProcess } from '../helpers/processes.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * R7 with real processes: `npm run worker` stopped with SIGSTOP in the middle of its look-up
 * (it holds the attendee's claim), its job handed to a second worker once its heartbeat stops,
 * and continued with SIGCONT while that worker is sending the create. Each step waits on what
 * the database or the sandbox shows, not on time.
 */
const sb = useSandbox();

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) expect.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function personClaim(db: Database) {
  const { rows } = await db.query<{ sent: boolean }>(
    `SELECT sent_at IS NOT NULL AS sent FROM sync_claims WHERE kind = 'person'`,
  );
  return rows[0];
}

describe('R7: a worker process stopped and continued on postgres', () => {
  let c: Connected | undefined;
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) {
      w.child.kill('SIGCONT');
      await w.stop('SIGKILL');
    }
    await sb.client.json('DELETE', '/__sandbox/faults');
    await c?.app.close();
    c = undefined;
  });

  it('R7: SIGSTOP past its heartbeat, SIGCONT after another worker took its job over: one Contact', async () => {
    c = await connectedApp(sb, 'postgres', { search_lag_ms: 0 }, { sync: true, worker: false });
    const env = { SYNC_CONCURRENCY: '1', ZOHO_SEARCH_LAG_SECONDS: '1' };
    // The first worker's look-up takes 3 s; the second worker's create takes 20 s.
    await sb.client.fault(c.org, 'GET', '/Contacts/search$', { latency_ms: 3_000, count: 1 });
    await sb.client.fault(c.org, 'POST', '/Contacts$', { latency_ms: 20_000, count: 1 });
    const stalled = await startWorkerProcess(c.app, sb.base, env);
    workers.push(stalled);
    const event = bookingEvent({ attendees: [{ email: 'joan@sigstop.example', name: 'Joan Clarke' }] });
    expect((await sendEvent(c.app.url, event)).status).toBe(202);

    // It holds the claim and is waiting for its search: stop it there.
    await until('the first worker to claim the attendee', () => personClaim(c!.app.db));
    stalled.child.kill('SIGSTOP');
    // Its heartbeat stops; the queue hands the job to a second worker, which takes the claim over
    // and is sending the create (the stopped one never got that far).
    workers.push(await startWorkerProcess(c.app, sb.base, env));
    await until('the second worker to be sending the create', async () =>
      (await personClaim(c!.app.db))?.sent ? true : undefined,
    );
    stalled.child.kill('SIGCONT');
    // The first worker resumes with its stale "nobody found" and is refused while the second
    // one's create is still under way (the event says why that attempt stopped) — it does not
    // create the Contact itself.
    const first = await until('the first worker to be refused, or to create', async () => {
      const { rows } = await c!.app.db.query<{ detail: string | null }>(
        'SELECT detail FROM events WHERE id = $1',
        [event.id],
      );
      if (/another attempt took over/.test(rows[0]?.detail ?? '')) return 'refused';
      return (await sb.client.records(c!.org, 'Contacts')).length ? 'created' : undefined;
    });
    expect(first).toBe('refused');
    expect(await settled(c.app.db, event.id, 90_000)).toBe('done');
    const posts = (await sb.client.calls(c.org)).filter(
      (x) => x.method === 'POST' && x.path.endsWith('/Contacts'),
    );
    expect(posts).toHaveLength(1);
    expect(await sb.client.records(c.org, 'Contacts')).toHaveLength(1);
    expect(await sb.client.records(c.org, 'Notes')).toHaveLength(1);
  }, 180_000);
});
