import { afterEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../sandbox/ids.ts';
import { type AppSession, startTestApp, type TestApp, zohoEmail } from '../helpers/app.ts';
import {
  beginConnect,
  callsTo,
  cardStatus,
  clearFaults,
  consent,
  exchangeCall,
  expectGrantRevoked,
  expectNotConnected,
  expectProblemOnCard,
  injectFault,
  localTarget,
  revokeCall,
} from '../helpers/connect-steps.ts';
import { databaseKinds } from '../helpers/db.ts';
import { type CreatedOrg, type OrgInput, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

/**
 * Each way connecting can fail, as the user sees it: back on /integrations, the card names
 * the problem and says in plain language what to check. A failure after the code exchange
 * leaves nothing behind: the grant Zoho issued is revoked and no token is stored.
 */
const sb = useSandbox();

const allActions = ['view', 'create', 'edit', 'delete'];

describe.each(databaseKinds)('connect failures on %s', (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await clearFaults(sb.client);
  });

  /** A fresh app and org; alex signs in. */
  async function setUp(org: OrgInput = {}): Promise<{ org: CreatedOrg; alex: AppSession }> {
    app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base });
    const created = await sb.client.createOrg({ name: 'Failure Org', ...org });
    return { org: created, alex: await app.signIn('usr_alex') };
  }

  /** Connect → consent → callback; the app sends the user back to the card without `done`. */
  async function failedConnect(alex: AppSession, org: CreatedOrg, decision: 'accept' | 'deny' = 'accept') {
    const callback = await consent(sb.base, await beginConnect(alex), zohoEmail(org), decision);
    const res = await alex.get(callback.toString());
    expect(res.status).toBe(303);
    expect(localTarget(res.location)).toBe('/integrations');
    return callback;
  }

  /** The card explains `code`, and offers Connect again. */
  async function expectCard(alex: AppSession, code: string) {
    const page = await expectProblemOnCard(alex, code);
    expect(cardStatus(page)).toBe('not_connected');
    expect(page).toContain('id="zoho-connect"');
    await expectNotConnected(app!.db, 'ws_demo', 'usr_alex');
  }

  it('Deny on the consent page → denied, and no code exchange', async () => {
    const { org, alex } = await setUp();
    const callback = await failedConnect(alex, org, 'deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');

    await expectCard(alex, 'denied');
    expect(await callsTo(sb.client, org, exchangeCall)).toEqual([]);
    expect(app!.issuedTokens).toEqual([]);
  });

  it('an org whose edition has no API access → edition; the grant is revoked', async () => {
    const { org, alex } = await setUp({ edition: 'free', api_access: false });
    await failedConnect(alex, org);

    await expectCard(alex, 'edition');
    await expectGrantRevoked(sb.client, org, app!);
  });

  it.each([
    ['Contacts', { Leads: allActions }],
    ['Leads', { Contacts: allActions }],
  ])('a profile without view on %s → permission; the grant is revoked', async (_module, permissions) => {
    const email = uniqueEmail('restricted');
    const { org, alex } = await setUp({
      users: [{ email, first_name: 'Rita', last_name: 'Restricted', profile: 'Restricted' }],
    });
    const res = await sb.client.json('PUT', `/__sandbox/orgs/${org.org_id}/profiles/Restricted`, {
      permissions: { ...permissions, Notes: allActions, Tasks: allActions, Deals: allActions },
    });
    expect(res.status).toBe(200);
    await failedConnect(alex, org);

    await expectCard(alex, 'permission');
    await expectGrantRevoked(sb.client, org, app!);
  });

  it('Zoho answering the current-user read with OAUTH_SCOPE_MISMATCH → scope_mismatch; the grant is revoked', async () => {
    const { org, alex } = await setUp();
    await injectFault(sb.client, {
      org_id: org.org_id,
      method: 'GET',
      path: '^/crm/v8/users',
      status: 401,
      body: {
        code: 'OAUTH_SCOPE_MISMATCH',
        details: {},
        message: 'invalid oauth scope to access this URL',
        status: 'error',
      },
    });
    await failedConnect(alex, org);

    await expectCard(alex, 'scope_mismatch');
    await expectGrantRevoked(sb.client, org, app!);
    expect((await callsTo(sb.client, org, '/crm/v8/users')).map((c) => c.status)).toEqual([401]);
  });

  it.each([
    ['HTTP 500', { status: 500 }],
    ['a dropped connection', { drop: true }],
  ])(
    'the accounts server answering the exchange with %s → zoho_unavailable; Connect again works',
    async (_, fault) => {
      const { org, alex } = await setUp();
      await injectFault(sb.client, { dc: 'us', method: 'POST', path: '^/oauth/v2/token$', ...fault });
      const callback = await failedConnect(alex, org);

      await expectCard(alex, 'zoho_unavailable');
      // The fault answered in Zoho's place: no grant was issued, so there is nothing to revoke.
      expect(sb.sandbox.core.state.codes[hashToken(callback.searchParams.get('code')!)]?.used).toBe(false);
      expect(await callsTo(sb.client, org, revokeCall)).toEqual([]);

      // Once Zoho is back, connecting again succeeds and the problem is gone.
      const again = await alex.get(
        (await consent(sb.base, await beginConnect(alex), zohoEmail(org))).toString(),
      );
      expect(localTarget(again.location)).toBe('/integrations?done=connected');
      const page = await alex.get('/integrations');
      expect(cardStatus(page.html)).toBe('connected');
      expect(page.html).not.toContain('id="zoho-problem"');
    },
  );

  it('an org that blocks third-party apps → third_party_blocked, and no code exchange', async () => {
    const { org, alex } = await setUp({ third_party_apps_blocked: true });
    const callback = await failedConnect(alex, org);
    expect(callback.searchParams.get('error')).toBe('unauthorized_client');

    await expectCard(alex, 'third_party_blocked');
    expect(await callsTo(sb.client, org, exchangeCall)).toEqual([]);
    expect(app!.issuedTokens).toEqual([]);
  });
});
