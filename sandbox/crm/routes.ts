import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SandboxCore } from '../core.ts';
import type { DataCenter } from '../dc.ts';
import { crmErrors } from '../errors.ts';
import type { SbOrg } from '../state.ts';
import { prepareComposite } from './composite.ts';
import type { CrmRoute } from './composite-sub.ts';
import { prepareConvert } from './convert-route.ts';
import { prepareFields } from './field-meta.ts';
import { gate, type Prepare } from './gate.ts';
import { prepareLayouts, prepareOrg, preparePipelines, prepareUsers } from './meta-routes.ts';
import { prepareModule, prepareModules, prepareRelatedLists } from './module-meta.ts';
import { prepareGet, prepareList, prepareRelated, prepareSearch } from './read-routes.ts';
import { prepareInsert, prepareUpdate } from './write-routes.ts';

type P = Record<string, string>;
const params = (req: FastifyRequest) => req.params as P;

/**
 * Every CRM endpoint reads its body as JSON whatever the Content-Type, or without one (Zoho's
 * official SDK sends record writes without it): in a context of their own, so the accounts
 * and admin routes keep Fastify's parsers.
 */
function acceptJsonAnyContentType(api: FastifyInstance): void {
  const json = api.getDefaultJsonParser('error', 'error');
  api.removeAllContentTypeParsers();
  api.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) =>
    body === '' ? done(null, undefined) : json(req, String(body), done),
  );
}

/** The CRM v8 API of one data centre, at `<base>/<dc>/api/crm/v8/…`. */
export function registerCrm(app: FastifyInstance, core: SandboxCore, dc: DataCenter): void {
  void app.register(async (api) => {
    acceptJsonAnyContentType(api);
    crmRoutes(api, core, dc);
  });
}

function crmRoutes(app: FastifyInstance, core: SandboxCore, dc: DataCenter): void {
  const v8 = `/${dc}/api/crm/v8`;
  // Every route is also listed for the composite API, which runs its sub-requests through them.
  const table: CrmRoute[] = [];
  const route = (method: 'GET' | 'POST' | 'PUT', url: string, prepare: Prepare) => {
    table.push({ method, url, prepare });
    app.route({ method, url: `${v8}${url}`, handler: (req, reply) => gate(core, dc, req, reply, prepare) });
  };

  route('GET', '/users', (req) => prepareUsers(req));
  route('GET', '/org', () => prepareOrg());
  route('GET', '/settings/fields', (req, org: SbOrg) => prepareFields(req, org));
  route('GET', '/settings/layouts', (req, org) => prepareLayouts(req, org));
  route('GET', '/settings/pipeline', (req, org) => preparePipelines(req, org));
  route('GET', '/settings/modules', () => prepareModules());
  route('GET', '/settings/modules/:api_name', (req, org) => prepareModule(org, params(req)['api_name']!));
  route('GET', '/settings/related_lists', (req, org) => prepareRelatedLists(req, org));
  route('POST', '/__composite_requests', (req) => prepareComposite(req, table));
  route('GET', '/:module/search', (req, org) => prepareSearch(req, org, params(req)['module']!));
  route('GET', '/:module/:id', (req, org) =>
    prepareGet(req, org, params(req)['module']!, params(req)['id']!),
  );
  route('GET', '/:module/:id/:related', (req, org) => {
    const p = params(req);
    return prepareRelated(req, org, p['module']!, p['id']!, p['related']!);
  });
  route('POST', '/:module/:id/actions/:action', (req, org) => {
    const p = params(req);
    return prepareConvert(req, org, p['module']!, p['id']!, p['action']!);
  });
  route('POST', '/:module/:id/:related', (req, org) => {
    const p = params(req);
    return p['related']!.toLowerCase() === 'notes'
      ? prepareInsert(req, org, 'Notes', { module: p['module']!, id: p['id']! })
      : crmErrors.invalidUrl();
  });
  route('GET', '/:module', (req, org) => prepareList(req, org, params(req)['module']!));
  route('POST', '/:module', (req, org) => prepareInsert(req, org, params(req)['module']!));
  route('PUT', '/:module', (req, org) => prepareUpdate(req, org, params(req)['module']!));
  route('PUT', '/:module/:id', (req, org) =>
    prepareUpdate(req, org, params(req)['module']!, params(req)['id']!),
  );
  app.all(`/${dc}/api/*`, (req, reply) => gate(core, dc, req, reply, () => crmErrors.invalidUrl()));
}
