/**
 * First and last name for a Zoho Contact or Lead. Zoho requires Last_Name (ZOHO-API.md §5),
 * so it is never empty: from the attendee's own first/last names when the platform sends
 * them, else split from `name` keeping multi-word surnames ("van Beethoven", "de la Cruz"),
 * else derived from the email's local part.
 */
export interface PersonName {
  firstName: string | undefined;
  lastName: string;
}

// Zoho's field lengths: First_Name 40, Last_Name 80.
const FIRST_MAX = 40;
const LAST_MAX = 80;

/** Lower-case words that begin a surname in many naming traditions. */
const particles = new Set([
  'van',
  'von',
  'der',
  'den',
  'de',
  'del',
  'della',
  'di',
  'da',
  'das',
  'dos',
  'du',
  'la',
  'le',
  'ten',
  'ter',
  'bin',
  'binti',
  'al',
  'el',
  'y',
  'zu',
  'af',
  'av',
  'st',
  'st.',
  "d'",
]);

/**
 * A value for a one-line Zoho field (Note_Title, First_Name, Last_Name, Company, Phone, a Task's
 * Subject): line breaks, tabs and other control characters, with the spaces around them, become
 * one space (L9). Zoho refuses a Phone holding CR/LF for good, and a break in a Note's title
 * would let a booker start a line of their own. Nothing else changes; the raw value stays in the
 * Note's body.
 */
export const singleLine = (s: string): string => s.replace(/\s*[\p{Cc}\p{Zl}\p{Zp}]+\s*/gu, ' ').trim();

const clean = (s: string | undefined) => singleLine(s ?? '').replace(/\s+/g, ' ');
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function sized(first: string, last: string): PersonName {
  return { firstName: first ? first.slice(0, FIRST_MAX) : undefined, lastName: last.slice(0, LAST_MAX) };
}

export function splitFullName(full: string): PersonName | undefined {
  const name = clean(full);
  if (!name) return undefined;
  const comma = name.indexOf(',');
  if (comma > 0) {
    const last = clean(name.slice(0, comma));
    const first = clean(name.slice(comma + 1));
    if (last) return sized(first, last);
  }
  const words = name.split(' ');
  if (words.length === 1) return sized('', words[0]!);
  const particleAt = words.findIndex((w, i) => i > 0 && i < words.length - 1 && particles.has(w));
  const lastStart = particleAt > 0 ? particleAt : words.length - 1;
  return sized(words.slice(0, lastStart).join(' '), words.slice(lastStart).join(' '));
}

export function nameFromEmail(email: string): PersonName {
  const local = (email.split('@')[0] ?? '').replace(/\+.*$/, '');
  const parts = local
    .split(/[._-]+/)
    .map((p) => p.replace(/\d+/g, ''))
    .filter((p) => /\p{L}/u.test(p))
    .map(cap);
  if (parts.length === 0) return sized('', local || email);
  if (parts.length === 1) return sized('', parts[0]!);
  return sized(parts.slice(0, -1).join(' '), parts.at(-1)!);
}

export function personName(a: {
  name?: string | undefined;
  first_name?: string | undefined;
  last_name?: string | undefined;
  email: string;
}): PersonName {
  const first = clean(a.first_name);
  const last = clean(a.last_name);
  if (last) return sized(first, last);
  const fromFull = a.name ? splitFullName(a.name) : undefined;
  if (fromFull) return fromFull;
  if (first) return sized('', first);
  return nameFromEmail(a.email);
}
