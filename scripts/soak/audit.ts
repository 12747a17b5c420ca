import type { ZohoRecord } from './admin.ts';
import type { BookingType, SendResult } from './load.ts';

/**
 * The soak's verdict, from what the app recorded and what is in the sandbox ("Zoho"). Pure,
 * so its counting is unit-tested (test/soak/audit.test.ts).
 * - lost: an accepted event that is not done after the drain, or done while a Note it logged
 *   for an attendee is not in the sandbox;
 * - records gone: a reference the app keeps (person, Note) to a record the sandbox does not
 *   have — Zoho acknowledged it, then lost it;
 * - duplicate people: Contacts and Leads of one org sharing an email, beyond the first;
 * - duplicate Notes: Notes for the same booking event and attendee, beyond the first.
 */
export interface EventRow {
  id: string;
  status: string;
  detail: string | null;
}

export interface RefRow {
  userId: string;
  kind: string;
  module: string;
  zohoId: string;
}

export interface OrgRecords {
  orgId: string;
  contacts: ZohoRecord[];
  leads: ZohoRecord[];
  notes: ZohoRecord[];
}

export interface AuditInput {
  sent: SendResult[];
  events: EventRow[];
  refs: RefRow[];
  /** The user's org, by user id. */
  orgOfUser: Map<string, string>;
  orgs: OrgRecords[];
}

export interface Audit {
  sent: number;
  accepted: number;
  notAccepted: number;
  done: number;
  failed: number;
  skipped: number;
  unfinished: number;
  /** Accepted, yet not in the app's database. */
  notRecorded: number;
  notesExpected: number;
  notesFound: number;
  notesMissing: number;
  lost: number;
  recordsGone: number;
  duplicatePeople: number;
  duplicateNotes: number;
  /** Notes whose parent is no Contact or Lead of the org. */
  orphanNotes: number;
  /** Up to 10 examples of what went wrong, for the report. */
  examples: string[];
}

const verbs: Record<string, BookingType> = {
  'Meeting booked': 'booking.created',
  'Meeting rescheduled': 'booking.rescheduled',
  'Meeting cancelled': 'booking.cancelled',
};

const lower = (v: unknown) => String(v ?? '').toLowerCase();

/** Notes per "org|booking|type|attendee email", and Notes whose parent is not there. */
function indexNotes(org: OrgRecords) {
  const people = new Map<string, string>();
  for (const p of [...org.contacts, ...org.leads]) people.set(p.id, lower(p['Email']));
  const counts = new Map<string, number>();
  let orphans = 0;
  for (const n of org.notes) {
    const booking = /Booking id: (\S+) · logged by PepoSmart/.exec(String(n['Note_Content'] ?? ''))?.[1];
    const verb = Object.keys(verbs).find((v) => String(n['Note_Title'] ?? '').startsWith(`${v}:`));
    if (!booking || !verb) continue;
    const parent = (n['Parent_Id'] as { id?: string } | null)?.id;
    const email = parent ? people.get(parent) : undefined;
    if (email === undefined) {
      orphans += 1;
      continue;
    }
    const key = `${org.orgId}|${booking}|${verbs[verb]}|${email}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { counts, orphans };
}

function duplicatePeople(org: OrgRecords): number {
  const emails = [...org.contacts, ...org.leads].map((p) => lower(p['Email'])).filter(Boolean);
  return emails.length - new Set(emails).size;
}

export function audit(input: AuditInput): Audit {
  const examples: string[] = [];
  const note = (s: string) => examples.length < 10 && examples.push(s);
  const rows = new Map(input.events.map((e) => [e.id, e]));
  const notes = new Map<string, number>();
  let orphanNotes = 0;
  for (const org of input.orgs) {
    const { counts, orphans } = indexNotes(org);
    for (const [k, v] of counts) notes.set(k, v);
    orphanNotes += orphans;
  }
  const a: Audit = {
    sent: input.sent.length,
    accepted: 0,
    notAccepted: 0,
    done: 0,
    failed: 0,
    skipped: 0,
    unfinished: 0,
    notRecorded: 0,
    notesExpected: 0,
    notesFound: 0,
    notesMissing: 0,
    lost: 0,
    recordsGone: 0,
    duplicatePeople: input.orgs.reduce((s, o) => s + duplicatePeople(o), 0),
    duplicateNotes: [...notes.values()].reduce((s, n) => s + Math.max(0, n - 1), 0),
    orphanNotes,
    examples,
  };
  for (const s of input.sent) {
    if (!s.accepted) {
      a.notAccepted += 1;
      continue;
    }
    a.accepted += 1;
    const row = rows.get(s.planned.id);
    if (!row) {
      a.notRecorded += 1;
      a.lost += 1;
      note(`${s.planned.id}: accepted but not in the database`);
      continue;
    }
    if (row.status !== 'done') {
      if (row.status === 'failed') a.failed += 1;
      else if (row.status === 'skipped') a.skipped += 1;
      else a.unfinished += 1;
      a.lost += 1;
      note(`${s.planned.id}: ${row.status}${row.detail ? ` (${row.detail})` : ''}`);
      continue;
    }
    a.done += 1;
    const orgId = input.orgOfUser.get(s.planned.user.id)!;
    let missing = 0;
    for (const email of s.planned.attendees) {
      a.notesExpected += 1;
      const n = notes.get(`${orgId}|${s.planned.bookingId}|${s.planned.type}|${email.toLowerCase()}`) ?? 0;
      if (n > 0) a.notesFound += 1;
      else missing += 1;
    }
    if (missing > 0) {
      a.notesMissing += missing;
      a.lost += 1;
      note(`${s.planned.id}: done, but ${missing} of its Notes are not in the sandbox`);
    }
  }
  for (const ref of input.refs) {
    if (ref.kind === 'task') continue;
    const org = input.orgs.find((o) => o.orgId === input.orgOfUser.get(ref.userId));
    const lists: Record<string, ZohoRecord[] | undefined> = {
      Notes: org?.notes,
      Leads: org?.leads,
      Contacts: org?.contacts,
    };
    if (!(ref.module in lists) || lists[ref.module]?.some((r) => r.id === ref.zohoId)) continue;
    a.recordsGone += 1;
    note(`${ref.kind} ${ref.module} ${ref.zohoId}: the app keeps it, the sandbox does not have it`);
  }
  return a;
}
