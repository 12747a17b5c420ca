import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import helmet from 'helmet';
import type { Clock } from '../clock.ts';
import type { ConnectionDeps } from '../connections/deps.ts';
import type { Database } from '../db/port.ts';
import type { Priority } from '../db/priority.ts';
import { loadSamples } from '../demo/samples.ts';
import { AppError } from '../errors.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { type Logger, lazyChild } from '../log.ts';
import { createAuth } from './auth.ts';
import type { SignIn, WebContext } from './context.ts';
import { registerActivityPage } from './pages/activity.ts';
import { registerIntegrationsPage } from './pages/integrations.ts';
import { registerPermissionsPage } from './pages/permissions.ts';
import { registerSuggestionsPage } from './pages/suggestions.ts';
import { registerTryIt } from './pages/try-it.ts';
import { registerEventsApi } from './routes/events-api.ts';
import { registerHandoff } from './routes/handoff.ts';
import { type MetricsRoute, registerMetricsRoute } from './routes/metrics.ts';
import { registerSignIn } from './routes/signin.ts';
import { registerZohoConnectionRoutes } from './routes/zoho-connection.ts';
import { registerZohoFieldRoutes } from './routes/zoho-fields.ts';
import { registerZohoMeetingsRoutes } from './routes/zoho-meetings.ts';
import { notFound, sendProblemPage } from './views/error-page.ts';
import { logoSvg } from './views/ui.ts';

export type { SignIn } from './context.ts';

export interface WebDeps {
  db: Database;
  logger: Logger;
  clock: Clock;
  connections: ConnectionDeps;
  /** The origin users reach the app at; https makes cookies Secure. */
  publicUrl: string;
  /** Config.signIn: the demo's pick-a-user page (the embedded demo only) or handoff. */
  signIn: SignIn;
  sandbox?: WebContext['sandbox'];
  /** The event intake API: the queue jobs go to and the platform's signing secret. */
  events?: {
    queue: Pick<JobQueue, 'send'> & Partial<Pick<JobQueue, 'sendMany'>>;
    secret: string;
    /** Accepting an event is foreground work: the embedded sync holds back meanwhile (db/priority.ts). */
    priority?: Pick<Priority, 'foreground'>;
  };
  /** `/metrics`, and what the event API counts. */
  metrics?: MetricsRoute;
}

/**
 * The web app. Errors become HTTP in one place: AppError by its code, anything else a 500
 * whose details stay in the log.
 */
export function buildWebApp(deps: WebDeps) {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    // Fastify's two lines per request off: logRequestsQuietly says what is worth saying.
    logController: new LogController({ disableRequestLogging: true }),
    // Each request's logger made only if the request writes a line (log.ts: lazyChild).
    childLoggerFactory: (logger, bindings, options) =>
      lazyChild(logger as Logger, bindings, options) as FastifyBaseLogger,
  });
  logRequestsQuietly(app);
  void app.register(fastifyCookie);
  void app.register(fastifyFormbody);
  securityHeaders(app, deps.publicUrl.startsWith('https:'));
  app.decorateRequest('user', null);
  app.decorateRequest('sessionToken', null);

  const auth = createAuth({
    db: deps.db,
    clock: deps.clock,
    secureCookies: deps.publicUrl.startsWith('https:'),
  });
  app.setErrorHandler(async (err: Error, req, reply) => {
    const httpStatus =
      err instanceof AppError ? err.httpStatus : ((err as { statusCode?: number }).statusCode ?? 500);
    if (wantsPage(req) && httpStatus >= 500) {
      req.log.error({ err }, 'unhandled error');
      return sendProblemPage(auth, req, reply, {
        status: 500,
        title: 'Something went wrong',
        text: 'PepoSmart could not show this page. Nothing you entered was lost; try again in a moment.',
      });
    }
    if (err instanceof AppError) {
      if (err.httpStatus >= 500) req.log.error({ err }, 'request failed');
      return reply
        .code(err.httpStatus)
        .send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (httpStatus < 500)
      return reply
        .code(httpStatus)
        .send({ error: { code: 'invalid_input', message: err.message, details: [] } });
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'Internal error', details: [] } });
  });

  const ctx: WebContext = {
    db: deps.db,
    clock: deps.clock,
    auth,
    connections: deps.connections,
    signIn: deps.signIn,
    queue: deps.events?.queue,
    sandbox: deps.sandbox,
    tryIt: deps.sandbox && deps.events ? { samples: loadSamples() } : undefined,
  };

  app.get('/healthz', { logLevel: 'warn' }, () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await deps.db.query('SELECT 1');
      return { status: 'ready', database: deps.db.kind };
    } catch (err) {
      deps.logger.warn({ err }, 'database not ready');
      return reply.code(503).send({ status: 'unavailable', database: deps.db.kind });
    }
  });
  app.get('/', (_req, reply) => reply.redirect('/integrations', 302));
  app.get('/favicon.svg', { logLevel: 'warn' }, (_req, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(logoSvg),
  );
  app.get('/favicon.ico', { logLevel: 'warn' }, (_req, reply) => reply.redirect('/favicon.svg', 301));
  app.setNotFoundHandler((req, reply) => {
    if (wantsPage(req)) return sendProblemPage(auth, req, reply, notFound());
    return reply.code(404).send({
      error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}`, details: [] },
    });
  });
  if (deps.metrics) registerMetricsRoute(app, deps.metrics);

  registerSignIn(app, ctx);
  registerHandoff(app, ctx);
  registerIntegrationsPage(app, ctx);
  registerPermissionsPage(app, ctx);
  registerZohoConnectionRoutes(app, ctx);
  registerZohoFieldRoutes(app, ctx);
  registerZohoMeetingsRoutes(app, ctx);
  if (deps.events) {
    registerEventsApi(app, {
      db: deps.db,
      logger: deps.logger,
      clock: deps.clock,
      ...deps.events,
      metrics: deps.metrics?.metrics,
    });
    registerActivityPage(app, ctx, deps.events.queue);
    registerSuggestionsPage(app, ctx);
    if (ctx.tryIt && deps.sandbox)
      registerTryIt(
        app,
        { ...ctx, tryIt: ctx.tryIt },
        { sandboxUrl: deps.sandbox.url, secret: deps.events.secret },
      );
  }
  return app;
}

/** A browser asking for a page (not the event API, not a JSON client): it gets HTML. */
function wantsPage(req: FastifyRequest): boolean {
  return !req.url.startsWith('/api/') && /text\/html/.test(String(req.headers.accept ?? ''));
}

/**
 * Helmet's security headers on every answer, worked out once: the policy is the same for every
 * request (no nonces), so helmet's middleware runs once at start against a recorder and each
 * answer gets the recorded headers through Fastify's own header list. Running the middleware per
 * request (raw `setHeader` a dozen times, each name checked by node) was ~5 % of the cost of
 * accepting an event during a burst (issue 13); @fastify/helmet built the middleware anew as well.
 */
function securityHeaders(app: FastifyInstance, https: boolean): void {
  const apply = helmet({
    // Pages post only to themselves and load nothing from elsewhere; inline CSS, no scripts.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        formAction: ["'self'"],
        imgSrc: ["'self'"],
      },
    },
    hsts: https,
  });
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader() {},
  };
  let failed: unknown;
  type Middleware = Parameters<typeof apply>;
  apply({} as Middleware[0], recorder as unknown as Middleware[1], (err) => {
    failed = err;
  });
  if (failed) throw failed;
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}

/** A request slower than this is logged at `info` with its time; faster ones only at `debug`. */
export const SLOW_REQUEST_MS = 1000;

/**
 * Request logs that stay quiet at the default level: a failed (5xx) or slow request is a
 * line; every other request is one `debug` line (LOG_LEVEL=debug), not two per request.
 */
function logRequestsQuietly(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    const fields = {
      req: { method: req.method, url: req.url },
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime),
    };
    if (reply.statusCode >= 500) req.log.warn(fields, 'request failed');
    else if (reply.elapsedTime >= SLOW_REQUEST_MS) req.log.info(fields, 'slow request');
    else req.log.debug(fields, 'request completed');
  });
}
