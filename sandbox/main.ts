import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { ownerOnlyUmask, tightenDataDir } from '../src/files/private-dir.ts';
import { createSandbox } from './app.ts';

/**
 * `npm run sandbox`: the sandbox alone, state kept in the data folder. Prints its URLs and
 * a ready-made OAuth client for the app (or for curl).
 */
// Before anything is created: the state holds OAuth client secrets (L7, M3).
process.umask(ownerOnlyUmask);
const config = loadConfig(process.env);
const dataDir = path.join(config.dataDir, 'sandbox');
// DATA_DIR itself and the sandbox's own folder; the service tightens the rest on its start.
tightenDataDir(config.dataDir, (message) => process.stderr.write(`${message}\n`), ['sandbox']);
const appUrl = `http://localhost:${config.http.port}`;
const sandbox = await createSandbox({
  dataDir,
  defaultClient: {
    name: 'PepoSmart (local)',
    redirect_uris: [
      `${appUrl}/integrations/zoho/callback`,
      `http://127.0.0.1:${config.http.port}/integrations/zoho/callback`,
    ],
  },
});
const base = await sandbox.listen(config.sandbox.port, config.http.host);
const client = Object.values(sandbox.core.state.clients).find((c) => !c.self_client)!;

process.stdout.write(`Zoho sandbox listening on ${base}
  Web view and admin API:  ${base}/__sandbox/
  Accounts (US):           ${sandbox.core.accountsUrl('us')}   (authorize: /oauth/v2/auth, token: /oauth/v2/token)
  API domain (US):         ${sandbox.core.apiDomain('us')}      (CRM: /crm/v8/…)
  Other data centres:      ${base}/<dc>/accounts and ${base}/<dc>/api, dc = us eu in au jp cn ca sa uk
  OAuth client:            client_id=${client.client_id}
                           client_secret=${client.client_secret}
                           redirect URIs: ${client.redirect_uris.join(', ')}
  State kept in:           ${dataDir}
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
