import type { SandboxCore } from '../core.ts';
import { type RecordError, recordError } from '../errors.ts';
import { recordId } from '../ids.ts';
import type { ModuleName } from '../modules.ts';
import { fullName } from '../orgs.ts';
import type { SbOrg } from '../state.ts';

/**
 * Events' Participants. Written as `[{ type, participant }]`, `type` one of contact, lead,
 * user or email and `participant` the record's or user's id, or the address for `email`
 * (v8 insert samples; Kaizen #8). Read back with each entry's own `id`, the person's `name`
 * and `Email`, `invited` and `status` (v2 Events response description; crm-oas v8
 * record.json `Participants`). An update's Participants replaces the whole list (sandbox
 * guess: Kaizen #8 updates by sending the full list).
 */
export interface StoredParticipant {
  id: string;
  type: 'contact' | 'lead' | 'user' | 'email';
  participant: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const types = ['contact', 'lead', 'user', 'email'] as const;
const moduleOfType: Record<'contact' | 'lead', ModuleName> = { contact: 'Contacts', lead: 'Leads' };

function refused(index: number, at: string, message: string): { ok: false; error: RecordError } {
  return {
    ok: false,
    error: recordError('INVALID_DATA', message, {
      api_name: 'Participants',
      json_path: `$.data[${index}].Participants${at}`,
    }),
  };
}

function known(core: SandboxCore, org: SbOrg, type: StoredParticipant['type'], who: string): boolean {
  if (type === 'email') return EMAIL.test(who);
  if (type === 'user') return core.state.users[who]?.org_id === org.id;
  return Boolean(core.state.records[org.id]?.[moduleOfType[type]]?.[who]);
}

export function checkParticipants(
  core: SandboxCore,
  org: SbOrg,
  value: unknown,
  index: number,
): { ok: true; value: StoredParticipant[] } | { ok: false; error: RecordError } {
  if (!Array.isArray(value)) return refused(index, '', 'invalid data');
  const out: StoredParticipant[] = [];
  for (const [i, entry] of value.entries()) {
    const e = (entry ?? {}) as { type?: unknown; participant?: unknown };
    const type = types.find((t) => t === e.type);
    if (!type) return refused(index, `[${i}].type`, 'invalid data');
    const who = typeof e.participant === 'string' ? e.participant.trim() : '';
    if (!who || !known(core, org, type, who))
      return refused(index, `[${i}].participant`, 'the related id given seems to be invalid');
    out.push({ id: recordId(org.id_prefix, core.nextSeq()), type, participant: who });
  }
  return { ok: true, value: out };
}

/** One participant as a read shows it. */
export function renderParticipant(core: SandboxCore, org: SbOrg, p: StoredParticipant) {
  let name: string | null = p.participant;
  let email: string | null = p.participant;
  if (p.type === 'user') {
    const u = core.state.users[p.participant];
    name = u ? fullName(u) : null;
    email = u?.email ?? null;
  } else if (p.type !== 'email') {
    const f = core.state.records[org.id]?.[moduleOfType[p.type]]?.[p.participant]?.fields ?? {};
    name = [f['First_Name'], f['Last_Name']].filter(Boolean).join(' ') || null;
    email = typeof f['Email'] === 'string' ? f['Email'] : null;
  }
  // No invitation is ever sent by the sandbox: not invited, response not known.
  return {
    name,
    Email: email,
    invited: false,
    id: p.id,
    type: p.type,
    participant: p.participant,
    status: 'not_known',
  };
}

/** Whether a Contact's or Lead's id is among an Event's participants. */
export function takesPart(value: unknown, parentModule: ModuleName, parentId: string): boolean {
  if (!Array.isArray(value)) return false;
  return (value as StoredParticipant[]).some(
    (p) =>
      p.participant === parentId &&
      ((p.type === 'contact' && parentModule === 'Contacts') ||
        (p.type === 'lead' && parentModule === 'Leads')),
  );
}

const typeOfModule = (m: ModuleName): 'contact' | 'lead' | undefined =>
  m === 'Contacts' ? 'contact' : m === 'Leads' ? 'lead' : undefined;

/**
 * Where a Contact or Lead leaves its module (converted, merged away, deleted), the meetings
 * it takes part in follow: its entry then names `to` (the Contact it became, the master it
 * merged into), or is dropped when there is none (deleted). Sandbox guess: Zoho says a
 * converted Lead's activities move to the Contact, not what becomes of participant entries.
 */
export function repointParticipants(
  core: SandboxCore,
  orgId: string,
  from: { module: ModuleName; id: string },
  to: { module: ModuleName; id: string } | null,
): void {
  const fromType = typeOfModule(from.module);
  if (!fromType) return;
  const toType = to ? typeOfModule(to.module) : undefined;
  for (const rec of Object.values(core.state.records[orgId]?.Events ?? {})) {
    const list = rec.fields['Participants'] as StoredParticipant[] | undefined;
    if (!list?.some((p) => p.type === fromType && p.participant === from.id)) continue;
    const moved = list.flatMap((p) => {
      if (p.type !== fromType || p.participant !== from.id) return [p];
      return to && toType ? [{ ...p, type: toType, participant: to.id }] : [];
    });
    // One entry per person: a merge may leave the master named twice.
    rec.fields['Participants'] = moved.filter(
      (p, i) => moved.findIndex((q) => q.type === p.type && q.participant === p.participant) === i,
    );
  }
}
