import path from 'node:path';
import { createSandbox, type Sandbox } from '../sandbox/app.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/open.ts';
import { AppError } from './errors.ts';
import { createLogger } from './log.ts';
import { buildWebApp } from './web/app.ts';

/**
 * The one place that builds real adapters and starts things. With no Zoho client
 * configured it runs in sandbox mode: the bundled Zoho sandbox starts beside the app.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel, name: 'peposmart-zoho' });
  const db = await openDatabase(config);
  const appUrl = `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${config.http.port}`;

  let sandbox: Sandbox | undefined;
  let sandboxUrl: string | undefined;
  if (config.zoho.mode === 'sandbox') {
    sandbox = await createSandbox({
      dataDir: path.join(config.dataDir, 'sandbox'),
      defaultClient: { name: 'PepoSmart (local)', redirect_uris: [`${appUrl}/integrations/zoho/callback`] },
    });
    sandboxUrl = await sandbox.listen(config.sandbox.port, config.http.host);
  }

  const app = buildWebApp({
    db,
    logger,
    links: sandboxUrl ? [{ label: 'Zoho sandbox', href: `${sandboxUrl}/__sandbox/` }] : [],
  });
  await app.listen({ port: config.http.port, host: config.http.host });
  process.stdout.write(
    `PepoSmart Zoho CRM integration on ${appUrl} (database: ${db.kind})\n` +
      (sandboxUrl
        ? `Zoho sandbox on ${sandboxUrl}/__sandbox/ (sandbox mode: no ZOHO_CLIENT_ID set)\n`
        : 'Zoho: live\n'),
  );

  const stop = async () => {
    await app.close();
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
