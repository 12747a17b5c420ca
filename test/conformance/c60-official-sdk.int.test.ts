import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';
import {
  bodyOf,
  choiceValue,
  currentUser,
  describeParsed,
  getRecord,
  initializeSdk,
  lookup,
  onlyResult,
  parsedAs,
  recordOf,
  relatedRecords,
  sdkWorkDir,
  searchByEmail,
  successId,
  ZOHOCRMSDK,
} from '../helpers/zohocrm-typescript-sdk.ts';
import { MemoryTokenStore } from '../helpers/zohocrm-typescript-sdk-token-store.ts';

/**
 * Conformance 60: Zoho's official TypeScript SDK (@zohocrm/typescript-sdk-8.0), unmodified,
 * drives the sandbox through a customer's day: token exchange and refresh, the current user
 * and org, search, a Contact with a Note, a Task and a Deal, related lists, a Stage change
 * and a partly failing insert. Each step checks what the SDK parsed. The SDK was written
 * against real Zoho: where it and the sandbox disagree, the sandbox is wrong.
 */

const { Record: Rec, Choice } = ZOHOCRMSDK;
const Field = Rec.Field;

const scopes = [
  'ZohoCRM.modules.ALL',
  'ZohoCRM.settings.ALL',
  'ZohoCRM.users.READ',
  'ZohoCRM.org.READ',
  'ZohoSearch.securesearch.READ',
].join(',');

/** A value an earlier step produced; a clear failure when that step failed. */
function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) expect.fail(`needs ${what} from an earlier step`);
  return value;
}

describe('conformance 60: Zoho’s official TypeScript SDK against the sandbox', () => {
  const s = useSandbox();
  const store = new MemoryTokenStore();
  const admin = { email: uniqueEmail('sdk.admin'), first_name: 'Ada', last_name: 'Admin' };
  const contactEmail = uniqueEmail('grace.sdk');
  const noteContent = 'Asked for the enterprise pricing; call back on Monday.';
  let org: CreatedOrg;
  let work: ReturnType<typeof sdkWorkDir> | undefined;
  let contactId: bigint | undefined;
  let noteId: bigint | undefined;
  let dealId: bigint | undefined;

  beforeAll(async () => {
    work = sdkWorkDir();
    // Search lag is another case's subject: here a record is searchable once written.
    org = await s.client.createOrg({
      name: 'SDK Conformance Inc',
      data_center: 'us',
      search_lag_ms: 0,
      users: [{ ...admin, profile: 'Administrator' }],
    });
  });

  afterAll(() => {
    vi.useRealTimers();
    work?.remove();
  });

  it('exchanges a self-client grant code when initialised', { timeout: 120_000 }, async () => {
    const sc = await s.client.selfClient(org, scopes, admin.email);
    await initializeSdk({
      org,
      clientId: sc.client_id,
      clientSecret: sc.client_secret,
      grantToken: sc.code,
      store,
      dir: need(work, 'a work directory').dir,
    });
    const saved = store.current();
    expect(saved.accessToken).toMatch(/\S/);
    expect(saved.refreshToken).toMatch(/\S/);
    expect(saved.apiDomain).toBe(org.api_domain);
    // The SDK keeps expiry in ms by its own clock: an hour from now.
    const expiresInMs = Number(saved.expiryTime) - Date.now();
    expect(expiresInMs).toBeGreaterThan(3_500_000);
    expect(expiresInMs).toBeLessThanOrEqual(3_600_000);
  });

  it('refreshes the access token by itself once the hour has passed', { timeout: 120_000 }, async () => {
    const before = store.current();
    need(before.accessToken ?? undefined, 'an access token');

    // Only the sandbox's clock moves: the SDK judges expiry by its own clock, so it still
    // sends the old token and parses Zoho's refusal (it never refreshes on a 401).
    await s.client.advanceClock(3601);
    const refused = await currentUser();
    expect(refused.getStatusCode()).toBe(401);
    const error = parsedAs(refused.getObject(), ZOHOCRMSDK.Users.APIException);
    expect(error.getCode().getValue()).toBe('INVALID_TOKEN');

    // The hour passes for the SDK too (the process clock, which the in-process sandbox also
    // reads): its next call refreshes the token first, with the stored refresh token.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: Date.now() + 3601_000 });
    const res = await currentUser();
    expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(200);
    parsedAs(res.getObject(), ZOHOCRMSDK.Users.ResponseWrapper);
    const after = store.current();
    expect(after.accessToken).toMatch(/\S/);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(Number(after.expiryTime) - Date.now()).toBeGreaterThan(3_500_000);
  });

  it('reads the current user (UsersOperations, type CurrentUser)', async () => {
    const res = await currentUser();
    expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(200);
    const users = parsedAs(res.getObject(), ZOHOCRMSDK.Users.ResponseWrapper).getUsers();
    expect(users).toHaveLength(1);
    const user = users[0]!;
    expect(user.getId()).toBe(BigInt(org.users[0]!.id));
    expect(user.getEmail()).toBe(admin.email);
    expect(user.getFirstName()).toBe(admin.first_name);
    expect(user.getLastName()).toBe(admin.last_name);
    expect(user.getFullName()).toBe(`${admin.first_name} ${admin.last_name}`);
    expect(user.getProfile()?.getName()).toBe('Administrator');
  });

  it('reads the org (OrgOperations), whose zgid signs the SDK’s token', async () => {
    const res = await new ZOHOCRMSDK.Org.OrgOperations().getOrganization();
    expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(200);
    const orgs = parsedAs(res.getObject(), ZOHOCRMSDK.Org.ResponseWrapper).getOrg();
    expect(orgs).toHaveLength(1);
    const parsed = orgs[0]!;
    expect(String(parsed.getId())).toBe(org.org_id);
    expect(parsed.getCompanyName()).toBe('SDK Conformance Inc');
    const zgid = parsed.getZgid();
    expect(String(zgid)).toMatch(/^\d+$/);
    // At initialisation the SDK named the token "<user email>:<org zgid>" from /users and /org.
    expect(store.current().userName).toBe(`${admin.email}:${zgid}`);
  });

  it('finds no Contact for an unknown email: a 204 with no object', async () => {
    const res = await searchByEmail('Contacts', uniqueEmail('nobody.sdk'));
    expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(204);
    expect(res.getObject()).toBeNull();
  });

  it('inserts a Contact', async () => {
    const contact = recordOf([
      [Field.Contacts.FIRST_NAME, 'Grace'],
      [Field.Contacts.LAST_NAME, 'Hopper'],
      [Field.Contacts.EMAIL, contactEmail],
    ]);
    const res = await new Rec.RecordOperations('Contacts').createRecords(bodyOf(contact));
    expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(201);
    contactId = successId(onlyResult(parsedAs(res.getObject(), Rec.ActionWrapper)));
    const stored = (await s.client.records(org, 'Contacts')).find((r) => r.id === String(contactId));
    expect(stored).toMatchObject({ First_Name: 'Grace', Last_Name: 'Hopper', Email: contactEmail });
  });

  it('finds the Contact by email', async () => {
    const id = need(contactId, 'the Contact');
    const res = await searchByEmail('Contacts', contactEmail);
    expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(200);
    const found = parsedAs(res.getObject(), Rec.ResponseWrapper).getData();
    expect(found.map((r) => r.getId())).toEqual([id]);
    expect(found[0]!.getKeyValue('Email')).toBe(contactEmail);
    expect(found[0]!.getKeyValue('Last_Name')).toBe('Hopper');
  });

  it('adds a Note on the Contact (POST /Notes)', async () => {
    const id = need(contactId, 'the Contact');
    const module = new ZOHOCRMSDK.Modules.MinifiedModule();
    module.setAPIName('Contacts');
    const parent = new ZOHOCRMSDK.Notes.ParentId();
    parent.setId(id);
    parent.setModule(module);
    const note = new ZOHOCRMSDK.Notes.Note();
    note.setNoteTitle('Pricing call');
    note.setNoteContent(noteContent);
    note.setParentId(parent);
    const body = new ZOHOCRMSDK.Notes.BodyWrapper();
    body.setData([note]);
    const res = await new ZOHOCRMSDK.Notes.NotesOperations().createNotes(body);
    expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(201);
    const [result, ...rest] = parsedAs(res.getObject(), ZOHOCRMSDK.Notes.ActionWrapper).getData();
    expect(rest).toHaveLength(0);
    const ok = parsedAs(result, ZOHOCRMSDK.Notes.SuccessResponse);
    expect(ok.getCode().getValue()).toBe('SUCCESS');
    noteId = BigInt(String(ok.getDetails().get('id')));
  });

  it('reads the Contact’s Notes (related records)', async () => {
    const id = need(contactId, 'the Contact');
    const note = need(noteId, 'the Note');
    const notes = await relatedRecords('Notes', 'Contacts', id, 'Note_Title,Note_Content');
    expect(notes.map((n) => n.getId())).toEqual([note]);
    expect(notes[0]!.getKeyValue('Note_Title')).toBe('Pricing call');
    expect(notes[0]!.getKeyValue('Note_Content')).toBe(noteContent);
  });

  it('inserts a Task linked to the Contact with Who_Id', async () => {
    const id = need(contactId, 'the Contact');
    const task = recordOf([
      [Field.Tasks.SUBJECT, 'Send the enterprise pricing'],
      [Field.Tasks.WHO_ID, lookup(id)],
      [Field.Tasks.STATUS, new Choice('Not Started')],
      [Field.Tasks.PRIORITY, new Choice('High')],
    ]);
    const res = await new Rec.RecordOperations('Tasks').createRecords(bodyOf(task));
    expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(201);
    const taskId = successId(onlyResult(parsedAs(res.getObject(), Rec.ActionWrapper)));

    const read = await getRecord('Tasks', taskId);
    expect(read.getKeyValue('Subject')).toBe('Send the enterprise pricing');
    expect(parsedAs(read.getKeyValue('Who_Id'), Rec.Record).getId()).toBe(id);
    expect(choiceValue(read.getKeyValue('Status'))).toBe('Not Started');
    expect(choiceValue(read.getKeyValue('Priority'))).toBe('High');
  });

  it('inserts a Deal with Stage as a picklist value and the Contact as Contact_Name', async () => {
    const id = need(contactId, 'the Contact');
    const deal = recordOf([
      [Field.Deals.DEAL_NAME, 'Hopper — enterprise plan'],
      [Field.Deals.STAGE, new Choice('Qualification')],
      [Field.Deals.CONTACT_NAME, lookup(id)],
      [Field.Deals.CLOSING_DATE, new Date(2030, 5, 28)],
    ]);
    const res = await new Rec.RecordOperations('Deals').createRecords(bodyOf(deal));
    expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(201);
    dealId = successId(onlyResult(parsedAs(res.getObject(), Rec.ActionWrapper)));

    const read = await getRecord('Deals', dealId);
    expect(read.getKeyValue('Deal_Name')).toBe('Hopper — enterprise plan');
    expect(choiceValue(read.getKeyValue('Stage'))).toBe('Qualification');
    expect(parsedAs(read.getKeyValue('Contact_Name'), Rec.Record).getId()).toBe(id);
  });

  it('reads the Contact’s Deals (related records)', async () => {
    const id = need(contactId, 'the Contact');
    const deal = need(dealId, 'the Deal');
    const deals = await relatedRecords('Deals', 'Contacts', id, 'Deal_Name,Stage,Contact_Name');
    expect(deals.map((d) => d.getId())).toEqual([deal]);
    expect(deals[0]!.getKeyValue('Deal_Name')).toBe('Hopper — enterprise plan');
    expect(choiceValue(deals[0]!.getKeyValue('Stage'))).toBe('Qualification');
  });

  it('updates the Deal’s Stage', async () => {
    const deal = need(dealId, 'the Deal');
    const change = recordOf([[Field.Deals.STAGE, new Choice('Needs Analysis')]]);
    const res = await new Rec.RecordOperations('Deals').updateRecord(deal, bodyOf(change));
    expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(200);
    expect(successId(onlyResult(parsedAs(res.getObject(), Rec.ActionWrapper)))).toBe(deal);
    expect(choiceValue((await getRecord('Deals', deal)).getKeyValue('Stage'))).toBe('Needs Analysis');
  });

  it('parses a mixed insert: a SuccessResponse and an APIException per record', async () => {
    const goodEmail = uniqueEmail('good.sdk');
    const good = recordOf([
      [Field.Contacts.LAST_NAME, 'Lovelace'],
      [Field.Contacts.EMAIL, goodEmail],
    ]);
    const bad = recordOf([
      [Field.Contacts.FIRST_NAME, 'Nameless'],
      [Field.Contacts.EMAIL, uniqueEmail('bad.sdk')],
    ]);
    const res = await new Rec.RecordOperations('Contacts').createRecords(bodyOf(good, bad));
    expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(207);
    const results = parsedAs(res.getObject(), Rec.ActionWrapper).getData();
    expect(results).toHaveLength(2);
    const goodId = successId(results[0]);
    const refused = parsedAs(results[1], Rec.APIException);
    expect(refused.getStatus().getValue()).toBe('error');
    expect(refused.getCode().getValue()).toBe('MANDATORY_NOT_FOUND');
    expect(refused.getDetails().get('api_name')).toBe('Last_Name');
    const stored = (await s.client.records(org, 'Contacts')).filter((r) => r.Email !== contactEmail);
    expect(stored.map((r) => r.id)).toEqual([String(goodId)]);
  });
});
