/**
 * The modules this sandbox serves and their fields, as Zoho's field metadata describes
 * them (`/settings/fields?module=…`). Lengths follow Zoho's defaults for standard fields.
 */
// New modules go last: a module's id is derived from its place in this list.
export const moduleNames = ['Contacts', 'Leads', 'Notes', 'Tasks', 'Deals', 'Accounts'] as const;
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
  | { kind: 'picklist'; values: readonly string[] }
  | { kind: 'lookup'; module: ModuleName }
  /** Tasks' What_Id: the module is named by `$se_module` beside it. */
  | { kind: 'multi_lookup'; modules: readonly ModuleName[] }
  /** Notes' Parent_Id: `{ module: { api_name }, id }` in v8. */
  | { kind: 'parent' }
  | { kind: 'owner' };

export interface FieldDef {
  api_name: string;
  label: string;
  type: FieldType;
  mandatory?: boolean;
  /** Not writable through the API (system fields). */
  read_only?: boolean;
}

export const taskStatuses = [
  'Not Started',
  'Deferred',
  'In Progress',
  'Completed',
  'Waiting for input',
] as const;
export const taskPriorities = ['Highest', 'High', 'Normal', 'Low', 'Lowest'] as const;

const person = (extra: FieldDef[]): FieldDef[] => [
  { api_name: 'Owner', label: 'Owner', type: { kind: 'owner' } },
  { api_name: 'First_Name', label: 'First Name', type: { kind: 'text', max: 40 } },
  { api_name: 'Last_Name', label: 'Last Name', type: { kind: 'text', max: 80 }, mandatory: true },
  { api_name: 'Email', label: 'Email', type: { kind: 'email' } },
  { api_name: 'Secondary_Email', label: 'Secondary Email', type: { kind: 'email' } },
  { api_name: 'Phone', label: 'Phone', type: { kind: 'phone' } },
  { api_name: 'Mobile', label: 'Mobile', type: { kind: 'phone' } },
  { api_name: 'Description', label: 'Description', type: { kind: 'textarea', max: 32000 } },
  { api_name: 'Lead_Source', label: 'Lead Source', type: { kind: 'text', max: 120 } },
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
};

/**
 * Each module's related lists, as `/{module}/{id}/{list}` serves them, and how a related
 * record points at its parent (Zoho's related lists for these standard modules).
 */
export const relatedLists: Record<ModuleName, ModuleName[]> = {
  Contacts: ['Notes', 'Deals', 'Tasks'],
  Leads: ['Notes', 'Tasks'],
  Deals: ['Notes', 'Tasks'],
  Accounts: ['Contacts', 'Deals', 'Notes', 'Tasks'],
  Notes: [],
  Tasks: [],
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
