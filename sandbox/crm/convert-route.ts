import type { FastifyRequest } from 'fastify';
import { crmErrors, type RecordError, recordError, type ZohoError, zohoError } from '../errors.ts';
import type { Action, SbOrg, SbUser } from '../state.ts';
import type { ApiReply, Prepared } from './gate.ts';
import { type ConvertOptions, convertLead, type LifecycleFailure } from './lifecycle.ts';
import { recordName } from './render.ts';

/**
 * `POST /Leads/{id}/actions/convert` (crm-oas v8 convert_lead.json): `{ data: [{ overwrite,
 * notify_lead_owner, notify_new_entity_owner, Accounts, Contacts, assign_to, Deals }] }` →
 * 200 `{ data: [{ code: "SUCCESS", details: { Contacts, Deals, Accounts } }] }`, each a
 * `{ name, id }` or null. A heavy API (Kaizen #203).
 */
type Item = Record<string, unknown>;

const idOf = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
    : typeof (v as { id?: unknown } | null)?.id === 'string'
      ? (v as { id: string }).id
      : undefined;

// Zoho's reply to a convert call without a JSON object body (observed, third-party tool docs).
const noBody = () => zohoError(400, 'INVALID_DATA', 'body', { expected_data_type: 'jsonobject' });

function parseItem(req: FastifyRequest): { item: Item } | ZohoError {
  const body = req.body as { data?: unknown } | undefined;
  if (!body || typeof body !== 'object') return noBody();
  if (!Array.isArray(body.data) || body.data.length === 0) return crmErrors.requiredParam('data');
  const [item] = body.data;
  if (body.data.length > 1 || !item || typeof item !== 'object' || Array.isArray(item))
    return crmErrors.invalidParam('data', 'one lead is converted per call');
  return { item: item as Item };
}

function options(item: Item): ConvertOptions | RecordError {
  const deals = item['Deals'];
  if (deals !== undefined && (deals === null || typeof deals !== 'object' || Array.isArray(deals)))
    return recordError('INVALID_DATA', 'invalid data', {
      api_name: 'Deals',
      json_path: '$.data[0].Deals',
      expected_data_type: 'jsonobject',
    });
  const account = item['Accounts'] === undefined ? true : idOf(item['Accounts']);
  if (account === undefined)
    return recordError('MANDATORY_NOT_FOUND', 'required field not found', {
      api_name: 'id',
      json_path: '$.data[0].Accounts.id',
    });
  return {
    account,
    contactId: idOf(item['Contacts']),
    deal: deals as Record<string, unknown> | undefined,
    ownerId: idOf(item['assign_to']),
  };
}

function failure(f: LifecycleFailure): ApiReply | ZohoError {
  if (f.kind === 'already_converted')
    return zohoError(400, 'ID_ALREADY_CONVERTED', 'id already converted', { resource_path_index: 1 });
  if (f.kind === 'not_found')
    return zohoError(400, 'INVALID_DATA', 'invalid data', { resource_path_index: 1 });
  return { status: 400, body: { data: [f.error] } };
}

function ownerError(org: SbOrg, ownerId: string | undefined, users: Record<string, SbUser>) {
  if (ownerId === undefined) return undefined;
  const user = users[ownerId];
  if (user && user.org_id === org.id && user.status === 'active') return undefined;
  return recordError('INVALID_DATA', 'invalid data', {
    api_name: 'assign_to',
    json_path: '$.data[0].assign_to',
  });
}

export function prepareConvert(
  req: FastifyRequest,
  _org: SbOrg,
  moduleName: string,
  id: string,
  action: string,
): Prepared | ZohoError {
  if (moduleName.toLowerCase() !== 'leads' || action !== 'convert') return crmErrors.invalidUrl();
  const parsed = parseItem(req);
  if ('body' in parsed) return parsed;
  const opts = options(parsed.item);
  const made = (module: 'Contacts' | 'Accounts' | 'Deals') => [{ module, action: 'create' as Action }];
  return {
    // v5+ docs: ZohoCRM.modules.ALL or ZohoCRM.modules.leads.CREATE.
    scopes: ['ZohoCRM.modules.leads.CREATE'],
    permissions: [
      { module: 'Leads', action: 'edit' },
      ...('status' in opts || opts.contactId ? [] : made('Contacts')),
      ...('status' in opts || opts.account !== true ? [] : made('Accounts')),
      ...('status' in opts || !opts.deal ? [] : made('Deals')),
    ],
    heavy: true,
    run: (ctx) => {
      if ('status' in opts) return { status: 400, body: { data: [opts] } };
      const badOwner = ownerError(ctx.org, opts.ownerId, ctx.core.state.users);
      if (badOwner) return { status: 400, body: { data: [badOwner] } };
      const result = convertLead(
        { core: ctx.core, org: ctx.org, user: ctx.user, searchableAtOnce: false },
        id,
        opts,
      );
      if ('kind' in result) return failure(result);
      const ref = (module: 'Contacts' | 'Deals' | 'Accounts') => {
        const rid = result[module];
        return rid ? { name: recordName(ctx.core, ctx.org.id, module, rid), id: rid } : null;
      };
      return {
        status: 200,
        body: {
          data: [
            {
              code: 'SUCCESS',
              details: { Contacts: ref('Contacts'), Deals: ref('Deals'), Accounts: ref('Accounts') },
              message: 'The record has been converted successfully',
              status: 'success',
            },
          ],
        },
      };
    },
  };
}
