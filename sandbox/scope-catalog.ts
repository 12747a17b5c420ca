/**
 * Every OAuth scope a Zoho CRM client may ask for, as Zoho documents them: the CRM v8 scopes
 * page (users, org, settings.*, modules.* with each standard module, bulk, notifications,
 * coql), the operation types of "Select API scopes" (WRITE is an alias of CREATE, UPDATE and
 * DELETE; CUSTOM for composite requests), the scopes named by the v8 OpenAPI descriptions
 * (zoho/crm-oas: files, share, mass_convert, send_mail, templates, zia), the function-execution
 * scopes, Zoho Search's `securesearch` (the v8 search page requires it) and Accounts' own
 * profile scope. The consent page describes each in plain words; anything else is refused.
 */
export const operations = ['ALL', 'READ', 'CREATE', 'UPDATE', 'DELETE', 'WRITE', 'CUSTOM'] as const;
export type Operation = (typeof operations)[number];

export interface ScopeFamily {
  service: 'ZohoCRM' | 'ZohoSearch' | 'AaaServer' | 'ZohoFiles';
  /** Between the service and the operation: ZohoCRM.modules.leads.READ → ['modules', 'leads']. */
  path: readonly string[];
  ops: readonly Operation[];
  /** What the scope reaches, in plain words ("your Leads"), after a verb for the operation. */
  subject: string;
  /** Whole sentences where a verb and the subject would not say it well. */
  says?: Partial<Record<Operation, string>>;
}

const CRUD: readonly Operation[] = ['ALL', 'READ', 'CREATE', 'UPDATE', 'DELETE'];
const MODULE_OPS: readonly Operation[] = [...CRUD, 'WRITE'];

/** Modules holding records: each has its scope, its sharing scope and its email scope. */
const recordModules: ReadonlyArray<readonly [string, string]> = [
  ['leads', 'Leads'],
  ['accounts', 'Accounts (companies)'],
  ['contacts', 'Contacts'],
  ['deals', 'Deals'],
  ['campaigns', 'Campaigns'],
  ['tasks', 'Tasks'],
  ['cases', 'Cases'],
  ['events', 'Meetings (Events)'],
  ['calls', 'Calls'],
  ['solutions', 'Solutions'],
  ['products', 'Products'],
  ['vendors', 'Vendors'],
  ['pricebooks', 'Price Books'],
  ['quotes', 'Quotes'],
  ['salesorders', 'Sales Orders'],
  ['purchaseorders', 'Purchase Orders'],
  ['invoices', 'Invoices'],
  ['services', 'Services'],
  ['appointments', 'Appointments'],
  ['custom', 'custom modules'],
];

/** "Leads in your CRM": reads well after every verb of `describeScope`. */
const records = (m: string, label: string) =>
  m === 'custom' ? 'records of your custom modules' : `${label} in your CRM`;

const otherModules: ScopeFamily[] = [
  { service: 'ZohoCRM', path: ['modules', 'notes'], ops: MODULE_OPS, subject: 'Notes on your records' },
  {
    service: 'ZohoCRM',
    path: ['modules', 'attachments'],
    ops: MODULE_OPS,
    subject: 'files attached to your records',
  },
  {
    service: 'ZohoCRM',
    path: ['modules', 'emails'],
    ops: MODULE_OPS,
    subject: 'emails sent and received on your records',
  },
  {
    service: 'ZohoCRM',
    path: ['modules', 'appointments_rescheduled_history'],
    ops: MODULE_OPS,
    subject: 'the reschedule history of your Appointments',
  },
  { service: 'ZohoCRM', path: ['modules', 'dashboards'], ops: MODULE_OPS, subject: 'your dashboards' },
  {
    service: 'ZohoCRM',
    path: ['modules', 'approvals'],
    ops: MODULE_OPS,
    subject: 'records waiting for approval',
  },
  {
    service: 'ZohoCRM',
    path: ['modules', 'search'],
    ops: ['ALL', 'READ'],
    subject: '',
    says: { READ: 'Search your records', ALL: 'Search your records, with full access' },
  },
  {
    service: 'ZohoCRM',
    path: ['modules', 'activities'],
    ops: MODULE_OPS,
    subject: 'Activities (retired in API v3: no current call accepts this permission)',
  },
];

const settings: ReadonlyArray<readonly [string, string]> = [
  ['fields', 'field settings (which fields each module has, and which are mandatory)'],
  ['layouts', 'page layouts of each module'],
  ['pipeline', 'Deal pipelines and their stages'],
  ['modules', 'module settings'],
  ['related_lists', 'the related lists shown on records'],
  ['custom_views', 'custom views (saved filters of record lists)'],
  ['territories', 'territories'],
  ['roles', 'roles'],
  ['profiles', 'profiles (what each user may do)'],
  ['currencies', 'currencies'],
  ['variables', 'CRM variables'],
  ['variable_groups', 'CRM variable groups'],
  ['tags', 'tags'],
  ['tab_groups', 'tab groups'],
  ['macros', 'macros'],
  ['custom_links', 'custom links'],
  ['custom_buttons', 'custom buttons'],
  ['map_dependency', 'field dependencies'],
  ['fiscal_year', 'the fiscal year'],
  ['intelligence', 'Zia data-enrichment settings'],
  ['recycle_bin', 'the Recycle Bin'],
  ['emails', 'email settings'],
  ['audit_logs', 'audit log exports'],
  ['wizards', 'wizards'],
  ['unsubscribe', 'unsubscribe links'],
  ['assignment_rules', 'assignment rules'],
  ['business_hours', 'business hours'],
  ['global_picklist', 'global picklists'],
  ['clientportal', 'client portals'],
  ['record_locking_configurations', 'record locking settings'],
  ['user_groups', 'user groups'],
  ['users_unavailability', "users' unavailability"],
  ['storage_analytics', 'storage usage reports'],
  ['functions', 'functions (custom code)'],
  ['layout_rules', 'layout rules'],
];

const crm = (path: string[], ops: readonly Operation[], subject: string, says?: ScopeFamily['says']) =>
  ({ service: 'ZohoCRM', path, ops, subject, ...(says ? { says } : {}) }) as const;

export const scopeFamilies: readonly ScopeFamily[] = [
  crm(['modules'], MODULE_OPS, 'records of every module'),
  ...recordModules.map(([m, label]) => crm(['modules', m], MODULE_OPS, records(m, label))),
  ...otherModules,
  ...recordModules.map(([m, label]) =>
    crm(['modules', 'emails', m], ['ALL', 'READ', 'CREATE'], `emails on ${records(m, label)}`),
  ),
  ...recordModules.map(([m, label]) => crm(['share', m], CRUD, `the sharing of ${records(m, label)}`)),
  crm(['settings'], ['ALL', 'READ'], 'every setting (metadata) of your CRM'),
  ...settings.map(([s, subject]) => crm(['settings', s], CRUD, subject)),
  crm(['users'], CRUD, 'users of your CRM organization'),
  crm(['org'], ['ALL', 'READ', 'CREATE', 'UPDATE'], "your CRM organization's details"),
  crm(['bulk'], ['ALL', 'READ', 'CREATE'], 'bulk jobs (exports and imports of many records)'),
  crm(['bulk', 'backup'], ['ALL', 'READ', 'CREATE'], 'data backups of your CRM'),
  crm(['notifications'], CRUD, 'subscriptions to notifications of changes to your records'),
  crm(['coql'], ['READ'], '', { READ: 'Read records of any module you may see, with queries (COQL)' }),
  crm(['composite_requests'], ['CUSTOM'], '', {
    CUSTOM: 'Send several API requests bundled into one call',
  }),
  crm(['files'], ['ALL', 'READ', 'CREATE'], 'files uploaded to your CRM', {
    CREATE: 'Upload files to your CRM',
  }),
  ...['quotes', 'salesorders'].map((m) =>
    crm(
      ['mass_convert', m],
      ['READ', 'CREATE'],
      `mass conversions of your ${m === 'quotes' ? 'Quotes' : 'Sales Orders'}`,
    ),
  ),
  crm(['send_mail', 'all'], ['CREATE'], '', { CREATE: 'Send emails from your CRM' }),
  crm(['templates'], ['ALL', 'READ'], 'your templates'),
  crm(['templates', 'email'], ['READ'], 'your email templates'),
  crm(['templates', 'inventory'], ['READ'], 'your inventory (quote and invoice) templates'),
  crm(['zia', 'enrichment'], ['ALL'], 'Zia data enrichment of your records'),
  crm(['functions', 'execute'], ['READ', 'CREATE'], '', {
    READ: "Run your CRM's functions (custom code) on read requests",
    CREATE: "Run your CRM's functions (custom code) on requests that send data",
  }),
  {
    service: 'ZohoSearch',
    path: ['securesearch'],
    ops: ['ALL', 'READ'],
    subject: 'your Zoho data through Zoho search',
    says: {
      READ: 'Search your Zoho data (Zoho CRM needs this, besides read access to a module, to search it)',
    },
  },
  {
    service: 'AaaServer',
    path: ['profile'],
    ops: ['ALL', 'READ'],
    subject: 'your Zoho profile (name, email address and photo)',
    says: { ALL: 'See and change your Zoho profile (name, email address and photo)' },
  },
  {
    service: 'ZohoFiles',
    path: ['files'],
    ops: ['ALL', 'READ', 'CREATE'],
    subject: 'your files in Zoho',
    says: { CREATE: 'Upload files to Zoho for you' },
  },
];
