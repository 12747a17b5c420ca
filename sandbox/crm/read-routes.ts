import type { FastifyRequest } from 'fastify';
import { crmErrors, type ZohoError } from '../errors.ts';
import { findModule, type ModuleName, type RelatedList, relatedLists, scopeModule } from '../modules.ts';
import type { SbOrg, StoredRecord } from '../state.ts';
import { CriteriaError, conditionFields, matches, parseCriteria } from './criteria.ts';
import { fieldDefs } from './fields.ts';
import type { ApiContext, ApiReply, Prepared } from './gate.ts';
import { takesPart } from './participants.ts';
import { renderRecord } from './render.ts';
import { findRemoved, indexedFields, liveRecords, liveTable, removedTable } from './store.ts';

/**
 * Reads: get, list (fields required, pages of at most 200, page numbers only within the
 * first 2,000 records, then page_token), search (204 when nothing matches) and related lists.
 * A converted Lead is gone from all of them unless the call asks for `converted=true` (only
 * converted ones) or `converted=both`; merged-away and deleted records are gone for good.
 */
type Query = Record<string, string | undefined>;
export const MAX_PER_PAGE = 200;
export const MAX_PAGE_NUMBER_RECORDS = 2000;

export function moduleOf(name: string): ModuleName | ZohoError {
  return findModule(name) ?? crmErrors.invalidModule(name);
}

export const read = (m: ModuleName) => `ZohoCRM.modules.${scopeModule(m)}.READ`;

export function records(ctx: ApiContext, module: ModuleName): StoredRecord[] {
  return liveRecords(ctx.core, ctx.org.id, module);
}

/** v8's `converted` parameter: `false` (the default), `true` or `both`. */
type Converted = 'false' | 'true' | 'both';

function parseConverted(q: Query): Converted | ZohoError {
  const v = (q['converted'] ?? 'false').toLowerCase();
  if (v === 'false' || v === 'true' || v === 'both') return v;
  return crmErrors.invalidParam('converted', 'invalid value for converted', {
    supported_values: ['true', 'false', 'both'],
  });
}

function convertedLeads(ctx: ApiContext): StoredRecord[] {
  return Object.values(removedTable(ctx.core, ctx.org.id, 'Leads')).filter(
    (r) => r.removed.reason === 'converted',
  );
}

/** The records a read sees: converted Leads only when asked for. */
function visible(ctx: ApiContext, module: ModuleName, converted: Converted): StoredRecord[] {
  if (module !== 'Leads' || converted === 'false') return records(ctx, module);
  return converted === 'true' ? convertedLeads(ctx) : [...records(ctx, module), ...convertedLeads(ctx)];
}

function parseFields(q: Query): string[] | ZohoError {
  if (!q['fields']) return crmErrors.requiredParam('fields');
  return q['fields']
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
}

interface PageSpec {
  perPage: number;
  offset: number;
  page: number;
}

function pageSpec(q: Query, allowToken: boolean): PageSpec | ZohoError {
  const perPage = q['per_page'] === undefined ? MAX_PER_PAGE : Number(q['per_page']);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) {
    return crmErrors.invalidParam('per_page', `per_page should be between 1 and ${MAX_PER_PAGE}`, {
      maximum_length: MAX_PER_PAGE,
    });
  }
  if (allowToken && q['page_token']) {
    try {
      const t = JSON.parse(Buffer.from(q['page_token'], 'base64url').toString()) as { offset: number };
      return { perPage, offset: t.offset, page: Math.floor(t.offset / perPage) + 1 };
    } catch {
      return crmErrors.invalidParam('page_token', 'invalid page_token');
    }
  }
  const page = q['page'] === undefined ? 1 : Number(q['page']);
  if (!Number.isInteger(page) || page < 1) return crmErrors.invalidParam('page', 'invalid page');
  if (page * perPage > MAX_PAGE_NUMBER_RECORDS) {
    return {
      status: 400,
      body: {
        code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
        details: { limit: MAX_PAGE_NUMBER_RECORDS },
        message: 'you cannot fetch more than 2000 records with page numbers; use page_token',
        status: 'error',
      },
    };
  }
  return { perPage, offset: (page - 1) * perPage, page };
}

function pageOf(
  ctx: ApiContext,
  module: ModuleName,
  rows: StoredRecord[],
  spec: PageSpec,
  fields: string[] | undefined,
  withToken: boolean,
): ApiReply {
  const slice = rows.slice(spec.offset, spec.offset + spec.perPage);
  if (slice.length === 0) return { status: 204 };
  const more = spec.offset + spec.perPage < rows.length;
  const next = more
    ? Buffer.from(JSON.stringify({ offset: spec.offset + spec.perPage })).toString('base64url')
    : null;
  return {
    status: 200,
    body: {
      data: slice.map((r) => renderRecord(ctx.core, ctx.org, module, r, fields)),
      info: {
        per_page: spec.perPage,
        count: slice.length,
        page: spec.page,
        more_records: more,
        ...(withToken
          ? {
              next_page_token: next,
              previous_page_token: null,
              page_token_expiry: null,
              sort_by: 'id',
              sort_order: 'desc',
            }
          : {}),
      },
    },
  };
}

const byNewest = (a: StoredRecord, b: StoredRecord) => b.created_ms - a.created_ms || (b.id < a.id ? -1 : 1);

export function prepareList(req: FastifyRequest, _org: SbOrg, moduleName: string): Prepared | ZohoError {
  const module = moduleOf(moduleName);
  if (typeof module !== 'string') return module;
  const q = req.query as Query;
  const fields = parseFields(q);
  if ('body' in fields) return fields;
  const spec = pageSpec(q, true);
  if ('body' in spec) return spec;
  const converted = parseConverted(q);
  if (typeof converted !== 'string') return converted;
  return {
    scopes: [read(module)],
    permissions: [{ module, action: 'view' }],
    run: (ctx) => pageOf(ctx, module, visible(ctx, module, converted).sort(byNewest), spec, fields, true),
  };
}

/**
 * A record gone from its module answers 204 like one that never was: a converted Lead
 * (observed at Zoho: "GET /Leads/{id} on the converted Lead returns HTTP 204"), unless
 * asked for with `converted=true|both`; a merged-away or deleted one always.
 */
function getOne(
  ctx: ApiContext,
  module: ModuleName,
  id: string,
  converted: Converted,
): StoredRecord | undefined {
  const live = converted === 'true' ? undefined : liveTable(ctx.core, ctx.org.id, module)[id];
  if (live || module !== 'Leads' || converted === 'false') return live;
  const gone = findRemoved(ctx.core, ctx.org.id, module, id);
  return gone?.removed.reason === 'converted' ? gone : undefined;
}

export function prepareGet(
  req: FastifyRequest,
  _org: SbOrg,
  moduleName: string,
  id: string,
): Prepared | ZohoError {
  const module = moduleOf(moduleName);
  if (typeof module !== 'string') return module;
  const converted = parseConverted(req.query as Query);
  if (typeof converted !== 'string') return converted;
  return {
    scopes: [read(module)],
    permissions: [{ module, action: 'view' }],
    run: (ctx) => {
      const rec = getOne(ctx, module, id, converted);
      return rec
        ? { status: 200, body: { data: [renderRecord(ctx.core, ctx.org, module, rec)] } }
        : { status: 204 };
    },
  };
}

const textKinds = new Set(['text', 'textarea', 'email', 'phone', 'picklist']);
const fieldsOfKind = (org: SbOrg, module: ModuleName, kinds: Set<string>) =>
  fieldDefs(module, org)
    .filter((d) => kinds.has(d.type.kind))
    .map((d) => d.api_name);

/**
 * `email=` looks in every email field of the module and, like `equals` in criteria, matches
 * an address that only contains the one asked for (sandbox guess: the unkind reading of
 * Zoho's containment search); `phone=` in every phone field; `word=` in any text.
 */
function searchPredicate(
  q: Query,
  org: SbOrg,
  module: ModuleName,
): ((fields: Record<string, unknown>) => boolean) | ZohoError {
  if (q['criteria']) {
    try {
      const criteria = parseCriteria(q['criteria']);
      if (conditionFields(criteria).some((f) => !/^[A-Za-z_][\w$]*$/.test(f)))
        return crmErrors.invalidParam('criteria', 'invalid query formed');
      const text = new Set(fieldsOfKind(org, module, textKinds));
      return (f) => matches(criteria, f, (name) => text.has(name));
    } catch (err) {
      if (err instanceof CriteriaError)
        return {
          status: 400,
          body: {
            code: 'INVALID_QUERY',
            details: { reason: err.message },
            message: 'invalid query formed',
            status: 'error',
          },
        };
      throw err;
    }
  }
  const lower = (v: unknown) => String(v ?? '').toLowerCase();
  if (q['email'] !== undefined) {
    const email = q['email'].trim().toLowerCase();
    const emailFields = fieldsOfKind(org, module, new Set(['email']));
    return (f) => email !== '' && emailFields.some((name) => lower(f[name]).includes(email));
  }
  if (q['phone'] !== undefined) {
    const digits = q['phone'].replace(/\D/g, '');
    return (f) =>
      digits !== '' && [f['Phone'], f['Mobile']].some((p) => String(p ?? '').replace(/\D/g, '') === digits);
  }
  if (q['word'] !== undefined) {
    const word = q['word'].toLowerCase();
    return (f) =>
      Object.values(f).some(
        (v) =>
          typeof v === 'string' &&
          v
            .toLowerCase()
            .split(/[\s@.,]+/)
            .some((w) => w.startsWith(word)),
      );
  }
  return crmErrors.requiredParam('criteria');
}

export function prepareSearch(req: FastifyRequest, org: SbOrg, moduleName: string): Prepared | ZohoError {
  const module = moduleOf(moduleName);
  if (typeof module !== 'string') return module;
  const q = req.query as Query;
  const predicate = searchPredicate(q, org, module);
  if ('body' in predicate) return predicate;
  const spec = pageSpec(q, false);
  if ('body' in spec) return spec;
  const converted = parseConverted(q);
  if (typeof converted !== 'string') return converted;
  const fields = q['fields'] ? q['fields'].split(',') : undefined;
  return {
    // v8 "Search records": the module's READ scope and ZohoSearch.securesearch.READ.
    scopes: [read(module), SEARCH_SCOPE],
    permissions: [{ module, action: 'view' }],
    // Whether plain search is a heavy API is unconfirmed (ZOHO-API.md §8): kept as one.
    heavy: true,
    run: (ctx) => {
      const now = ctx.core.now();
      const hits = visible(ctx, module, converted)
        .filter((r) => {
          const indexed = indexedFields(r, now);
          return indexed !== undefined && predicate(indexed);
        })
        .sort(byNewest);
      return pageOf(ctx, module, hits, spec, fields, false);
    },
  };
}

export const SEARCH_SCOPE = 'ZohoSearch.securesearch.READ';

/** Whether `rec` (of the related list's module) belongs to the parent record. */
export function relatedTo(
  rec: StoredRecord,
  parentModule: ModuleName,
  parentId: string,
  list: RelatedList,
): boolean {
  const f = rec.fields;
  const ref = (name: string) => f[name] as { module?: string; id?: string } | undefined;
  if (list.api_name === 'Invited_Events') return takesPart(f['Participants'], parentModule, parentId);
  switch (list.module) {
    case 'Notes':
      return ref('Parent_Id')?.module === parentModule && ref('Parent_Id')?.id === parentId;
    case 'Tasks':
      return parentModule === 'Contacts'
        ? f['Who_Id'] === parentId
        : ref('What_Id')?.module === parentModule && ref('What_Id')?.id === parentId;
    case 'Deals':
      return parentModule === 'Accounts' ? f['Account_Name'] === parentId : f['Contact_Name'] === parentId;
    case 'Contacts':
      return f['Account_Name'] === parentId;
    default:
      return false;
  }
}

export function prepareRelated(
  req: FastifyRequest,
  _org: SbOrg,
  moduleName: string,
  id: string,
  relatedName: string,
): Prepared | ZohoError {
  const module = moduleOf(moduleName);
  if (typeof module !== 'string') return module;
  const list = relatedLists[module].find((l) => l.api_name.toLowerCase() === relatedName.toLowerCase());
  if (!list) return crmErrors.invalidParam('related_list', 'the related list name given seems to be invalid');
  const related = list.module;
  const q = req.query as Query;
  const fields = parseFields(q);
  if ('body' in fields) return fields;
  const spec = pageSpec(q, false);
  if ('body' in spec) return spec;
  return {
    scopes: [read(module), read(related)],
    permissions: [
      { module, action: 'view' },
      { module: related, action: 'view' },
    ],
    run: (ctx) => {
      // A converted, merged-away or deleted parent is as unknown as one that never was.
      if (!liveTable(ctx.core, ctx.org.id, module)[id])
        return crmErrors.invalidParam('id', 'the id given seems to be invalid');
      const rows = records(ctx, related)
        .filter((r) => relatedTo(r, module, id, list))
        .sort(byNewest);
      return pageOf(ctx, related, rows, spec, fields, false);
    },
  };
}
