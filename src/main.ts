import fs from 'node:fs';
import path from 'node:path';
import { createSandbox, type Sandbox } from '../sandbox/app.ts';
import { seedDemoOrgs } from '../sandbox/demo.ts';
import { buildAnalysis } from './analysis/build.ts';
import { systemClock } from './clock.ts';
import { type Config, loadConfig } from './config.ts';
import { createConnectionDeps } from './connections/build.ts';
import { createVault, type VaultKey } from './crypto/vault.ts';
import { openDatabase } from './db/open.ts';
import { backgroundLane, createPriority } from './db/priority.ts';
import { countStatements, createStatementCounter } from './db/statements.ts';
import { AppError } from './errors.ts';
import { ownerOnlyUmask, tightenDataDir } from './files/private-dir.ts';
import { startQueue } from './jobs/queue.ts';
import { loadOrCreateLocalSecrets, vaultKeysFor } from './local-secrets.ts';
import { createLogger } from './log.ts';
import { createMetrics, metricsAccess } from './metrics.ts';
import { defaultClaimTiming } from './sync/claims.ts';
import { createEventSync } from './sync/event-sync.ts';
import { startRetention } from './sync/retention.ts';
import { createSyncQueues, startSyncWorker } from './sync/worker.ts';
import { buildWebApp, type WebDeps } from './web/app.ts';
import { buildMetricsServer } from './web/routes/metrics.ts';
import { seedDemoWorkspace } from './workspaces/demo.ts';
import { type DataCentres, sandboxDataCentres, zohoDataCentres } from './zoho/datacentres.ts';

/**
 * The one place that builds real adapters and starts things, in one of three roles:
 * - `all` (`npm start`): web app, event API and sync workers in one process — the embedded
 *   shape on PGlite, or one process on PostgreSQL;
 * - `web` (`npm run web`): the web app and event API only;
 * - `worker` (`npm run worker`): sync workers only.
 * `web` and `worker` are the scaled shape: any number of each on one PostgreSQL database.
 * With no Zoho client configured it runs in sandbox mode: the bundled Zoho sandbox starts
 * beside the app, with demo orgs, and a demo workspace is seeded.
 */
type Role = 'all' | 'web' | 'worker';

function roleFrom(argv: string[]): Role {
  const role = argv[2] ?? 'all';
  if (role === 'all' || role === 'web' || role === 'worker') return role;
  throw new AppError(
    'config_invalid',
    `Unknown role "${role}": use all (npm start), web (npm run web) or worker (npm run worker).`,
  );
}

function checkShape(role: Role, config: Config): void {
  if (role === 'all') return;
  const problems: string[] = [];
  if (config.database.kind !== 'postgres')
    problems.push(
      'DATABASE_URL is required: the embedded database (PGlite) belongs to one process; run `npm start` for the one-process shape',
    );
  if (config.zoho.mode === 'sandbox' && !config.zoho.url)
    problems.push(
      'set ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET (Zoho), or ZOHO_SANDBOX_URL with the client `npm run sandbox` printed: processes cannot share a sandbox started inside one of them',
    );
  if (problems.length)
    throw new AppError('config_invalid', `npm run ${role}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
}

async function main(): Promise<void> {
  process.umask(ownerOnlyUmask); // before anything is created: DATA_DIR holds secrets (M3)
  const role = roleFrom(process.argv);
  const config = loadConfig(process.env);
  checkShape(role, config);
  const logger = createLogger({
    level: config.logLevel,
    name: `peposmart-zoho${role === 'all' ? '' : `-${role}`}`,
  });
  tightenDataDir(config.dataDir, (message) => logger.warn({ dataDir: config.dataDir }, message));
  process.stdout.write(startingLine(role, config));
  const statements = createStatementCounter();
  const db = countStatements(
    await openDatabase(config, {
      onIdleError: (err) =>
        logger.warn(
          { err: { message: err.message } },
          'an idle database connection failed; the pool opens another',
        ),
    }),
    statements,
  );
  // Embedded: accepting events comes before the sync's statements (db/priority.ts).
  const priority = db.kind === 'pglite' ? createPriority() : undefined;
  const syncDb = priority ? backgroundLane(db, priority) : db;
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
    if (config.zoho.url) {
      // A sandbox another process runs (`npm run sandbox`), shared by web and worker processes.
      client = { clientId: config.zoho.clientId, clientSecret: config.zoho.clientSecret };
      sandboxInfo = { url: config.zoho.url, accounts: [] };
      dataCentres = sandboxDataCentres(config.zoho.url);
    } else {
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
    }
  } else {
    keys = config.tokenKeys!;
    client = { clientId: config.zoho.clientId, clientSecret: config.zoho.clientSecret };
    dataCentres = zohoDataCentres();
  }

  const metrics = createMetrics(db, { statements });
  const metricsRoute = {
    metrics,
    access: metricsAccess(config.metrics.token, config.signIn.mode === 'demo'),
  };
  const connections = createConnectionDeps({
    observer: metrics,
    db,
    logger,
    clock: systemClock,
    vault: createVault(keys),
    client: { ...client, redirectUri },
    dataCentres,
    ...(config.sync.orgConcurrency ? { perOrgConcurrency: config.sync.orgConcurrency } : {}),
  });
  // A worker's metrics port is bound before it takes any job: a port in use stops it cleanly.
  const metricsServer =
    role === 'worker' && config.metrics.workerPort !== undefined
      ? buildMetricsServer({ ...metricsRoute, logger })
      : undefined;
  await metricsServer?.listen({ port: config.metrics.workerPort!, host: config.http.host });
  // A warning, not a refusal: the event API and the workers need no sign-in (the scaled shape on
  // a shared sandbox runs so for tests and benches), but the operator must not expect pages.
  if (role !== 'worker' && config.signIn.mode === 'handoff' && !config.signIn.secret)
    logger.warn(
      'no one can sign in: set AUTH_HANDOFF_SECRET (users sign in through the scheduling platform)',
    );
  if (role !== 'worker' && config.metrics.workerPort !== undefined)
    logger.warn('METRICS_PORT is for `npm run worker`; this process serves /metrics on its own port');
  const queue = await startQueue({ db, logger, statements });
  await createSyncQueues(queue);
  // The offline analyser's thread starts at the first analysis (never in a web-only process).
  const analysis = buildAnalysis(config.openai, logger, { timeBudgetMs: config.analysis.timeBudgetMs });
  if (role !== 'web')
    await startSyncWorker({
      db: syncDb,
      queue,
      logger,
      eventSync: createEventSync({
        ...connections,
        db: syncDb,
        analyze: analysis.analyze,
        claimTiming: { ...defaultClaimTiming, searchLagMs: config.sync.searchLagSeconds * 1000 },
      }),
      concurrency: config.sync.concurrency,
      orgConcurrency: config.sync.orgConcurrency,
      observer: metrics,
    });
  if (role !== 'web') await startRetention({ db, queue, logger, days: config.sync.retentionDays });
  const app =
    role === 'worker'
      ? undefined
      : buildWebApp({
          db,
          logger,
          clock: systemClock,
          connections,
          publicUrl: config.publicUrl,
          signIn: config.signIn,
          sandbox: sandboxInfo,
          events: { queue, secret: eventsSecret!, ...(priority ? { priority } : {}) },
          metrics: metricsRoute,
        });
  await app?.listen({ port: config.http.port, host: config.http.host });

  process.stdout.write(
    role === 'worker'
      ? `PepoSmart Zoho CRM sync worker (database: ${db.kind}, ${config.sync.concurrency} jobs at once)\n` +
          (metricsServer ? `Metrics on ${serverOrigin(metricsServer)}/metrics\n` : '')
      : `PepoSmart Zoho CRM integration on ${config.publicUrl} (database: ${db.kind}${role === 'web' ? ', web only' : ''})\n` +
          (sandbox && sandboxInfo
            ? `Zoho sandbox on ${sandboxInfo.url}/__sandbox/ (sandbox mode: no ZOHO_CLIENT_ID set)\n` +
              (config.signIn.mode === 'demo'
                ? `Sign in at ${config.publicUrl}/signin as a demo user, then Connect with a sandbox account: `
                : `${signInLine(config)}, then Connect with a sandbox account: `) +
              `${sandboxInfo.accounts.map((a) => `${a.email} (${a.dataCentre.toUpperCase()})`).join(', ')}\n` +
              `Events: POST ${config.publicUrl}/api/v1/events signed with EVENTS_SIGNING_SECRET=${eventsSecret} ` +
              '(generated for sandbox mode)\n'
            : `${signInLine(config)}\nZoho: ${sandboxInfo ? `sandbox at ${sandboxInfo.url}` : 'live'}\n`),
  );

  // Graceful shutdown: stop taking requests, let jobs in hand finish (up to 30 s; what is
  // left is released for another worker to retry), then close the database.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      await app?.close();
      await metricsServer?.close();
      await queue.stop(30_000);
      await analysis.close();
      await sandbox?.close();
      await db.close();
      process.exit(0);
    } catch (err) {
      logger.error({ err: { message: (err as Error).message } }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * Said before anything slow: opening the database (on a first start, creating the embedded one
 * takes several seconds) and migrating it, so a silent terminal never looks like a hang.
 */
function startingLine(role: Role, config: Config): string {
  const what = role === 'worker' ? 'sync worker' : role === 'web' ? 'integration (web only)' : 'integration';
  const firstStart =
    config.database.kind === 'pglite' && !fs.existsSync(path.join(config.database.dataDir, 'PG_VERSION'));
  return firstStart
    ? `Starting the PepoSmart Zoho CRM ${what}: first start, creating its database in ${config.database.dataDir} (takes a few seconds)…\n`
    : `Starting the PepoSmart Zoho CRM ${what}: opening its database (${config.database.kind})…\n`;
}

/** How users sign in, when it is not the demo's pick-a-user page. */
function signInLine(config: Config): string {
  return config.signIn.mode === 'handoff' && config.signIn.secret
    ? 'Sign-in: through the scheduling platform (/auth/handoff)'
    : 'Sign-in: none: AUTH_HANDOFF_SECRET is not set, so no one can sign in (set AUTH_HANDOFF_SECRET)';
}

function serverOrigin(server: { server: { address(): unknown } }): string {
  const a = server.server.address() as { address: string; port: number; family: string };
  return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof AppError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
