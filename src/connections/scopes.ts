/**
 * The Zoho scopes PepoSmart asks for: operation-level, per module, and nothing the product
 * does not use. docs/PERMISSIONS.md explains each to users; a test keeps the two in step.
 */
export const zohoScopes = [
  { scope: 'ZohoCRM.modules.contacts.READ', why: 'Find a meeting attendee among your Contacts by email.' },
  {
    scope: 'ZohoCRM.modules.contacts.CREATE',
    why: 'Add an attendee who is not in your CRM yet as a Contact.',
  },
  { scope: 'ZohoCRM.modules.leads.READ', why: 'Find a meeting attendee among your Leads by email.' },
  {
    scope: 'ZohoSearch.securesearch.READ',
    why: 'Search your Contacts and Leads by email: Zoho requires this search permission besides reading the module.',
  },
  { scope: 'ZohoCRM.modules.leads.CREATE', why: 'Add a new attendee as a Lead, when you choose Leads.' },
  { scope: 'ZohoCRM.modules.notes.CREATE', why: 'Log each meeting and its AI summary as a Note.' },
  {
    scope: 'ZohoCRM.modules.notes.READ',
    why: 'Check whether a Note was already logged before writing it again.',
  },
  { scope: 'ZohoCRM.modules.tasks.CREATE', why: 'Create follow-up Tasks from meeting action items.' },
  {
    scope: 'ZohoCRM.modules.tasks.READ',
    why: 'Check whether a Task was already created before creating it again.',
  },
  {
    scope: 'ZohoCRM.modules.deals.READ',
    why: "Read a contact's Deals and their current stage for suggestions.",
  },
  { scope: 'ZohoCRM.modules.deals.UPDATE', why: 'Change a Deal stage, only after you approve a suggestion.' },
  { scope: 'ZohoCRM.users.READ', why: 'Show which Zoho user is connected and make records owned by them.' },
  { scope: 'ZohoCRM.org.READ', why: 'Show which Zoho CRM organization is connected.' },
  { scope: 'ZohoCRM.settings.layouts.READ', why: 'Find the Deal layouts, to read their pipelines.' },
  {
    scope: 'ZohoCRM.settings.pipeline.READ',
    why: 'Read the stages of a Deal pipeline for stage suggestions.',
  },
  {
    scope: 'ZohoCRM.settings.fields.READ',
    why: 'Learn which fields your layouts make mandatory before creating records.',
  },
] as const;

export const requestedScopes: readonly string[] = zohoScopes.map((s) => s.scope);
