import type { PersonHit } from '../zoho/api.ts';

/**
 * Which of Zoho's search hits is the attendee. Zoho's email search matches loosely — an
 * address that merely contains the one asked for, in any email field (ZOHO-API.md §8) — so a
 * hit counts only when its Email or Secondary_Email equals the attendee's address, ignoring
 * case. Several people can share an address: the one changed most recently in Zoho is taken
 * (the record the sales team works on), the newest id breaking a tie, and the caller says so.
 * Records known to be gone are left out.
 */
export interface PersonPick {
  id: string;
  /** How many records had exactly this address. */
  exact: number;
}

const normal = (email: string) => email.trim().toLowerCase();

export function pickPerson(
  hits: readonly PersonHit[],
  email: string,
  exclude: readonly string[] = [],
): PersonPick | undefined {
  const wanted = normal(email);
  const exact = hits.filter((h) => !exclude.includes(h.id) && h.emails.some((e) => normal(e) === wanted));
  const [best] = [...exact].sort(byMostRecentlyModified);
  return best ? { id: best.id, exact: exact.length } : undefined;
}

function modifiedMs(h: PersonHit): number {
  const ms = h.modifiedTime ? Date.parse(h.modifiedTime) : Number.NaN;
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/** Newest change first; ids are 19-digit strings, compared as strings of equal length. */
function byMostRecentlyModified(a: PersonHit, b: PersonHit): number {
  const d = modifiedMs(b) - modifiedMs(a);
  if (d !== 0 && !Number.isNaN(d)) return d;
  const byLength = b.id.length - a.id.length;
  return byLength || (b.id > a.id ? 1 : b.id < a.id ? -1 : 0);
}
