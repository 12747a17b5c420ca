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
    why: 'Read your modules’ fields and picklist values: to offer them for field values on the card, check values before writing, and learn which fields your layouts make mandatory.',
  },
] as const;

export const requestedScopes: readonly string[] = zohoScopes.map((s) => s.scope);

/**
 * Asked for only when the user turns Meetings on (incremental consent, issue 16): each booking
 * also written as a Meeting in Zoho CRM's calendar (the `Events` module). Zoho's scope names use
 * the lower-case module name and one operation each (ZohoCRM.modules.{module}.{operation}, Zoho's
 * OAuth scopes page; crm-oas v8.0/common.json lists `ZohoCRM.Modules.Events.ALL`).
 */
export const meetingScopes = [
  {
    scope: 'ZohoCRM.modules.events.CREATE',
    why: "Add each booked meeting to Zoho CRM's calendar, when you turn Meetings on.",
  },
  {
    scope: 'ZohoCRM.modules.events.UPDATE',
    why: 'Move that meeting when it is rescheduled, and mark it cancelled (never delete it).',
  },
  {
    scope: 'ZohoCRM.modules.events.READ',
    why: 'Check whether a meeting was already added before adding it again.',
  },
] as const;

/** The scopes to ask for: the default ones, plus the Meetings ones when the user turned them on. */
export function scopesToRequest(settings: { syncMeetings: boolean } | undefined): readonly string[] {
  return settings?.syncMeetings
    ? [...requestedScopes, ...meetingScopes.map((s) => s.scope)]
    : requestedScopes;
}

/**
 * Whether a grant (the `scope` Zoho answered with, as stored on the connection: space or comma
 * separated) covers every Meetings scope: each one itself, or its module's or every module's ALL.
 * Zoho treats scope names without regard to case (its own lists spell `ZohoCRM.Modules.Events.ALL`).
 */
export function grantsMeetings(granted: string | null | undefined): boolean {
  const have = new Set(
    (granted ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((s) => s.toLowerCase()),
  );
  const covered = (scope: string) => {
    const lower = scope.toLowerCase();
    const module = lower.slice(0, lower.lastIndexOf('.'));
    return have.has(lower) || have.has(`${module}.all`) || have.has('zohocrm.modules.all');
  };
  return meetingScopes.every((s) => covered(s.scope));
}
