import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../clock.ts';
import type { Priority } from '../../db/priority.ts';
import { AppError } from '../../errors.ts';
import type { Metrics } from '../../metrics.ts';
import { eventSchema, parseEvent } from '../../sync/event-schema.ts';
import { createIntake, type IntakeDeps } from '../../sync/intake.ts';
import { SIGNATURE_HEADER, verifyEventSignature } from '../../sync/signature.ts';

/**
 * `POST /api/v1/events` (DESIGN §2.3): the signature is checked over the raw body before
 * anything else, then the JSON and its schema; nothing is recorded for a refused request.
 * The OpenAPI document is at `/api/v1/openapi.json`.
 */
export const EVENT_BODY_LIMIT = 1024 * 1024;

const eventTypes = new Set<string>(eventSchema.options.map((o) => o.shape.type.value));

export function registerEventsApi(
  app: FastifyInstance,
  deps: IntakeDeps & {
    clock: Clock;
    secret: string;
    metrics?: Pick<Metrics, 'eventReceived'> | undefined;
    priority?: Pick<Priority, 'foreground'> | undefined;
  },
) {
  // The type only when it is one of ours: anything else would make a series per typo.
  const typeOf = (json: unknown) => {
    const t = (json as { type?: unknown } | null)?.type;
    return typeof t === 'string' && eventTypes.has(t) ? t : 'unknown';
  };
  // Events arriving together are recorded together (group commit, sync/intake.ts).
  const intake = createIntake(deps);
  void app.register(async (api) => {
    // From its first byte to its answer, a request here is foreground work.
    const { priority } = deps;
    if (priority) {
      const ends = new WeakMap<object, () => void>();
      api.addHook('onRequest', async (req) => {
        ends.set(req, priority.foreground());
      });
      const end = async (req: object) => ends.get(req)?.();
      api.addHook('onResponse', end);
      api.addHook('onRequestAbort', end);
    }
    // The signature covers the exact bytes sent, so the body is kept as text here.
    api.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: EVENT_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );

    api.post('/api/v1/events', async (req, reply) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      const header = req.headers[SIGNATURE_HEADER];
      const check = verifyEventSignature(
        deps.secret,
        Array.isArray(header) ? header[0] : header,
        raw,
        deps.clock.now(),
      );
      if (!check.ok) {
        deps.metrics?.eventReceived('unknown', 'unauthorized');
        throw new AppError(
          'unauthorized',
          `Signature ${check.reason}: sign "<t>.<raw body>" with the shared secret`,
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        deps.metrics?.eventReceived('unknown', 'invalid');
        throw new AppError('invalid_input', 'The body is not valid JSON', {
          details: [{ path: '(body)', message: 'invalid JSON' }],
        });
      }
      const parsed = parseEvent(json);
      if (!parsed.ok) {
        deps.metrics?.eventReceived(typeOf(json), 'invalid');
        throw new AppError('invalid_input', 'The event does not match the schema', {
          details: parsed.details,
        });
      }
      const result = await intake.record(parsed.event);
      deps.metrics?.eventReceived(parsed.event.type, result.status);
      if (result.status === 'duplicate')
        return reply.code(200).send({ id: parsed.event.id, status: 'duplicate' });
      return reply.code(202).send({ id: parsed.event.id, status: 'accepted' });
    });

    api.get('/api/v1/openapi.json', () => openApiDocument());
  });
}

const errorBody = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
};

function openApiDocument() {
  const json = (schema: object) => ({ 'application/json': { schema } });
  return {
    openapi: '3.1.0',
    info: { title: 'PepoSmart Zoho CRM integration: event intake', version: '1' },
    paths: {
      '/api/v1/events': {
        post: {
          summary: 'Send a scheduling event to be synced to the host’s Zoho CRM',
          parameters: [
            {
              name: 'PepoSmart-Signature',
              in: 'header',
              required: true,
              description:
                't=<unix seconds>,v1=<hex HMAC-SHA256(EVENTS_SIGNING_SECRET, "<t>.<raw body>")>; older than 5 minutes is refused',
              schema: { type: 'string' },
            },
          ],
          requestBody: {
            required: true,
            content: json(z.toJSONSchema(eventSchema, { io: 'input', unrepresentable: 'any' })),
          },
          responses: {
            '202': {
              description: 'Accepted',
              content: json({
                type: 'object',
                properties: { id: { type: 'string' }, status: { const: 'accepted' } },
              }),
            },
            '200': {
              description: 'Already received',
              content: json({
                type: 'object',
                properties: { id: { type: 'string' }, status: { const: 'duplicate' } },
              }),
            },
            '400': {
              description:
                'Invalid JSON or schema (a string holding a control character other than tab and line breaks, or an unpaired surrogate, is invalid); details name the fields',
              content: json(errorBody),
            },
            '401': { description: 'Missing, wrong or stale signature', content: json(errorBody) },
            '413': { description: `Body larger than ${EVENT_BODY_LIMIT} bytes`, content: json(errorBody) },
          },
        },
      },
    },
  };
}
