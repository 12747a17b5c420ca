import { afterEach, describe, expect, it } from 'vitest';
import { findConnection } from '../../src/connections/repo.ts';
import { type AppSession, startTestApp, type TestApp, zohoEmail } from '../helpers/app.ts';
import { databaseKinds } from '../helpers/db.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const sb = useSandbox();

describe.each(databaseKinds)('connecting Zoho CRM on %s', (kind) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function connected(
    dc: 'us' | 'eu' = 'us',
  ): Promise<{ session: AppSession; org: Awaited<ReturnType<typeof sb.client.createOrg>> }> {
    app = await startTestApp({ kind, sandbox: sb.sandbox, sandboxBase: sb.base });
    const org = await sb.client.createOrg({ name: `Org ${dc}`, data_center: dc });
    const session = await app.signIn('usr_alex');
    const done = await session.connect(sb.base, zohoEmail(org));
    expect(done.status).toBe(303);
    expect(done.location?.pathname + (done.location?.search ?? '')).toBe('/integrations?done=connected');
    return { session, org };
  }

  it('connects a US org and shows the Zoho user, org and data centre', async () => {
    const { session, org } = await connected('us');
    const conn = await findConnection(app!.db, 'ws_demo', 'usr_alex');
    expect(conn?.status).toBe('connected');
    expect(conn?.dataCentre).toBe('us');
    expect(conn?.zohoOrg?.id).toBe(org.org_id);
    expect(conn?.apiDomain).toBe(`${sb.base}/us/api`);
    const page = await session.get('/integrations');
    expect(page.html).toContain('data-status="connected"');
    expect(page.html).toContain(zohoEmail(org));
    expect(page.html).toContain('Org us');
  });

  it('connects an EU org at the EU accounts server and API domain', async () => {
    const { org } = await connected('eu');
    const conn = await findConnection(app!.db, 'ws_demo', 'usr_alex');
    expect(conn?.dataCentre).toBe('eu');
    expect(conn?.accountsServer).toBe(`${sb.base}/eu/accounts`);
    const calls = await sb.client.calls(org);
    expect(calls.map((c) => c.path)).toContain('/oauth/v2/token (authorization_code)');
  });
});
