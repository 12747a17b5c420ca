import { afterEach, describe, expect, it } from 'vitest';
import { findConnection } from '../../src/connections/repo.ts';
import { requestedScopes } from '../../src/connections/scopes.ts';
import { startTestApp, type TestApp, zohoEmail } from '../helpers/app.ts';
import { beginConnect, cardStatus, consent, expectProblemOnCard } from '../helpers/connect-steps.ts';
import { databaseKinds } from '../helpers/db.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Zoho's search needs `ZohoSearch.securesearch.READ` besides the module's READ scope
 * (ZOHO-API.md §8). A connection made before PepoSmart asked for it holds a token minted on the
 * old scope list: its first search is refused with OAUTH_SCOPE_MISMATCH. The card then asks for
 * that one permission, the meeting waits, and reconnecting syncs it.
 */
const sb = useSandbox();
const oldScopes = requestedScopes.filter((s) => s !== 'ZohoSearch.securesearch.READ');

describe.each(databaseKinds)('a grant without Zoho’s search scope, on %s', (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('asks for the search permission: the card says Reconnect needed, the meeting waits, reconnecting syncs it', async () => {
    expect(requestedScopes).toContain('ZohoSearch.securesearch.READ');
    app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base, sync: true });
    const org = await sb.client.createOrg();
    const session = await app.signIn('usr_alex');

    // Connected as a release before this one did: the authorization request without the scope.
    const start = await beginConnect(session);
    const old = { ...start, params: { ...start.params, scope: oldScopes.join(',') } };
    const callback = await consent(sb.base, old, zohoEmail(org));
    expect((await session.get(`${callback.pathname}${callback.search}`)).location?.search).toBe(
      '?done=connected',
    );

    const event = bookingEvent();
    await sendEvent(app.url, event);
    expect(await settled(app.db, event.id)).toBe('waiting');
    const page = await expectProblemOnCard(session, 'search_scope_missing');
    expect(cardStatus(page)).toBe('reconnect_needed');
    expect(page).toContain('Reconnect needed');
    expect(page).toContain('PepoSmart needs one more permission (to search your CRM).');
    const { rows } = await app.db.query<{ action: string; message: string }>(
      'SELECT action, message FROM activity WHERE event_id = $1 ORDER BY id',
      [event.id],
    );
    expect(rows.at(-1)).toEqual({
      action: 'waiting',
      message:
        'Waiting: PepoSmart needs one more permission in Zoho CRM. Reconnect on the Integrations page and accept it; this meeting then syncs.',
    });
    expect(await sb.client.records(org, 'Contacts')).toEqual([]);

    // Reconnecting asks for every scope this release needs; the waiting meeting then syncs.
    const again = await session.connect(sb.base, zohoEmail(org));
    expect(again.location?.search).toBe('?done=connected');
    expect(await settled(app.db, event.id)).toBe('done');
    expect(await sb.client.records(org, 'Contacts')).toHaveLength(1);
    expect((await findConnection(app.db, 'ws_demo', 'usr_alex'))?.status).toBe('connected');
  });

  it('Check connection finds the missing permission before any meeting does', async () => {
    app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base });
    const org = await sb.client.createOrg();
    const session = await app.signIn('usr_alex');
    const start = await beginConnect(session);
    const callback = await consent(
      sb.base,
      { ...start, params: { ...start.params, scope: oldScopes.join(',') } },
      zohoEmail(org),
    );
    await session.get(`${callback.pathname}${callback.search}`);
    expect((await session.post('/integrations/zoho/check')).status).toBe(303);
    const page = await expectProblemOnCard(session, 'search_scope_missing');
    expect(cardStatus(page)).toBe('reconnect_needed');
  });
});
