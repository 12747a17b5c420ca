import { ZohoError } from '../zoho/errors.ts';
import type { AuthSource } from '../zoho/transport.ts';
import { type Claim, fenced } from './claims.ts';
import type { Attendee, EventRow, Person, Settings, SyncCore, SyncDeps } from './effects.ts';
import { createWithRowValues, rowValuesFor } from './field-write.ts';
import { personName, singleLine } from './names.ts';
import { leadCompany } from './note-content.ts';
import { pickPerson } from './person-match.ts';

/**
 * The attendee's Contact or Lead in Zoho: found by email, else created, kept as a sync
 * reference under the key of their address. Records change in Zoho behind our back — a Lead
 * converted, two records merged, one deleted — so a reference can go stale: when Zoho refuses
 * a write because the record is gone, the person is found again (a converted Lead is now a
 * Contact) or, when nobody has the address any more, added again, all within the same job.
 */
const one = (module: Person['module']) => module.slice(0, -1);
/** The record a person's claim is about, as the Activity page names it while the event waits. */
const claimWhat = (s: Settings, a: Attendee) => `the ${one(s.newAttendeeModule)} for ${a.email}`;

export function createPeople(deps: SyncDeps, fx: SyncCore) {
  const { db } = deps;

  /** The Contact, else the Lead, with exactly this address (several: the latest changed). */
  async function lookUp(auth: AuthSource, email: string, exclude: readonly string[] = []) {
    for (const module of ['Contacts', 'Leads'] as const) {
      const pick = pickPerson(await deps.records.searchByEmail(auth, module, email), email, exclude);
      if (pick) return { module, id: pick.id, exact: pick.exact };
    }
    return undefined;
  }

  function severalNote(found: { module: Person['module']; exact: number }): string {
    return found.exact > 1
      ? ` ${found.exact} ${found.module} have this address in Zoho CRM: PepoSmart uses the one changed most recently.`
      : '';
  }

  async function create(
    e: EventRow,
    auth: AuthSource,
    s: Settings,
    a: Attendee,
    claim: Claim,
    sent: { value: boolean },
  ): Promise<Person> {
    const module = s.newAttendeeModule;
    const name = personName(a);
    const full = [name.firstName, name.lastName].filter(Boolean).join(' ');
    // One-line fields (L9): Zoho refuses a Phone holding a line break, for good.
    const phone = singleLine(a.phone ?? '');
    const rows = await rowValuesFor(deps, e, auth, s.fieldRows, module);
    // The rows' values first: PepoSmart's own fields are never a row's (reservedFields).
    const record: Record<string, unknown> = {
      ...rows.values,
      ...(name.firstName ? { First_Name: name.firstName } : {}),
      Last_Name: name.lastName,
      Email: a.email,
      ...(phone ? { Phone: phone } : {}),
      Description: 'Added by PepoSmart from a meeting booked through PepoSmart scheduling.',
      ...(module === 'Leads' ? { Company: singleLine(a.company ?? leadCompany(a.email, full)) } : {}),
      ...(s.zohoUserId ? { Owner: { id: s.zohoUserId } } : {}),
    };
    // The send is marked on the claim inside the call's slot, just before it leaves (fenced).
    sent.value = true;
    const { result, warnings } = await createWithRowValues(
      (r) => deps.records.insert(fenced(auth, [claim]), module, r, s.trigger),
      record,
      rows,
    );
    if (result.ok) {
      const person: Person = { module, id: result.id };
      for (const w of warnings) await fx.activity(e, 'skipped', w, person);
      return person;
    }
    // A duplicate rule or unique field says the person exists: use that record.
    const dup = result.details['duplicate_record'] as { id?: string } | undefined;
    if (result.code !== 'DUPLICATE_DATA' || !dup?.id) throw fx.failure(result, `create the ${one(module)}`);
    return { module, id: dup.id };
  }

  async function findOrCreate(
    e: EventRow,
    auth: AuthSource,
    s: Settings,
    a: Attendee,
  ): Promise<Person | undefined> {
    const email = a.email.toLowerCase();
    const known = await fx.ref(db, e.connection_id!, 'person', email);
    if (known) return known as Person;
    return fx.claimed(e, 'person', email, claimWhat(s, a), async (claim, sent) => {
      // Another job may have created them while this one waited for the claim.
      if (claim.existing) return claim.existing as Person;
      const found = await lookUp(auth, email);
      if (found) {
        const person = { module: found.module, id: found.id };
        await fx.keep(e, 'person', email, person.module, person.id, {
          action: 'found',
          message: `Found ${a.email} as an existing ${one(found.module)}.${severalNote(found)}`,
          record: person,
        });
        return person;
      }
      if (s.onlyExisting) {
        await fx.activity(
          e,
          'skipped',
          `${a.email} is not in Zoho CRM; the setting “only log on existing records” is on.`,
        );
        return undefined;
      }
      const person = await create(e, auth, s, a, claim, sent);
      await fx.keep(e, 'person', email, person.module, person.id, {
        action: 'created',
        message: `Created ${a.email} as a new ${one(person.module)}.`,
        record: person,
      });
      return person;
    });
  }

  /**
   * The person after their record `stale` was found gone from Zoho: the Contact a converted
   * Lead became (Zoho names it on the converted Lead), else found again by email (a merge's
   * survivor, another record with the address), else added again; undefined when the setting
   * forbids adding anyone. Under the person's claim, so two jobs that notice it at once make one
   * replacement. `tried`: records already found gone in this job, never taken again.
   */
  function replaceStale(
    e: EventRow,
    auth: AuthSource,
    s: Settings,
    a: Attendee,
    stale: Person,
    tried: readonly string[],
  ): Promise<Person | undefined> {
    const email = a.email.toLowerCase();
    const was = `The ${one(stale.module)} PepoSmart had for ${a.email}`;
    return fx.claimed(e, 'person', email, claimWhat(s, a), async (claim, sent) => {
      const now = claim.existing;
      if (now && !tried.includes(now.id)) return now as Person;
      const contactId =
        stale.module === 'Leads' ? await deps.records.convertedContact(auth, stale.id) : undefined;
      if (contactId && !tried.includes(contactId)) {
        const person: Person = { module: 'Contacts', id: contactId };
        await move(e, email, stale, person);
        await fx.activity(
          e,
          'found',
          `${a.email} was converted to a Contact in Zoho CRM; logging on the Contact.`,
          person,
        );
        return person;
      }
      const found = await lookUp(auth, email, tried);
      if (found) {
        const person = { module: found.module, id: found.id };
        await move(e, email, stale, person);
        await fx.activity(
          e,
          'found',
          `${was} is no longer in Zoho CRM (merged into another record or deleted); found ${a.email} as another ${one(found.module)} and logging there.${severalNote(found)}`,
          person,
        );
        return person;
      }
      // Nobody has the address — or Zoho's search has not yet indexed the record that took the
      // person's place (a merge's edited survivor): the first time, look again once the search
      // lag has passed (the claim stays, uncertain) rather than add a second person now.
      if (!claim.uncertain) {
        await claim.sending();
        sent.value = true;
        throw new ZohoError(
          'transient',
          `${was} is no longer in Zoho CRM and nobody there has this address yet; looking again once Zoho's search has caught up.`,
        );
      }
      if (s.onlyExisting) {
        await db.query(
          `DELETE FROM sync_refs WHERE connection_id = $1 AND kind = 'person' AND key = $2 AND zoho_id = $3`,
          [e.connection_id, email, stale.id],
        );
        await fx.activity(
          e,
          'skipped',
          `${was} was deleted in Zoho CRM and nobody there has this address; the setting “only log on existing records” is on, so nothing is logged.`,
        );
        return undefined;
      }
      const person = await create(e, auth, s, a, claim, sent);
      await move(e, email, stale, person);
      await fx.activity(
        e,
        'created',
        `${was} was deleted in Zoho CRM; added ${a.email} again as a new ${one(person.module)}.`,
        person,
      );
      return person;
    });
  }

  async function move(e: EventRow, email: string, stale: Person, next: Person) {
    if (!(await fx.replaceRef(e, 'person', email, stale, next)))
      await fx.keep(e, 'person', email, next.module, next.id);
  }

  /**
   * Runs `write` on the person's record; when Zoho refuses it because that record is gone, finds
   * the person again and writes there instead — twice at most (the replacement may be gone too:
   * two duplicates both deleted). Returns the record written on and what `write` returned
   * (undefined: the person is gone and may not be added again).
   */
  async function onPerson<T>(
    e: EventRow,
    auth: AuthSource,
    s: Settings,
    a: Attendee,
    person: Person,
    write: (p: Person) => Promise<T>,
  ): Promise<{ person: Person; value: T } | undefined> {
    const tried: string[] = [];
    for (let current: Person | undefined = person; ; ) {
      try {
        return { person: current, value: await write(current) };
      } catch (err) {
        if (tried.length >= 2 || !mayBeGone(err) || (await deps.records.exists(auth, current))) throw err;
        tried.push(current.id);
        current = await replaceStale(e, auth, s, a, current, tried);
        if (!current) return undefined;
      }
    }
  }

  /** The person's record if Zoho still has it, else the person found again (see onPerson). */
  async function live(
    e: EventRow,
    auth: AuthSource,
    s: Settings,
    a: Attendee,
    person: Person,
  ): Promise<Person | undefined> {
    return (await deps.records.exists(auth, person))
      ? person
      : replaceStale(e, auth, s, a, person, [person.id]);
  }

  return { findOrCreate, onPerson, live };
}

/**
 * A refusal that may mean the record is gone: converted, merged away or deleted in Zoho since
 * we kept it. Zoho answers a Note or Task naming such a parent (`Parent_Id`, `Who_Id`,
 * `What_Id`) with a per-record refusal — INVALID_DATA as far as anyone has seen, its v8 error
 * list also has NOT_FOUND and CONVERTED_RECORD — and a related list of it with INVALID_DATA on
 * the id (ZOHO-API.md §8). So any refusal a retry cannot mend counts, and whether the record
 * really is gone is then asked of Zoho (one GET, only after a refusal), never read from the
 * message: a validation rule refuses with INVALID_DATA too.
 */
export function mayBeGone(err: unknown): boolean {
  return err instanceof ZohoError && (err.kind === 'invalid' || err.kind === 'not_found');
}
