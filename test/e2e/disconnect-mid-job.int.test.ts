import { afterEach, describe, expect, it } from 'vitest';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * A sync job reads its tokens once, as it starts (issue 13). Disconnecting while one runs, with
 * Zoho unreachable to revoke (so the token it holds still works there), still stops it before
 * its next create: the claim's last check before a create leaves also asks the connection.
 */
const sb = useSandbox();

describe.each(databaseKinds)('disconnecting while a booking syncs, on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await sb.client.json('DELETE', '/__sandbox/faults');
    await c?.app.close();
    c = undefined;
  });

  it('creates nothing more in Zoho once the user disconnected, even when the revoke did not reach Zoho', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    await sb.client.json('POST', '/__sandbox/faults', {
      path: '^/oauth/v2/token/revoke$',
      status: 503,
      count: 5,
    });
    // The first search answers late: the job is between its calls while the user disconnects.
    await sb.client.fault(c.org, 'GET', '/Contacts/search$', { latency_ms: 6_000, count: 1 });
    const event = bookingEvent({ attendees: [{ email: 'late@disconnect.example', name: 'Lale Late' }] });
    expect((await sendEvent(c.app.url, event)).status).toBe(202);
    // Its claim on the person is taken just before the searches.
    await expect
      .poll(async () => (await c!.app.db.query('SELECT 1 FROM sync_claims')).rows.length, { timeout: 20_000 })
      .toBe(1);
    const res = await c.session.post('/integrations/zoho/disconnect');
    expect(res.location?.search).toBe('?done=disconnected');

    expect(await settled(c.app.db, event.id, 30_000)).toBe('skipped');
    expect(await sb.client.records(c.org, 'Contacts')).toHaveLength(0);
    expect(await sb.client.records(c.org, 'Notes')).toHaveLength(0);
    const { rows } = await c.app.db.query<{ message: string }>(
      'SELECT message FROM activity WHERE event_id = $1',
      [event.id],
    );
    expect(rows.map((r) => r.message)).toContain('Zoho CRM was disconnected before this event was synced.');
  }, 60_000);
});
