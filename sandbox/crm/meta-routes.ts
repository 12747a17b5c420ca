import type { FastifyRequest } from 'fastify';
import { crmErrors, type ZohoError } from '../errors.ts';
import { fullName } from '../orgs.ts';
import type { SbOrg, SbUser } from '../state.ts';
import { fieldDefs, moduleId } from './fields.ts';
import type { ApiContext, Prepared } from './gate.ts';
import { moduleOf } from './read-routes.ts';

/** Users, org and settings metadata (fields, layouts, pipelines). */
type Query = Record<string, string | undefined>;

function renderUser(ctx: ApiContext, u: SbUser) {
  return {
    id: u.id,
    zuid: u.id,
    first_name: u.first_name,
    last_name: u.last_name,
    full_name: fullName(u),
    email: u.email,
    status: u.status,
    confirm: true,
    role: { name: u.role, id: `${u.id.slice(0, -3)}901` },
    profile: { name: u.profile, id: `${u.id.slice(0, -3)}902` },
    time_zone: ctx.org.time_zone,
    locale: 'en_US',
  };
}

export function prepareUsers(req: FastifyRequest): Prepared | ZohoError {
  const type = (req.query as Query)['type'] ?? 'AllUsers';
  if (!['AllUsers', 'ActiveUsers', 'CurrentUser', 'AdminUsers'].includes(type))
    return crmErrors.invalidParam('type', 'invalid user type');
  return {
    scopes: ['ZohoCRM.users.READ'],
    run: (ctx) => {
      const all = ctx.org.users.map((id) => ctx.core.state.users[id]!).filter(Boolean);
      const users =
        type === 'CurrentUser'
          ? [ctx.user]
          : type === 'AdminUsers'
            ? all.filter((u) => u.profile === 'Administrator')
            : type === 'ActiveUsers'
              ? all.filter((u) => u.status === 'active')
              : all;
      return {
        status: 200,
        body: {
          users: users.map((u) => renderUser(ctx, u)),
          info: { per_page: 200, count: users.length, page: 1, more_records: false },
        },
      };
    },
  };
}

export function prepareOrg(): Prepared {
  return {
    scopes: ['ZohoCRM.org.READ'],
    run: (ctx) => {
      const admin = ctx.org.users
        .map((id) => ctx.core.state.users[id]!)
        .find((u) => u?.profile === 'Administrator');
      return {
        status: 200,
        body: {
          org: [
            {
              id: ctx.org.id,
              zgid: ctx.org.id,
              company_name: ctx.org.name,
              domain_name: `org${ctx.org.id}`,
              primary_email: admin?.email ?? null,
              time_zone: ctx.org.time_zone,
              currency: ctx.org.currency,
              country_code: ctx.org.data_center.toUpperCase(),
              type: 'production',
              license_details: {
                paid_type: ctx.org.edition,
                paid: ctx.org.edition !== 'free',
                users_license_purchased: ctx.org.users.length,
              },
            },
          ],
        },
      };
    },
  };
}

export function prepareFields(req: FastifyRequest, org: SbOrg): Prepared | ZohoError {
  const name = (req.query as Query)['module'];
  if (!name) return crmErrors.requiredParam('module');
  const module = moduleOf(name);
  if (typeof module !== 'string') return module;
  return {
    scopes: ['ZohoCRM.settings.fields.READ'],
    run: () => ({
      status: 200,
      body: {
        fields: fieldDefs(module).map((d, i) => ({
          id: `${moduleId(org, module).slice(0, -4)}${String(1000 + i)}`,
          api_name: d.api_name,
          field_label: d.label,
          display_label: d.label,
          data_type:
            d.type.kind === 'parent' || d.type.kind === 'multi_lookup'
              ? 'lookup'
              : d.type.kind === 'owner'
                ? 'ownerlookup'
                : d.type.kind,
          system_mandatory: Boolean(d.mandatory) || (org.mandatory_fields[module] ?? []).includes(d.api_name),
          length: 'max' in d.type ? d.type.max : 255,
          unique: { casesensitive: false, enabled: (org.unique_fields[module] ?? []).includes(d.api_name) },
          pick_list_values:
            d.type.kind === 'picklist'
              ? d.type.values.map((v) => ({ display_value: v, actual_value: v }))
              : [],
          ...(d.type.kind === 'lookup' ? { lookup: { module: { api_name: d.type.module } } } : {}),
        })),
      },
    }),
  };
}

export function prepareLayouts(req: FastifyRequest, org: SbOrg): Prepared | ZohoError {
  const name = (req.query as Query)['module'];
  if (!name) return crmErrors.requiredParam('module');
  const module = moduleOf(name);
  if (typeof module !== 'string') return module;
  return {
    scopes: ['ZohoCRM.settings.layouts.READ'],
    run: () => ({
      status: 200,
      body: {
        layouts: (module === 'Deals'
          ? org.deal_layouts
          : [{ id: `${moduleId(org, module).slice(0, -4)}0900`, name: 'Standard' }]
        ).map((l) => ({
          id: l.id,
          name: l.name,
          api_name: l.name,
          display_label: l.name,
          status: 'active',
          visible: true,
        })),
      },
    }),
  };
}

export function preparePipelines(req: FastifyRequest, org: SbOrg): Prepared | ZohoError {
  const layoutId = (req.query as Query)['layout_id'];
  if (!layoutId) return crmErrors.requiredParam('layout_id');
  return {
    scopes: ['ZohoCRM.settings.pipeline.READ'],
    run: () => {
      const layout = org.deal_layouts.find((l) => l.id === layoutId);
      if (!layout) return crmErrors.invalidParam('layout_id', 'the given layout id seems to be invalid');
      return {
        status: 200,
        body: {
          pipeline: layout.pipelines.map((p) => ({
            id: p.id,
            display_value: p.name,
            actual_value: p.name,
            default: p.default,
            child_available: false,
            maps: p.stages.map((s, i) => ({
              id: s.id,
              display_value: s.name,
              actual_value: s.name,
              sequence_number: i + 1,
              probability: s.probability,
              forecast_type: s.forecast,
              forecast_category: {
                name: s.forecast === 'Open' ? 'Pipeline' : s.forecast === 'Closed Won' ? 'Closed' : 'Omitted',
                id: `${s.id.slice(0, -3)}777`,
              },
            })),
          })),
        },
      };
    },
  };
}
