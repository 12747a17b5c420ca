import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findConnection } from '../../src/connections/repo.ts';
import { explainFailure } from '../../src/sync/troubleshoot.ts';
import { ZohoError } from '../../src/zoho/errors.ts';
import { startTestApp, type TestApp, zohoEmail } from '../helpers/app.ts';
import {
  clearFaults,
  expectNotConnected,
  expectProblemOnCard,
  injectFault,
  startSpyServer,
} from '../helpers/connect-steps.ts';
import { type Connected, connectedApp, expireStoredAccessToken } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * L3, through the running app: Zoho (the sandbox) answers a token request, an API call or the
 * revoke on disconnect with a 307 to another server. Following it would post the client secret
 * with the grant code or refresh token, or the access token, there. The other server (a spy)
 * must see no request at all; the app says what happened instead.
 */
const sb = useSandbox();

describe.each(databaseKinds)('L3: redirects from Zoho are refused on %s', (kind) => {
  let spy: Awaited<ReturnType<typeof startSpyServer>>;
  let c: Connected | undefined;
  let app: TestApp | undefined;
  beforeAll(async () => {
    spy = await startSpyServer();
    return () => spy.close();
  });
  afterEach(async () => {
    await clearFaults(sb.client);
    await c?.app.close();
    await app?.close();
    c = undefined;
    app = undefined;
    spy.hits.length = 0;
  });

  /** The next call to the US accounts server at `path` is answered 307 to the spy. */
  const redirectAccounts = (path: string) =>
    injectFault(sb.client, {
      dc: 'us',
      method: 'POST',
      path: `^${path}$`,
      status: 307,
      headers: { location: `${spy.url}${path}` },
    });

  it('the code exchange: the secret and grant code are not re-posted; the card says Zoho was refused', async () => {
    app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base });
    const org = await sb.client.createOrg();
    const alex = await app.signIn('usr_alex');
    await redirectAccounts('/oauth/v2/token');
    const done = await alex.connect(sb.base, zohoEmail(org));
    expect(done.status).toBe(303);
    expect(spy.hits).toEqual([]);
    await expectProblemOnCard(alex, 'untrusted_server');
    await expectNotConnected(app.db, 'ws_demo', 'usr_alex');
  });

  it('the token refresh: the secret and refresh token are not re-posted; the call fails, not retried', async () => {
    c = await connectedApp(sb, kind);
    await expireStoredAccessToken(c.app, c.connectionId);
    await redirectAccounts('/oauth/v2/token');
    const err = await c.app.deps.api.currentUser(c.source).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoError);
    expect((err as ZohoError).kind).toBe('redirect');
    expect(spy.hits).toEqual([]);
    // Not the user's to mend by reconnecting: the connection stays as it was.
    expect((await findConnection(c.app.db, 'ws_demo', 'usr_alex'))?.status).toBe('connected');
  });

  it('an API call: the access token is not re-sent; the event fails with the cause on the Activity page', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true, syncRetry: { delaySeconds: 1 } });
    await sb.client.fault(c.org, 'GET', '/search', {
      status: 307,
      headers: { location: `${spy.url}/crm/v8/Contacts/search` },
      count: 1,
    });
    const event = bookingEvent();
    await sendEvent(c.app.url, event);
    expect(await settled(c.app.db, event.id, 60_000)).toBe('failed');
    expect(spy.hits).toEqual([]);
    const { rows } = await c.app.db.query<{ detail: string; error_code: string }>(
      'SELECT detail, error_code FROM events WHERE id = $1',
      [event.id],
    );
    expect(rows[0]!.error_code).toBe('redirect');
    expect(rows[0]!.detail).toContain('answered with a redirect (HTTP 307 to 127.0.0.1:');
    const page = (await c.session.get('/activity')).html;
    expect(page).toContain(explainFailure('redirect').title);
    expect(await sb.client.records(c.org, 'Contacts')).toEqual([]);
  });

  it('the revoke on disconnect: the refresh token is not re-posted; disconnecting still completes', async () => {
    c = await connectedApp(sb, kind);
    await redirectAccounts('/oauth/v2/token/revoke');
    const res = await c.session.post('/integrations/zoho/disconnect');
    expect(res.location?.search).toBe('?done=disconnected');
    expect(spy.hits).toEqual([]);
    expect((await findConnection(c.app.db, 'ws_demo', 'usr_alex'))?.status).toBe('not_connected');
  });
});
