import type { FastifyRequest } from 'fastify';
import { crmErrors, type ZohoError, zohoError } from '../errors.ts';
import { type ModuleName, scopeModule } from '../modules.ts';
import type { SbOrg } from '../state.ts';
import type { Prepared } from './gate.ts';
import { moduleOf } from './read-routes.ts';
import { insertRecords, updateRecords, writeStatus } from './writes.ts';

/** At most 100 records per insert or update call; inserts cost one credit per 10 records. */
export const MAX_RECORDS_PER_CALL = 100;

interface WriteBody {
  data: unknown[];
  trigger: string[] | undefined;
}

function parseBody(req: FastifyRequest): WriteBody | ZohoError {
  const body = req.body as { data?: unknown; trigger?: unknown } | undefined;
  if (!body || !Array.isArray(body.data) || body.data.length === 0) return crmErrors.requiredParam('data');
  if (body.data.length > MAX_RECORDS_PER_CALL) {
    return zohoError(
      400,
      'LIMIT_EXCEEDED',
      `you can write at most ${MAX_RECORDS_PER_CALL} records in one call`,
      { limit: MAX_RECORDS_PER_CALL },
    );
  }
  if (
    body.trigger !== undefined &&
    !(Array.isArray(body.trigger) && body.trigger.every((t) => typeof t === 'string'))
  ) {
    return crmErrors.invalidParam('trigger', 'trigger must be an array of strings');
  }
  return { data: body.data, trigger: body.trigger as string[] | undefined };
}

const cost = (n: number) => Math.max(1, Math.ceil(n / 10));
/**
 * Writes of more than 10 records are heavy APIs: they share the sub-limit of 10 concurrent
 * heavy calls per org and client (Kaizen #203; ZOHO-API.md §8 Limits).
 */
export const HEAVY_WRITE_RECORDS = 10;
const heavy = (n: number) => n > HEAVY_WRITE_RECORDS;

export function prepareInsert(
  req: FastifyRequest,
  _org: SbOrg,
  moduleName: string,
  parent?: { module: string; id: string },
): Prepared | ZohoError {
  const module = moduleOf(moduleName);
  if (typeof module !== 'string') return module;
  const body = parseBody(req);
  if ('body' in body) return body;
  let data = body.data;
  if (parent) {
    // POST /{module}/{id}/Notes: the parent comes from the URL.
    const parentModule = moduleOf(parent.module);
    if (typeof parentModule !== 'string') return parentModule;
    data = data.map((d) => ({
      ...(d as object),
      Parent_Id: { module: { api_name: parentModule }, id: parent.id },
    }));
  }
  return {
    scopes: [`ZohoCRM.modules.${scopeModule(module)}.CREATE`],
    permissions: [{ module, action: 'create' }],
    cost: cost(data.length),
    heavy: heavy(data.length),
    run: (ctx) => {
      const results = insertRecords(
        { core: ctx.core, org: ctx.org, user: ctx.user, module, trigger: body.trigger },
        data,
      );
      return { status: writeStatus(results, 201), body: { data: results } };
    },
  };
}

export function prepareUpdate(
  req: FastifyRequest,
  _org: SbOrg,
  moduleName: string,
  id?: string,
): Prepared | ZohoError {
  const module = moduleOf(moduleName);
  if (typeof module !== 'string') return module;
  const body = parseBody(req);
  if ('body' in body) return body;
  const data = id ? body.data.map((d) => ({ ...(d as object), id })) : body.data;
  return {
    scopes: [`ZohoCRM.modules.${scopeModule(module)}.UPDATE`],
    permissions: [{ module, action: 'edit' }],
    cost: cost(data.length),
    heavy: heavy(data.length),
    run: (ctx) => {
      const results = updateRecords(
        { core: ctx.core, org: ctx.org, user: ctx.user, module: module as ModuleName, trigger: body.trigger },
        data,
      );
      return { status: writeStatus(results, 200), body: { data: results } };
    },
  };
}
