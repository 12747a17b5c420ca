import Fastify from 'fastify';
import type { Database } from '../db/port.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log.ts';

export interface WebDeps {
  db: Database;
  logger: Logger;
  /** Links shown on the home page, e.g. the sandbox's web view. */
  links?: Array<{ label: string; href: string }>;
}

/**
 * The web app. Errors become HTTP in one place: AppError by its code, anything else a 500
 * whose details stay in the log.
 */
export function buildWebApp(deps: WebDeps) {
  const app = Fastify({ loggerInstance: deps.logger, bodyLimit: 256 * 1024 });

  app.setErrorHandler((err: Error, req, reply) => {
    if (err instanceof AppError) {
      return reply
        .code(err.httpStatus)
        .send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status < 500)
      return reply.code(status).send({ error: { code: 'invalid_input', message: err.message, details: [] } });
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'Internal error', details: [] } });
  });

  app.get('/healthz', () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    try {
      await deps.db.query('SELECT 1');
      return { status: 'ready', database: deps.db.kind };
    } catch (err) {
      deps.logger.warn({ err }, 'database not ready');
      return reply.code(503).send({ status: 'unavailable', database: deps.db.kind });
    }
  });

  app.get('/', (_req, reply) => {
    const links = (deps.links ?? []).map((l) => `<li><a href="${l.href}">${l.label}</a></li>`).join('');
    return reply
      .type('text/html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PepoSmart · Zoho CRM</title></head>
<body><h1>PepoSmart · Zoho CRM integration</h1><ul>${links}<li><a href="/healthz">/healthz</a></li><li><a href="/readyz">/readyz</a></li></ul></body></html>`);
  });

  return app;
}
