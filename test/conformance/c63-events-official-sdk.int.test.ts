import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';
import {
  bodyOf,
  describeParsed,
  getRecord,
  initializeSdk,
  lookup,
  onlyResult,
  parsedAs,
  recordOf,
  relatedRecords,
  sdkWorkDir,
  successId,
  ZOHOCRMSDK,
} from '../helpers/zohocrm-typescript-sdk.ts';
import { MemoryTokenStore } from '../helpers/zohocrm-typescript-sdk-token-store.ts';

/**
 * Conformance 63: a second opinion on Events from Zoho's official TypeScript SDK, unmodified
 * (as in conformance 60). The SDK learns the Events fields from `/settings/fields`, writes a
 * meeting with Participants (its own Participants model, its own datetime format) and parses
 * the meeting read back, and the Contact's Invited_Events related list. Where the SDK and
 * the sandbox disagree, the sandbox is wrong.
 */

const { Record: Rec } = ZOHOCRMSDK;
const Field = Rec.Field;

const scopes = ['ZohoCRM.modules.ALL', 'ZohoCRM.settings.ALL', 'ZohoCRM.users.READ', 'ZohoCRM.org.READ'].join(
  ',',
);

function participant(type: string, who: string) {
  const p = new Rec.Participants();
  p.setType(type);
  p.setParticipant(who);
  return p;
}

describe('conformance 63: Events through Zoho’s official TypeScript SDK', () => {
  const s = useSandbox();
  const store = new MemoryTokenStore();
  const admin = { email: uniqueEmail('sdk.events'), first_name: 'Eve', last_name: 'Host' };
  const guestEmail = uniqueEmail('guest');
  let org: CreatedOrg;
  let work: ReturnType<typeof sdkWorkDir> | undefined;

  beforeAll(async () => {
    work = sdkWorkDir();
    org = await s.client.createOrg({
      name: 'SDK Events Inc',
      time_zone: 'Europe/Berlin',
      users: [{ ...admin, profile: 'Administrator' }],
    });
    const sc = await s.client.selfClient(org, scopes, admin.email);
    await initializeSdk({
      org,
      clientId: sc.client_id,
      clientSecret: sc.client_secret,
      grantToken: sc.code,
      store,
      dir: work.dir,
    });
  }, 120_000);

  afterAll(() => work?.remove());

  it('writes a meeting with participants linked to a Contact and reads it back', async () => {
    const [contactId] = await s.client.seed(org, 'Contacts', [
      { First_Name: 'Grace', Last_Name: 'Hopper', Email: uniqueEmail('grace') },
    ]);
    const contact = BigInt(contactId!);
    const start = new Date('2030-06-03T09:00:00Z');
    const end = new Date('2030-06-03T09:45:00Z');
    const meeting = recordOf([
      [Field.Events.EVENT_TITLE, 'Demo with Grace'],
      [Field.Events.START_DATETIME, start],
      [Field.Events.END_DATETIME, end],
      [Field.Events.VENUE, 'https://meet.example.com/grace'],
      [Field.Events.WHO_ID, lookup(contact)],
      [Field.Events.PARTICIPANTS, [participant('contact', contactId!), participant('email', guestEmail)]],
    ]);
    const res = await new Rec.RecordOperations('Events').createRecords(bodyOf(meeting));
    expect(res.getStatusCode(), describeParsed(res.getObject())).toBe(201);
    const id = successId(onlyResult(parsedAs(res.getObject(), Rec.ActionWrapper)));

    const read = await getRecord('Events', id);
    expect(read.getKeyValue('Event_Title')).toBe('Demo with Grace');
    expect((read.getKeyValue('Start_DateTime') as Date).getTime()).toBe(start.getTime());
    expect((read.getKeyValue('End_DateTime') as Date).getTime()).toBe(end.getTime());
    expect(parsedAs(read.getKeyValue('Who_Id'), Rec.Record).getId()).toBe(contact);
    const people = read.getKeyValue('Participants') as unknown[];
    expect(people).toHaveLength(2);
    const [first, second] = people.map((p) => parsedAs(p, Rec.Participants));
    expect([first!.getType(), first!.getParticipant(), first!.getName()]).toEqual([
      'contact',
      contactId,
      'Grace Hopper',
    ]);
    expect([second!.getType(), second!.getParticipant(), second!.getEmail()]).toEqual([
      'email',
      guestEmail,
      guestEmail,
    ]);
    expect(first!.getInvited()).toBe(false);

    const invited = await relatedRecords('Invited_Events', 'Contacts', contact, 'Event_Title');
    expect(invited.map((e) => e.getId())).toEqual([id]);
    expect(invited[0]!.getKeyValue('Event_Title')).toBe('Demo with Grace');
  });
});
