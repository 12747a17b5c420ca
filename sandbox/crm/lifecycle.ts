import type { SandboxCore } from '../core.ts';
import { type RecordError, recordError } from '../errors.ts';
import type { ModuleName } from '../modules.ts';
import type { SbOrg, SbUser, StoredRecord } from '../state.ts';
import { isEmpty } from './fields.ts';
import { repointParticipants } from './participants.ts';
import { type RecordRef, referencesTo, repoint } from './references.ts';
import { findRemoved, liveTable, removeRecord } from './store.ts';
import { insertRecords, updateRecords } from './writes.ts';

/**
 * What sales teams do to records behind an integration's back: convert a Lead, merge
 * duplicates, delete. Shared by the API's lead conversion and the admin API, which acts as
 * a person in Zoho's UI would.
 */
export interface Actor {
  core: SandboxCore;
  org: SbOrg;
  user: SbUser;
  /** The admin API's changes stand for data already there: searchable at once. */
  searchableAtOnce: boolean;
}

export type LifecycleFailure =
  | { kind: 'not_found' }
  | { kind: 'already_converted' }
  | { kind: 'record'; error: RecordError };

export interface ConvertOptions {
  /** true: an Account made from the Lead's Company; a string: an existing Account; false: none. */
  account: boolean | string;
  /** An existing Contact to attach the Lead to instead of making one. */
  contactId?: string | undefined;
  deal?: Record<string, unknown> | undefined;
  /** Owner of the new records (Zoho's `assign_to`); the Lead's owner otherwise. */
  ownerId?: string | undefined;
}

export interface Converted {
  Contacts: string;
  Deals: string | null;
  Accounts: string | null;
}

const contactFromLead = [
  'First_Name',
  'Last_Name',
  'Email',
  'Secondary_Email',
  'Phone',
  'Mobile',
  'Description',
  'Title',
  'Lead_Source',
] as const;

function pick(fields: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((n) => !isEmpty(fields[n])).map((n) => [n, fields[n]]));
}

/** Sub-records of a conversion report their errors under `$.data[0].<Module>`, as Zoho does. */
function nested(error: RecordError, module: ModuleName): RecordError {
  const path = error.details['json_path'];
  if (typeof path !== 'string') return error;
  return {
    ...error,
    details: { ...error.details, json_path: path.replace('$.data[0]', `$.data[0].${module}`) },
  };
}

function insertOne(
  actor: Actor,
  module: ModuleName,
  fields: Record<string, unknown>,
): { id: string } | { error: RecordError } {
  const [result] = insertRecords({ ...actor, module, trigger: [] }, [fields]);
  if (result?.status === 'success') return { id: String(result.details['id']) };
  return { error: nested(result as RecordError, module) };
}

function existing(actor: Actor, module: ModuleName, id: string): RecordError | undefined {
  if (liveTable(actor.core, actor.org.id, module)[id]) return undefined;
  return recordError('INVALID_DATA', 'the id given seems to be invalid', {
    api_name: module,
    json_path: `$.data[0].${module}`,
  });
}

/** The records a conversion makes, in Zoho's order: Account, Contact, Deal. */
function makeConverted(
  actor: Actor,
  lead: StoredRecord,
  options: ConvertOptions,
  made: Array<{ module: ModuleName; id: string }>,
): Converted | RecordError {
  const owner = options.ownerId ?? lead.fields['Owner'];
  let account: string | null = typeof options.account === 'string' ? options.account : null;
  if (account) {
    const bad = existing(actor, 'Accounts', account);
    if (bad) return bad;
  } else if (options.account === true && !isEmpty(lead.fields['Company'])) {
    const res = insertOne(actor, 'Accounts', { Account_Name: lead.fields['Company'], Owner: owner });
    if ('error' in res) return res.error;
    account = res.id;
    made.push({ module: 'Accounts', id: account });
  }
  let contact = options.contactId;
  if (contact) {
    const bad = existing(actor, 'Contacts', contact);
    if (bad) return bad;
  } else {
    const fields = {
      ...pick(lead.fields, contactFromLead),
      Owner: owner,
      ...(account ? { Account_Name: account } : {}),
    };
    const res = insertOne(actor, 'Contacts', fields);
    if ('error' in res) return res.error;
    contact = res.id;
    made.push({ module: 'Contacts', id: contact });
  }
  let deal: string | null = null;
  if (options.deal) {
    const fields = {
      Owner: owner,
      ...options.deal,
      Contact_Name: contact,
      ...(account ? { Account_Name: account } : {}),
    };
    const res = insertOne(actor, 'Deals', fields);
    if ('error' in res) return res.error;
    deal = res.id;
    made.push({ module: 'Deals', id: deal });
  }
  return { Contacts: contact, Deals: deal, Accounts: account };
}

/**
 * The Lead's Notes move to the Contact; its Tasks and Events to the Contact (`Who_Id`) and
 * to the new Deal or Account (`What_Id`), as Zoho carries a converted Lead's activities
 * over; the meetings it took part in name the Contact instead.
 */
function carryOver(actor: Actor, leadId: string, converted: Converted): void {
  for (const ref of referencesTo(actor.core, actor.org.id, { module: 'Leads', id: leadId })) {
    if (ref.module === 'Notes') {
      repoint(ref, { module: 'Contacts', id: converted.Contacts });
      continue;
    }
    if (ref.module !== 'Tasks' && ref.module !== 'Events') continue;
    ref.rec.fields['Who_Id'] = converted.Contacts;
    const what: RecordRef | null = converted.Deals
      ? { module: 'Deals', id: converted.Deals }
      : converted.Accounts
        ? { module: 'Accounts', id: converted.Accounts }
        : null;
    if (what) ref.rec.fields['What_Id'] = what;
    else delete ref.rec.fields['What_Id'];
  }
  repointParticipants(
    actor.core,
    actor.org.id,
    { module: 'Leads', id: leadId },
    { module: 'Contacts', id: converted.Contacts },
  );
}

export function convertLead(
  actor: Actor,
  leadId: string,
  options: ConvertOptions,
): Converted | LifecycleFailure {
  const { core, org } = actor;
  const lead = liveTable(core, org.id, 'Leads')[leadId];
  if (!lead) {
    const gone = findRemoved(core, org.id, 'Leads', leadId);
    return gone?.removed.reason === 'converted' ? { kind: 'already_converted' } : { kind: 'not_found' };
  }
  const made: Array<{ module: ModuleName; id: string }> = [];
  const converted = makeConverted(actor, lead, options, made);
  if ('status' in converted) {
    // Nothing is left half-converted: the records made before the failure go again.
    for (const m of made) delete liveTable(core, org.id, m.module)[m.id];
    return { kind: 'record', error: converted };
  }
  const contact = liveTable(core, org.id, 'Contacts')[converted.Contacts]!;
  if (converted.Accounts && isEmpty(contact.fields['Account_Name']))
    contact.fields['Account_Name'] = converted.Accounts;
  carryOver(actor, leadId, converted);
  removeRecord(core, org.id, 'Leads', leadId, {
    at_ms: core.now(),
    reason: 'converted',
    into: { ...converted },
  });
  core.changed(org.id);
  return converted;
}

/** Modules whose duplicates Zoho's "Find and Merge" merges. */
export const mergeableModules: readonly ModuleName[] = ['Contacts', 'Leads', 'Accounts', 'Deals'];
/** Zoho merges at most three records at once: the master and two others. */
export const MAX_MERGED = 2;

/**
 * The master keeps its id (its fields updated by `fields`); every record pointing at a
 * merged one — Notes, Tasks, Deals, Contacts of an Account — now points at the master; the
 * merged records are gone.
 */
export function mergeRecords(
  actor: Actor,
  module: ModuleName,
  masterId: string,
  ids: string[],
  fields: Record<string, unknown>,
): { id: string; merged: string[] } | LifecycleFailure {
  const { core, org } = actor;
  const table = liveTable(core, org.id, module);
  if (!table[masterId] || ids.some((id) => id === masterId || !table[id])) return { kind: 'not_found' };
  if (Object.keys(fields).length > 0) {
    const [result] = updateRecords({ ...actor, module, trigger: [] }, [{ ...fields, id: masterId }]);
    if (result?.status !== 'success') return { kind: 'record', error: result as RecordError };
  }
  const master: RecordRef = { module, id: masterId };
  for (const id of ids) {
    for (const ref of referencesTo(core, org.id, { module, id })) repoint(ref, master);
    repointParticipants(core, org.id, { module, id }, master);
    removeRecord(core, org.id, module, id, {
      at_ms: core.now(),
      reason: 'merged',
      into: { [module]: masterId },
    });
  }
  core.changed(org.id);
  return { id: masterId, merged: ids };
}

/**
 * To the recycle bin (sandbox guess, no source settles it): the record's Notes and the Tasks
 * and Events linked to it go with it; other records keep existing with the lookup emptied (a
 * Deal whose Contact was deleted has no Contact_Name); meetings it only took part in lose it
 * from their participants.
 */
export function deleteRecord(
  actor: Actor,
  module: ModuleName,
  id: string,
): { deleted: string } | LifecycleFailure {
  const { core, org } = actor;
  if (!liveTable(core, org.id, module)[id]) return { kind: 'not_found' };
  const at = core.now();
  removeRecord(core, org.id, module, id, { at_ms: at, reason: 'deleted' });
  for (const ref of referencesTo(core, org.id, { module, id })) {
    if (ref.module === 'Notes' || ref.module === 'Tasks' || ref.module === 'Events')
      removeRecord(core, org.id, ref.module, ref.rec.id, { at_ms: at, reason: 'deleted' });
    else delete ref.rec.fields[ref.field];
  }
  repointParticipants(core, org.id, { module, id }, null);
  core.changed(org.id);
  return { deleted: id };
}
