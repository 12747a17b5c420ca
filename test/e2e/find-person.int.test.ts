import { afterEach, describe, expect, it } from 'vitest';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { ada, seedRecords } from '../helpers/deals.ts';
import { bookingEvent, sendEvent, settled } from '../helpers/events.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * Zoho's search by email matches loosely: a record whose address only contains the one asked
 * for, in any email field, and several people can share one (ZOHO-API.md §8). A hit is the
 * attendee only when its Email or Secondary_Email is their address; of several, the one
 * changed most recently in Zoho is used, and the Activity page says so.
 */
const sb = useSandbox();
const records = (org: { org_id: string }, module: string) => sb.client.records(org, module);

describe.each(databaseKinds)('finding the attendee in Zoho, on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  async function bookAda() {
    const event = bookingEvent({ attendees: [ada] });
    await sendEvent(c!.app.url, event);
    expect(await settled(c!.app.db, event.id)).toBe('done');
    return event;
  }

  it('a record whose address only contains the attendee’s is not them: the attendee gets their own Contact', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const [nada] = await seedRecords(sb.client, c.org, 'Contacts', [
      { First_Name: 'Nada', Last_Name: 'Lovelace', Email: `n${ada.email}` },
    ]);
    const [lead] = await seedRecords(sb.client, c.org, 'Leads', [
      {
        Last_Name: 'Byron',
        Email: 'lord@byron.example',
        Secondary_Email: `${ada.email}.uk`,
        Company: 'Byron',
      },
    ]);
    // Zoho's search does return them for Ada's address.
    const tokens = await sb.client.tokens(c.org);
    const hits = await sb.client.api(
      tokens,
      'GET',
      `/Contacts/search?email=${encodeURIComponent(ada.email)}`,
    );
    expect(hits.body?.data?.map((r: { id: string }) => r.id)).toEqual([nada]);
    const leadHits = await sb.client.api(
      tokens,
      'GET',
      `/Leads/search?email=${encodeURIComponent(ada.email)}`,
    );
    expect(leadHits.body?.data?.map((r: { id: string }) => r.id)).toEqual([lead]);

    await bookAda();
    const contacts = await records(c.org, 'Contacts');
    const mine = contacts.find((r) => r.Email === ada.email);
    expect(contacts).toHaveLength(2);
    expect(mine).toBeDefined();
    expect((await records(c.org, 'Notes')).map((n) => n.Parent_Id.id)).toEqual([mine.id]);
  });

  it('a Secondary_Email equal to the attendee’s address finds them', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const [id] = await seedRecords(sb.client, c.org, 'Contacts', [
      { Last_Name: 'Lovelace', Email: 'countess@lovelace.example', Secondary_Email: ada.email.toUpperCase() },
    ]);
    await bookAda();
    expect((await records(c.org, 'Contacts')).map((r) => r.id)).toEqual([id]);
    expect((await records(c.org, 'Notes')).map((n) => n.Parent_Id.id)).toEqual([id]);
  });

  it('of two Contacts with the attendee’s address, the one changed most recently gets the Note, and the Activity page says why', async () => {
    c = await connectedApp(sb, kind, {}, { sync: true });
    const [older, newer] = await seedRecords(sb.client, c.org, 'Contacts', [
      { First_Name: 'Ada', Last_Name: 'Lovelace', Email: ada.email },
      { First_Name: 'Ada', Last_Name: 'King', Email: ada.email },
    ]);
    // A salesperson edits the older record later: it is now the one changed most recently.
    await sb.client.advanceClock(5);
    const edited = await sb.client.json(
      'PATCH',
      `/__sandbox/orgs/${c.org.org_id}/records/Contacts/${older}`,
      {
        Title: 'Countess',
      },
    );
    expect(edited.status).toBe(200);

    const event = await bookAda();
    expect((await records(c.org, 'Notes')).map((n) => n.Parent_Id.id)).toEqual([older]);
    expect((await records(c.org, 'Contacts')).map((r) => r.id).sort()).toEqual([older, newer].sort());
    const { rows } = await c.app.db.query<{ message: string; zoho_id: string }>(
      `SELECT message, zoho_id FROM activity WHERE event_id = $1 AND action = 'found'`,
      [event.id],
    );
    expect(rows).toEqual([
      {
        message: `Found ${ada.email} as an existing Contact. 2 Contacts have this address in Zoho CRM: PepoSmart uses the one changed most recently.`,
        zoho_id: older,
      },
    ]);
    const page = (await c.session.get('/activity')).html;
    expect(page).toContain(
      '2 Contacts have this address in Zoho CRM: PepoSmart uses the one changed most recently.',
    );
  });
});
