/**
 * The modules this sandbox serves and their fields, as Zoho's field metadata describes
 * them (`/settings/fields?module=…`). Lengths follow Zoho's defaults for standard fields.
 */
// New modules go last: a module's id is derived from its place in this list.
export const moduleNames = ['Contacts', 'Leads', 'Notes', 'Tasks', 'Deals', 'Accounts', 'Events'] as const;
export type ModuleName = (typeof moduleNames)[number];

export type FieldType =
  | { kind: 'text'; max: number }
  | { kind: 'textarea'; max: number }
  | { kind: 'email' }
  | { kind: 'phone' }
  | { kind: 'date' }
  | { kind: 'datetime' }
  | { kind: 'currency' }
  | { kind: 'integer' }
  | { kind: 'boolean' }
  | { kind: 'url' }
  | { kind: 'picklist'; values: readonly string[] }
  | { kind: 'lookup'; module: ModuleName }
  /** Tasks' What_Id: the module is named by `$se_module` beside it. */
  | { kind: 'multi_lookup'; modules: readonly ModuleName[] }
  /** Notes' Parent_Id: `{ module: { api_name }, id }` in v8. */
  | { kind: 'parent' }
  | { kind: 'owner' }
  /** Events' Participants: `[{ type: contact|lead|user|email, participant: id or address }]`. */
  | { kind: 'participants' };

export interface FieldDef {
  api_name: string;
  label: string;
  type: FieldType;
  mandatory?: boolean;
  /** Not writable through the API (system fields). */
  read_only?: boolean;
  /** Added by the org's administrator (per org, sandbox/crm/custom-fields.ts). */
  custom?: boolean;
  /** A custom field's own id (standard fields' ids follow their place in the module). */
  id?: string;
}

export const taskStatuses = [
  'Not Started',
  'Deferred',
  'In Progress',
  'Completed',
  'Waiting for input',
] as const;
export const taskPriorities = ['Highest', 'High', 'Normal', 'Low', 'Lowest'] as const;

/**
 * Lead Source, a picklist on Contacts and Leads, with the values a new Zoho org has (Zoho's
 * help on the Leads module's standard fields; an org may edit them, sandbox/crm/custom-fields.ts).
 */
export const leadSources = [
  '-None-',
  'Advertisement',
  'Cold Call',
  'Employee Referral',
  'External Referral',
  'Online Store',
  'Partner',
  'Public Relations',
  'Sales Email Alias',
  'Seminar Partner',
  'Internal Seminar',
  'Trade Show',
  'Web Download',
  'Web Research',
  'Chat',
] as const;

const person = (extra: FieldDef[]): FieldDef[] => [
  { api_name: 'Owner', label: 'Owner', type: { kind: 'owner' } },
  { api_name: 'First_Name', label: 'First Name', type: { kind: 'text', max: 40 } },
  { api_name: 'Last_Name', label: 'Last Name', type: { kind: 'text', max: 80 }, mandatory: true },
  { api_name: 'Email', label: 'Email', type: { kind: 'email' } },
  { api_name: 'Secondary_Email', label: 'Secondary Email', type: { kind: 'email' } },
  { api_name: 'Phone', label: 'Phone', type: { kind: 'phone' } },
  { api_name: 'Mobile', label: 'Mobile', type: { kind: 'phone' } },
  { api_name: 'Description', label: 'Description', type: { kind: 'textarea', max: 32000 } },
  { api_name: 'Lead_Source', label: 'Lead Source', type: { kind: 'picklist', values: leadSources } },
  ...extra,
];

export const moduleFields: Record<ModuleName, FieldDef[]> = {
  Contacts: person([
    { api_name: 'Account_Name', label: 'Account Name', type: { kind: 'lookup', module: 'Accounts' } },
    { api_name: 'Title', label: 'Title', type: { kind: 'text', max: 100 } },
    { api_name: 'Department', label: 'Department', type: { kind: 'text', max: 30 } },
  ]),
  Leads: person([
    { api_name: 'Company', label: 'Company', type: { kind: 'text', max: 200 }, mandatory: true },
    { api_name: 'Title', label: 'Title', type: { kind: 'text', max: 100 } },
    { api_name: 'Website', label: 'Website', type: { kind: 'text', max: 255 } },
    {
      api_name: 'Lead_Status',
      label: 'Lead Status',
      type: {
        kind: 'picklist',
        values: ['-None-', 'Not Contacted', 'Attempted to Contact', 'Contacted', 'Qualified'],
      },
    },
  ]),
  Notes: [
    { api_name: 'Owner', label: 'Owner', type: { kind: 'owner' } },
    { api_name: 'Note_Title', label: 'Note Title', type: { kind: 'text', max: 120 } },
    // Mandatory at Zoho (Create Notes: "Note_Content string, mandatory").
    {
      api_name: 'Note_Content',
      label: 'Note Content',
      type: { kind: 'textarea', max: 32000 },
      mandatory: true,
    },
    { api_name: 'Parent_Id', label: 'Parent ID', type: { kind: 'parent' }, mandatory: true },
  ],
  Tasks: [
    { api_name: 'Owner', label: 'Task Owner', type: { kind: 'owner' } },
    { api_name: 'Subject', label: 'Subject', type: { kind: 'text', max: 255 }, mandatory: true },
    { api_name: 'Due_Date', label: 'Due Date', type: { kind: 'date' } },
    { api_name: 'Status', label: 'Status', type: { kind: 'picklist', values: taskStatuses } },
    { api_name: 'Priority', label: 'Priority', type: { kind: 'picklist', values: taskPriorities } },
    { api_name: 'Who_Id', label: 'Contact Name', type: { kind: 'lookup', module: 'Contacts' } },
    {
      api_name: 'What_Id',
      label: 'Related To',
      type: { kind: 'multi_lookup', modules: ['Leads', 'Deals', 'Accounts'] },
    },
    { api_name: 'Description', label: 'Description', type: { kind: 'textarea', max: 32000 } },
  ],
  Deals: [
    { api_name: 'Owner', label: 'Deal Owner', type: { kind: 'owner' } },
    { api_name: 'Deal_Name', label: 'Deal Name', type: { kind: 'text', max: 120 }, mandatory: true },
    { api_name: 'Stage', label: 'Stage', type: { kind: 'text', max: 120 }, mandatory: true },
    { api_name: 'Pipeline', label: 'Pipeline', type: { kind: 'text', max: 120 } },
    { api_name: 'Amount', label: 'Amount', type: { kind: 'currency' } },
    { api_name: 'Closing_Date', label: 'Closing Date', type: { kind: 'date' } },
    { api_name: 'Contact_Name', label: 'Contact Name', type: { kind: 'lookup', module: 'Contacts' } },
    { api_name: 'Account_Name', label: 'Account Name', type: { kind: 'lookup', module: 'Accounts' } },
    { api_name: 'Probability', label: 'Probability (%)', type: { kind: 'integer' } },
    { api_name: 'Description', label: 'Description', type: { kind: 'textarea', max: 32000 } },
  ],
  Accounts: [
    { api_name: 'Owner', label: 'Account Owner', type: { kind: 'owner' } },
    { api_name: 'Account_Name', label: 'Account Name', type: { kind: 'text', max: 200 }, mandatory: true },
    { api_name: 'Phone', label: 'Phone', type: { kind: 'phone' } },
    { api_name: 'Website', label: 'Website', type: { kind: 'text', max: 255 } },
    { api_name: 'Industry', label: 'Industry', type: { kind: 'text', max: 120 } },
    { api_name: 'Description', label: 'Description', type: { kind: 'textarea', max: 32000 } },
  ],
  // Meetings: field api names as the official SDK's Field.Events lists them; Event_Title and
  // both datetimes are the fields every v8 insert sample sends (Kaizen #8, v8 insert samples).
  Events: [
    { api_name: 'Owner', label: 'Host', type: { kind: 'owner' } },
    { api_name: 'Event_Title', label: 'Title', type: { kind: 'text', max: 255 }, mandatory: true },
    { api_name: 'Start_DateTime', label: 'From', type: { kind: 'datetime' }, mandatory: true },
    { api_name: 'End_DateTime', label: 'To', type: { kind: 'datetime' }, mandatory: true },
    { api_name: 'All_day', label: 'All day', type: { kind: 'boolean' } },
    { api_name: 'Venue', label: 'Location', type: { kind: 'text', max: 255 } },
    { api_name: 'Who_Id', label: 'Contact Name', type: { kind: 'lookup', module: 'Contacts' } },
    {
      api_name: 'What_Id',
      label: 'Related To',
      type: { kind: 'multi_lookup', modules: ['Leads', 'Deals', 'Accounts'] },
    },
    { api_name: 'Participants', label: 'Participants', type: { kind: 'participants' } },
    { api_name: 'Description', label: 'Description', type: { kind: 'textarea', max: 32000 } },
  ],
};

/** A related list served at `/{module}/{id}/{api_name}`, holding records of `module`. */
export interface RelatedList {
  api_name: string;
  label: string;
  module: ModuleName;
}

const list = (module: ModuleName): RelatedList => ({ api_name: module, label: module, module });
/**
 * The meetings a Contact or Lead takes part in (is a participant of): Zoho's related list
 * "Invited Events", api_name Invited_Events, module Events (the related-lists sample of
 * Zoho's embedded-app SDK, ZOHO.CRM.META.getRelatedList for Contacts).
 */
const invitedEvents: RelatedList = { api_name: 'Invited_Events', label: 'Invited Events', module: 'Events' };

/**
 * Each module's related lists, and how a related record points at its parent (Zoho's
 * related lists for these standard modules).
 */
export const relatedLists: Record<ModuleName, RelatedList[]> = {
  Contacts: [list('Notes'), list('Deals'), list('Tasks'), invitedEvents],
  Leads: [list('Notes'), list('Tasks'), invitedEvents],
  Deals: [list('Notes'), list('Tasks')],
  Accounts: [list('Contacts'), list('Deals'), list('Notes'), list('Tasks')],
  Notes: [],
  Tasks: [],
  Events: [],
};

/** Zoho's scope names use the lower-case module name. */
export function scopeModule(module: ModuleName): string {
  return module.toLowerCase();
}

export function findModule(name: string): ModuleName | undefined {
  return moduleNames.find((m) => m.toLowerCase() === name.toLowerCase());
}

/** The stages of Zoho's default "Standard" pipeline, with their forecast category. */
export const defaultStages: ReadonlyArray<{
  name: string;
  probability: number;
  forecast: 'Open' | 'Closed Won' | 'Closed Lost';
}> = [
  { name: 'Qualification', probability: 10, forecast: 'Open' },
  { name: 'Needs Analysis', probability: 20, forecast: 'Open' },
  { name: 'Value Proposition', probability: 40, forecast: 'Open' },
  { name: 'Id. Decision Makers', probability: 60, forecast: 'Open' },
  { name: 'Proposal/Price Quote', probability: 75, forecast: 'Open' },
  { name: 'Negotiation/Review', probability: 90, forecast: 'Open' },
  { name: 'Closed Won', probability: 100, forecast: 'Closed Won' },
  { name: 'Closed Lost', probability: 0, forecast: 'Closed Lost' },
];
