import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type Connection, findConnection } from '../../connections/repo.ts';
import { ConnectionUnavailableError } from '../../connections/tokens.ts';
import {
  addFieldRow,
  type FieldCache,
  readFieldCache,
  readFieldRows,
  refreshFieldCache,
  removeFieldRow,
} from '../../connections/zoho-fields.ts';
import { checkValue } from '../../sync/field-check.ts';
import {
  type FieldTarget,
  fieldTargets,
  type UtmKey,
  utmKeys,
  type ValueSource,
} from '../../sync/field-values.ts';
import { controlCharsMessage, storable } from '../../text.ts';
import { ZohoError } from '../../zoho/errors.ts';
import type { ZohoField } from '../../zoho/fields.ts';
import type { WebContext } from '../context.ts';
import {
  type FieldRowsView,
  offeredFields,
  type ValueFormErrors,
  type ValueFormInput,
  valueForm,
} from '../views/field-rows.ts';
import { html } from '../views/html.ts';
import { layout } from '../views/layout.ts';

const back = '/integrations#field-rows';
/** Where a change lands: the card, with a `done` code the Integrations page may say in words. */
const done = (code: 'field_value_added' | 'field_value_removed' | 'fields_read') =>
  `/integrations?done=${code}#field-rows`;

/** "Contacts.Lead_Source" → the module and the field, when the org's cached list offers it. */
function offered(cache: FieldCache, ref: unknown): { module: FieldTarget; field: ZohoField } | undefined {
  if (typeof ref !== 'string') return undefined;
  const dot = ref.indexOf('.');
  const module = fieldTargets.find((t) => t === ref.slice(0, dot));
  const field = module
    ? offeredFields(cache, module).find((f) => f.apiName === ref.slice(dot + 1))
    : undefined;
  return module && field ? { module, field } : undefined;
}

const valueForm_ = z.object({
  source: z.string().optional(),
  fixed_value: z.string().max(2000).optional(),
  question: z.string().max(500).optional(),
  utm_key: z.string().optional(),
});

/** The row's value source from the form, or the form's errors. */
function sourceOf(
  field: ZohoField,
  f: ValueFormInput,
): { source: ValueSource } | { errors: ValueFormErrors } {
  switch (f.source) {
    case 'fixed': {
      const value = (f.fixed_value ?? '').trim();
      if (!value) return { errors: { fixed_value: 'Enter the value to write' } };
      if (!storable(value)) return { errors: { fixed_value: `The value ${controlCharsMessage}` } };
      const checked = checkValue(field, value);
      if (!checked.ok)
        return { errors: { fixed_value: `This value does not fit the field: ${checked.reason}` } };
      return { source: { kind: 'fixed', value } };
    }
    case 'event_type':
      return { source: { kind: 'event_type' } };
    case 'response': {
      const question = (f.question ?? '').trim();
      if (!question || question.length > 200)
        return {
          errors: {
            question: 'Enter the question’s label as the booking form shows it (200 characters or fewer)',
          },
        };
      if (!storable(question)) return { errors: { question: `The question ${controlCharsMessage}` } };
      return { source: { kind: 'response', question } };
    }
    case 'utm': {
      const key = utmKeys.find((k: UtmKey) => k === f.utm_key);
      return key ? { source: { kind: 'utm', key } } : { errors: { utm_key: 'Choose a UTM parameter' } };
    }
    case 'booking_date':
      if (['date', 'datetime', 'text', 'textarea'].includes(field.dataType))
        return { source: { kind: 'booking_date' } };
      return { errors: { source: 'The booking date fits only a date, date-time or text field' } };
    default:
      return { errors: { source: 'Choose where the value comes from' } };
  }
}

/** Field values on create: the card's add-row steps, Remove, and reading the org's fields again. */
export function registerZohoFieldRoutes(app: FastifyInstance, ctx: WebContext) {
  const signedIn = { preHandler: ctx.auth.requireUser };

  /** The signed-in user's connected connection, else a redirect to the card (which says why). */
  async function connected(req: FastifyRequest, reply: FastifyReply): Promise<Connection | undefined> {
    const user = req.user!;
    const conn = await findConnection(ctx.db, user.workspaceId, user.id);
    if (conn?.status === 'connected') return conn;
    await reply.redirect('/integrations', 303);
    return undefined;
  }

  const page = (req: FastifyRequest, body: ReturnType<typeof html>) =>
    layout('Add a field value', ctx.auth.pageUser(req), '/integrations', body);

  app.get('/integrations/zoho/field-rows/new', signedIn, async (req, reply) => {
    const conn = await connected(req, reply);
    if (!conn) return reply;
    const cache = await readFieldCache(ctx.db, conn.workspaceId, conn.id);
    const chosen = offered(cache, (req.query as Record<string, unknown>)['field']);
    if (!chosen) return reply.redirect(back, 303);
    const csrf = ctx.auth.pageUser(req).csrf;
    return reply.type('text/html').send(page(req, valueForm(chosen.module, chosen.field, csrf)));
  });

  app.post('/integrations/zoho/field-rows', signedIn, async (req, reply) => {
    const conn = await connected(req, reply);
    if (!conn) return reply;
    const cache = await readFieldCache(ctx.db, conn.workspaceId, conn.id);
    const chosen = offered(cache, (req.body as Record<string, unknown> | undefined)?.['field']);
    if (!chosen) return reply.redirect(back, 303);
    const parsed = valueForm_.safeParse(req.body);
    const input: ValueFormInput = parsed.success ? parsed.data : {};
    const out = sourceOf(chosen.field, input);
    const refuse = (errors: ValueFormErrors) =>
      reply
        .code(400)
        .type('text/html')
        .send(page(req, valueForm(chosen.module, chosen.field, ctx.auth.pageUser(req).csrf, input, errors)));
    if ('errors' in out) return refuse(out.errors);
    const added = await addFieldRow(ctx.db, conn.workspaceId, conn.id, {
      module: chosen.module,
      field: chosen.field.apiName,
      label: chosen.field.label,
      source: out.source,
    });
    if (!added.ok)
      return refuse({
        source:
          added.reason === 'duplicate'
            ? 'This field already has a value: remove that one on the Integrations page first'
            : 'The list is full: remove a field value first',
      });
    return reply.redirect(done('field_value_added'), 303);
  });

  app.post<{ Params: { id: string } }>(
    '/integrations/zoho/field-rows/:id/remove',
    signedIn,
    async (req, reply) => {
      const user = req.user!;
      const conn = await findConnection(ctx.db, user.workspaceId, user.id);
      const removed = conn ? await removeFieldRow(ctx.db, user.workspaceId, conn.id, req.params.id) : false;
      return reply.redirect(removed ? done('field_value_removed') : back, 303);
    },
  );

  app.post('/integrations/zoho/fields/refresh', signedIn, async (req, reply) => {
    const conn = await connected(req, reply);
    if (!conn) return reply;
    const source = ctx.connections.tokens.source(conn.id, conn.workspaceId);
    try {
      await refreshFieldCache(ctx.connections, source, conn.workspaceId, conn.id);
    } catch (err) {
      if (err instanceof ConnectionUnavailableError) return reply.redirect('/integrations', 303);
      if (!(err instanceof ZohoError)) throw err;
      const body = html`<h1>Fields not read</h1><div class="problem" id="fields-problem" role="alert">
<strong>Zoho CRM did not give PepoSmart the field list.</strong><br>${err.message}<br>What to do: try again in a
few minutes; if it keeps failing, use Check connection on the Integrations page.</div>
<p><a href="${back}">Back to Integrations</a></p>`;
      return reply
        .code(502)
        .type('text/html')
        .send(layout('Fields not read', ctx.auth.pageUser(req), '/integrations', body));
    }
    return reply.redirect(done('fields_read'), 303);
  });
}

/** The card section's data (views/field-rows.ts `fieldRowsSection`). */
export async function loadFieldRowsView(
  ctx: Pick<WebContext, 'db'>,
  conn: Pick<Connection, 'id' | 'workspaceId'> & { settings: Pick<Connection['settings'], 'syncMeetings'> },
): Promise<FieldRowsView> {
  const [rows, cache] = await Promise.all([
    readFieldRows(ctx.db, conn.workspaceId, conn.id),
    readFieldCache(ctx.db, conn.workspaceId, conn.id),
  ]);
  return { rows, cache, meetingsOn: conn.settings.syncMeetings };
}
