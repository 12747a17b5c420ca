import { afterEach, describe, expect, it } from 'vitest';
import { type Connected, connectedApp, expireStoredAccessToken } from '../../test/helpers/connected.ts';
import { databaseKinds } from '../../test/helpers/db.ts';
import { useSandbox } from '../../test/helpers/sandbox.ts';
import type { ZohoAccounts } from '../zoho/accounts.ts';
import { findConnection } from './repo.ts';
import { createTokenManager } from './tokens.ts';

const sb = useSandbox();

/**
 * Zoho's refresh reply lists `api_domain` (ZOHO-API.md §8) and the sandbox sends it; the app
 * keeps the API domain it stored at the code exchange, which it checked against the known data
 * centres then. A refresh naming another domain must not move the connection there.
 */
describe.each(databaseKinds)('a refresh reply naming an api_domain, on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it('is refreshed through the stored API domain, which stays as stored', async () => {
    c = await connectedApp(sb, kind);
    const stored = (await findConnection(c.app.db, 'ws_demo', 'usr_alex'))!.apiDomain;
    expect(stored).toBe(c.org.api_domain);
    const real = c.app.deps.accounts;
    const replies: Array<string | undefined> = [];
    const elsewhere: ZohoAccounts = {
      ...real,
      async refresh(dc, refreshToken) {
        const fresh = await real.refresh(dc, refreshToken);
        replies.push(fresh.apiDomain);
        return { ...fresh, apiDomain: `${sb.base}/eu/api` };
      },
    };
    const tokens = createTokenManager({ ...c.app.deps, accounts: elsewhere });
    await expireStoredAccessToken(c.app, c.connectionId);

    const auth = await tokens.get('ws_demo', c.connectionId);
    expect(replies).toEqual([c.org.api_domain]); // the sandbox's reply listed it
    expect(auth.apiDomain).toBe(stored);
    expect((await findConnection(c.app.db, 'ws_demo', 'usr_alex'))!.apiDomain).toBe(stored);
    const me = await sb.client.api(
      { access_token: auth.accessToken, api_domain: auth.apiDomain },
      'GET',
      '/users?type=CurrentUser',
    );
    expect(me.status).toBe(200);
  });
});
