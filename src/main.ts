import path from 'node:path';
import { createSandbox, type Sandbox } from '../sandbox/app.ts';
import { seedDemoOrgs } from '../sandbox/demo.ts';
import { systemClock } from './clock.ts';
import { loadConfig } from './config.ts';
import { createConnectionDeps } from './connections/build.ts';
import { createVault, type VaultKey } from './crypto/vault.ts';
import { openDatabase } from './db/open.ts';
import { AppError } from './errors.ts';
import { startQueue } from './jobs/queue.ts';
import { loadOrCreateLocalSecrets, vaultKeysFor } from './local-secrets.ts';
import { createLogger } from './log.ts';
import { createBookingSync } from './sync/booking-sync.ts';
import { startSyncWorker } from './sync/worker.ts';
import { buildWebApp, type WebDeps } from './web/app.ts';
import { seedDemoWorkspace } from './workspaces/demo.ts';
import { type DataCentres, sandboxDataCentres, zohoDataCentres } from './zoho/datacentres.ts';

/**
 * The one place that builds real adapters and starts things. With no Zoho client
 * configured it runs in sandbox mode: the bundled Zoho sandbox starts beside the app, with
 * demo orgs, and a demo workspace is seeded.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel, name: 'peposmart-zoho' });
  const db = await openDatabase(config);
  const redirectUri = `${config.publicUrl}/integrations/zoho/callback`;

  let sandbox: Sandbox | undefined;
  let sandboxInfo: WebDeps['sandbox'];
  let dataCentres: DataCentres;
  let client: { clientId: string; clientSecret: string };
  let keys: readonly VaultKey[];
  let eventsSecret = config.eventsSecret;
  if (config.zoho.mode === 'sandbox') {
    const local = loadOrCreateLocalSecrets(config.dataDir);
    eventsSecret ??= local.eventsSecret;
    if (!config.tokenKeys)
      logger.warn(
        { file: local.file },
        'sandbox mode: tokens are encrypted with a key generated into the data folder; set TOKEN_ENCRYPTION_KEYS in production',
      );
    keys = vaultKeysFor(config);
    client = local.sandboxClient;
    sandbox = await createSandbox({
      dataDir: path.join(config.dataDir, 'sandbox'),
      defaultClient: {
        name: 'PepoSmart (local)',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [redirectUri],
      },
    });
    const accounts = seedDemoOrgs(sandbox.core);
    const url = await sandbox.listen(config.sandbox.port, config.http.host);
    sandboxInfo = { url, accounts };
    dataCentres = sandboxDataCentres(url);
    await seedDemoWorkspace(db);
  } else {
    keys = config.tokenKeys!;
    client = { clientId: config.zoho.clientId, clientSecret: config.zoho.clientSecret };
    dataCentres = zohoDataCentres();
  }

  const connections = createConnectionDeps({
    db,
    logger,
    clock: systemClock,
    vault: createVault(keys),
    client: { ...client, redirectUri },
    dataCentres,
  });
  const queue = await startQueue({ db, logger });
  await startSyncWorker({ queue, bookingSync: createBookingSync(connections) });
  const app = buildWebApp({
    db,
    logger,
    clock: systemClock,
    connections,
    publicUrl: config.publicUrl,
    handoffSecret: config.handoffSecret,
    sandbox: sandboxInfo,
    events: { queue, secret: eventsSecret! },
  });
  await app.listen({ port: config.http.port, host: config.http.host });
  process.stdout.write(
    `PepoSmart Zoho CRM integration on ${config.publicUrl} (database: ${db.kind})\n` +
      (sandboxInfo
        ? `Zoho sandbox on ${sandboxInfo.url}/__sandbox/ (sandbox mode: no ZOHO_CLIENT_ID set)\n` +
          `Sign in at ${config.publicUrl}/signin as a demo user, then Connect with a sandbox account: ` +
          `${sandboxInfo.accounts.map((a) => `${a.email} (${a.dataCentre.toUpperCase()})`).join(', ')}\n` +
          `Events: POST ${config.publicUrl}/api/v1/events signed with EVENTS_SIGNING_SECRET=${eventsSecret} ` +
          '(generated for sandbox mode)\n'
        : 'Zoho: live\n'),
  );

  const stop = async () => {
    await app.close();
    await queue.stop();
    await sandbox?.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof AppError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
