import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { zohoDateTime } from '../core.ts';
import { crmErrors, type ZohoError } from '../errors.ts';
import { licenseDetails } from '../license.ts';
import { fullName } from '../orgs.ts';
import type { SbOrg, SbUser } from '../state.ts';
import { stageValue } from './field-meta.ts';
import { moduleId } from './fields.ts';
import type { ApiContext, Prepared } from './gate.ts';
import { profileId } from './module-meta.ts';
import { moduleOf } from './read-routes.ts';

/** Users, org and the Deals layouts and pipelines (fields and modules: field-meta, module-meta). */
type Query = Record<string, string | undefined>;

function renderUser(ctx: ApiContext, u: SbUser) {
  return {
    id: u.id,
    zuid: u.zuid ?? u.id,
    first_name: u.first_name,
    last_name: u.last_name,
    full_name: fullName(u),
    email: u.email,
    status: u.status,
    confirm: true,
    role: { name: u.role, id: `${u.id.slice(0, -3)}901` },
    profile: { name: u.profile, id: profileId(ctx.org, u.profile) },
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

/** Zoho's country per data centre, for orgs created without one. */
const dcCountry: Record<string, string> = {
  us: 'US',
  eu: 'DE',
  in: 'IN',
  au: 'AU',
  jp: 'JP',
  cn: 'CN',
  ca: 'CA',
  sa: 'SA',
  uk: 'GB',
};

/** The org's primary contact: its first administrator, as Zoho names the account's owner. */
function primaryUser(ctx: ApiContext): SbUser | undefined {
  const users = ctx.org.users.map((id) => ctx.core.state.users[id]).filter((u) => u !== undefined);
  return users.find((u) => u.profile === 'Administrator') ?? users[0];
}

/**
 * `GET /org` in the v8 org description's shape: the long CRM org id, the short `zgid`
 * (Zoho's samples name the domain `org<zgid>`), the primary user's ZUID, the environment
 * `type` and the full `license_details`.
 */
export function renderOrg(ctx: ApiContext) {
  const org = ctx.org;
  const primary = primaryUser(ctx);
  const zgid = org.zgid ?? org.id.slice(-8);
  return {
    id: org.id,
    zgid,
    ezgid: createHash('sha256').update(zgid).digest('hex').slice(0, 32),
    primary_zuid: primary?.zuid ?? primary?.id ?? null,
    company_name: org.name,
    domain_name: `org${zgid}`,
    alias: null,
    description: null,
    primary_email: primary?.email ?? null,
    phone: null,
    mobile: null,
    fax: null,
    website: null,
    employee_count: String(org.users.length),
    street: null,
    city: null,
    state: null,
    zip: null,
    country: null,
    country_code: dcCountry[org.data_center] ?? 'US',
    time_zone: org.time_zone,
    currency: org.currency === 'USD' ? 'US Dollar' : org.currency,
    iso_code: org.currency,
    currency_symbol: org.currency === 'USD' ? '$' : org.currency,
    currency_locale: 'en_US',
    mc_status: false,
    gapps_enabled: false,
    translation_enabled: false,
    privacy_settings: false,
    hipaa_compliance_enabled: false,
    lite_users_enabled: false,
    deletable_org_account: false,
    oauth_presence: true,
    photo_id: null,
    call_icon: null,
    zia_portal_id: null,
    zia_zgid: null,
    max_per_page: 200,
    // The docs' wording (v6+ org page): production, sandbox, bigin or developer.
    type: 'production',
    created_time: zohoDateTime(Date.parse(org.created_at), org.time_zone),
    hierarchy_preferences: { type: 'Role_Hierarchy', strictly_reporting: false },
    checkin_preferences: { restricted_event_types: null },
    license_details: licenseDetails(org),
  };
}

export function prepareOrg(): Prepared {
  return {
    scopes: ['ZohoCRM.org.READ'],
    run: (ctx) => ({ status: 200, body: { org: [renderOrg(ctx)] } }),
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
            maps: p.stages.map(stageValue),
          })),
        },
      };
    },
  };
}
