import type { FastifyRequest } from 'fastify';
import { crmErrors, type ZohoError } from '../errors.ts';
import { recordId } from '../ids.ts';
import { findModule, type ModuleName, moduleNames, relatedLists } from '../modules.ts';
import type { Action, SbOrg, SbUser } from '../state.ts';
import { moduleId } from './fields.ts';
import type { ApiContext, Prepared } from './gate.ts';
import { moduleOf } from './read-routes.ts';

/**
 * Module and related-list metadata (`/settings/modules`, `/settings/related_lists`), as the
 * v8 descriptions shape them. The official SDK reads `/settings/modules` to learn which
 * modules take the API (`api_supported`, `generated_type`) and `/settings/related_lists`
 * before a related-records call, taking the list's `api_name`, `module.api_name` and `href`.
 * Only the modules the sandbox serves are listed, so a client never meets one it cannot use.
 */
type Query = Record<string, string | undefined>;

interface Labels {
  singular: string;
  plural: string;
  moduleName: string;
}

const labels: Partial<Record<ModuleName, Labels>> = {
  Contacts: { singular: 'Contact', plural: 'Contacts', moduleName: 'Contacts' },
  Leads: { singular: 'Lead', plural: 'Leads', moduleName: 'Leads' },
  Notes: { singular: 'Note', plural: 'Notes', moduleName: 'Notes' },
  Tasks: { singular: 'Task', plural: 'Tasks', moduleName: 'Tasks' },
  // Zoho still calls Deals "Potentials" inside (module_name), as its samples show.
  Deals: { singular: 'Deal', plural: 'Deals', moduleName: 'Potentials' },
  Accounts: { singular: 'Account', plural: 'Accounts', moduleName: 'Accounts' },
  // Zoho labels the Events module "Meetings" (the scopes page: "Full access to Meetings module").
  Events: { singular: 'Meeting', plural: 'Meetings', moduleName: 'Events' },
};

const labelsOf = (m: ModuleName): Labels =>
  labels[m] ?? { singular: m.replace(/s$/, ''), plural: m, moduleName: m };

/** Profile ids are stable per org and profile name (also used by the users API). */
export function profileId(org: SbOrg, name: string): string {
  return recordId(org.id_prefix, 900 + Math.max(0, Object.keys(org.profiles).indexOf(name)));
}

function can(org: SbOrg, user: SbUser, module: ModuleName, action: Action): boolean {
  return (org.profiles[user.profile]?.[module] ?? []).includes(action);
}

/** What the current user's profile may do there, as Zoho answers per user. */
function renderModule(ctx: ApiContext, module: ModuleName, index: number) {
  const { org, user } = ctx;
  const l = labelsOf(module);
  const viewers = Object.keys(org.profiles).filter((p) => (org.profiles[p]?.[module] ?? []).includes('view'));
  return {
    id: moduleId(org, module),
    api_name: module,
    module_name: l.moduleName,
    singular_label: l.singular,
    plural_label: l.plural,
    actual_singular_label: l.singular,
    actual_plural_label: l.plural,
    api_supported: true,
    generated_type: 'default',
    creatable: can(org, user, module, 'create'),
    editable: can(org, user, module, 'edit'),
    deletable: can(org, user, module, 'delete'),
    viewable: can(org, user, module, 'view'),
    convertable: module === 'Leads',
    quick_create: module !== 'Notes',
    show_as_tab: module !== 'Notes',
    visible: true,
    visibility: 1,
    status: 'visible',
    sequence_number: index + 1,
    profiles: viewers.map((p) => ({ id: profileId(org, p), name: p })),
    has_more_profiles: false,
    profile_count: viewers.length,
    description: null,
    web_link: null,
    modified_time: null,
    modified_by: null,
    presence_sub_menu: false,
    sub_menu_available: false,
    feeds_required: false,
    triggers_supported: true,
    scoring_supported: module !== 'Notes',
    webform_supported: module === 'Contacts' || module === 'Leads',
    recycle_bin_on_delete: true,
    track_current_data: false,
    business_card_field_limit: 5,
    arguments: [],
    parent_module: {},
  };
}

/**
 * The related lists the sandbox serves at `GET /{module}/{id}/{api_name}` (modules.ts), so
 * every `href` here works. Zoho's published sample for Contacts names the activities lists
 * "Activities" / "Activities_History"; the sandbox serves Tasks under "Tasks" (README guess).
 */
export function renderRelatedLists(org: SbOrg, module: ModuleName) {
  return (relatedLists[module] ?? []).map((related, i) => ({
    id: `${moduleId(org, module).slice(0, -4)}${String(2000 + i)}`,
    sequence_number: String(i),
    api_name: related.api_name,
    display_label: related.label,
    name: related.label,
    module: { api_name: related.module, id: moduleId(org, related.module) },
    href: `${module}/{ENTITYID}/${related.api_name}`,
    type: 'default',
    action: null,
    visible: true,
    status: 'visible',
    customize_sort: false,
    customize_fields: false,
    customize_display_label: false,
    sort_by: null,
    sort_order: null,
    fields: [],
  }));
}

const modulesScope = 'ZohoCRM.settings.modules.READ';

export function prepareModules(): Prepared {
  return {
    scopes: [modulesScope],
    run: (ctx) => ({
      status: 200,
      body: { modules: moduleNames.map((m, i) => renderModule(ctx, m, i)) },
    }),
  };
}

/** `/settings/modules/{api_name}` (or the module's id): one module, with its related lists. */
export function prepareModule(org: SbOrg, nameOrId: string): Prepared | ZohoError {
  const module = findModule(nameOrId) ?? moduleNames.find((m) => moduleId(org, m) === nameOrId);
  if (!module) return crmErrors.invalidModule(nameOrId);
  return {
    scopes: [modulesScope],
    run: (ctx) => ({
      status: 200,
      body: {
        modules: [
          {
            ...renderModule(ctx, module, moduleNames.indexOf(module)),
            related_lists: renderRelatedLists(org, module),
          },
        ],
      },
    }),
  };
}

/**
 * `/settings/related_lists?module=`: Zoho documents it for record modules, not for Notes
 * (refused as an invalid module); a module without related lists answers an empty list.
 */
export function prepareRelatedLists(req: FastifyRequest, org: SbOrg): Prepared | ZohoError {
  const name = (req.query as Query)['module'];
  if (!name) return crmErrors.requiredParam('module');
  const module = moduleOf(name);
  if (typeof module !== 'string') return module;
  if (module === 'Notes') return crmErrors.invalidModule(name);
  return {
    scopes: ['ZohoCRM.settings.related_lists.READ'],
    run: () => ({ status: 200, body: { related_lists: renderRelatedLists(org, module) } }),
  };
}
