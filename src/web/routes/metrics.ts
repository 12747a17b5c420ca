import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../../log.ts';
import type { Metrics, metricsAccess } from '../../metrics.ts';

export interface MetricsRoute {
  metrics: Metrics;
  access: ReturnType<typeof metricsAccess>;
}

/** `GET /metrics`: Prometheus text, for whoever `access` lets in (METRICS_TOKEN). */
export function registerMetricsRoute(app: FastifyInstance, deps: MetricsRoute) {
  // Scraped every few seconds by every Prometheus: not worth a log line each time.
  app.get('/metrics', { logLevel: 'warn' }, async (req, reply) => {
    const verdict = deps.access(req.headers.authorization);
    if (verdict === 'disabled')
      return reply.code(404).type('text/plain').send('Metrics are off: set METRICS_TOKEN to read them.');
    if (verdict === 'unauthorized')
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .type('text/plain')
        .send('Send the METRICS_TOKEN as a bearer token.');
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });
}

/**
 * A worker process has no web app: with METRICS_PORT it serves `/metrics` (its own Zoho
 * calls) and `/healthz` on that port.
 */
export function buildMetricsServer(deps: MetricsRoute & { logger: Logger }) {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger });
  app.setErrorHandler((err: Error, req, reply) => {
    req.log.error({ err }, 'metrics request failed');
    return reply.code(500).type('text/plain').send('Internal error');
  });
  app.get('/healthz', { logLevel: 'warn' }, () => ({ status: 'ok' }));
  registerMetricsRoute(app, deps);
  return app;
}
