import type { FastifyRequest } from 'fastify';
import { crmErrors, type ZohoError } from '../errors.ts';
import { findModule, type ModuleName, scopeModule } from '../modules.ts';
import type { SbOrg, StoredRecord } from '../state.ts';
import { CriteriaError, conditionFields, matches, parseCriteria } from './criteria.ts';
import type { ApiContext, ApiReply, Prepared } from './gate.ts';
import { renderRecord } from './render.ts';

/**
 * Reads: get, list (fields required, pages of at most 200, page numbers only within the
 * first 2,000 records, then page_token), search (204 when nothing matches) and related lists.
 */
type Query = Record<string, string | undefined>;
export const MAX_PER_PAGE = 200;
export const MAX_PAGE_NUMBER_RECORDS = 2000;

export function moduleOf(name: string): ModuleName | ZohoError {
  return findModule(name) ?? crmErrors.invalidModule(name);
}

export const read = (m: ModuleName) => `ZohoCRM.modules.${scopeModule(m)}.READ`;

export function records(ctx: ApiContext, module: ModuleName): StoredRecord[] {
  return Object.values(ctx.core.state.records[ctx.org.id]?.[module] ?? {});
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
  return {
    scopes: [read(module)],
    permissions: [{ module, action: 'view' }],
    run: (ctx) => pageOf(ctx, module, records(ctx, module).sort(byNewest), spec, fields, true),
  };
}

export function prepareGet(
  _req: FastifyRequest,
  _org: SbOrg,
  moduleName: string,
  id: string,
): Prepared | ZohoError {
  const module = moduleOf(moduleName);
  if (typeof module !== 'string') return module;
  return {
    scopes: [read(module)],
    permissions: [{ module, action: 'view' }],
    run: (ctx) => {
      const rec = ctx.core.state.records[ctx.org.id]?.[module]?.[id];
      return rec
        ? { status: 200, body: { data: [renderRecord(ctx.core, ctx.org, module, rec)] } }
        : { status: 204 };
    },
  };
}

/** `email=` looks in every email field; `phone=` in every phone field; `word=` in any text. */
function searchPredicate(q: Query): ((fields: Record<string, unknown>) => boolean) | ZohoError {
  if (q['criteria']) {
    try {
      const criteria = parseCriteria(q['criteria']);
      if (conditionFields(criteria).some((f) => !/^[A-Za-z_][\w$]*$/.test(f)))
        return crmErrors.invalidParam('criteria', 'invalid query formed');
      return (f) => matches(criteria, f);
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
    const email = q['email'].toLowerCase();
    return (f) => lower(f['Email']) === email || lower(f['Secondary_Email']) === email;
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

export function prepareSearch(req: FastifyRequest, _org: SbOrg, moduleName: string): Prepared | ZohoError {
  const module = moduleOf(moduleName);
  if (typeof module !== 'string') return module;
  const q = req.query as Query;
  const predicate = searchPredicate(q);
  if ('body' in predicate) return predicate;
  const spec = pageSpec(q, false);
  if ('body' in spec) return spec;
  const fields = q['fields'] ? q['fields'].split(',') : undefined;
  return {
    scopes: [read(module)],
    permissions: [{ module, action: 'view' }],
    heavy: true,
    run: (ctx) => {
      const now = ctx.core.now();
      const hits = records(ctx, module)
        .filter((r) => r.searchable_ms <= now && predicate(r.fields))
        .sort(byNewest);
      return pageOf(ctx, module, hits, spec, fields, false);
    },
  };
}

const relatedLists: Partial<Record<ModuleName, ModuleName[]>> = {
  Contacts: ['Notes', 'Deals', 'Tasks'],
  Leads: ['Notes', 'Tasks'],
  Deals: ['Notes', 'Tasks'],
};

function relatedTo(
  rec: StoredRecord,
  parentModule: ModuleName,
  parentId: string,
  related: ModuleName,
): boolean {
  const f = rec.fields;
  if (related === 'Notes') return (f['Parent_Id'] as { id?: string } | undefined)?.id === parentId;
  if (related === 'Deals') return f['Contact_Name'] === parentId;
  if (related === 'Tasks')
    return parentModule === 'Contacts'
      ? f['Who_Id'] === parentId
      : (f['What_Id'] as { id?: string } | undefined)?.id === parentId;
  return false;
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
  const related = findModule(relatedName);
  if (!related || !(relatedLists[module] ?? []).includes(related))
    return crmErrors.invalidParam('related_list', 'the related list name given seems to be invalid');
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
      if (!ctx.core.state.records[ctx.org.id]?.[module]?.[id])
        return crmErrors.invalidParam('id', 'the id given seems to be invalid');
      const rows = records(ctx, related)
        .filter((r) => relatedTo(r, module, id, related))
        .sort(byNewest);
      return pageOf(ctx, related, rows, spec, fields, false);
    },
  };
}
