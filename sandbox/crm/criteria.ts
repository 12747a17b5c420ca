/**
 * Zoho's search `criteria`: `(Field:operator:value)` groups joined by `and` / `or`, nested
 * in parentheses, at most 10 conditions; `\(`, `\)` and `\,` escape those characters in
 * values. Matching of text is case-insensitive, as Zoho's search is, and `equals` on a text
 * field matches any value that contains the one asked for (v8 "Search records": "ABC" also
 * finds "ABC Inc"), so an exact match is never guaranteed.
 */
export type Criteria =
  | { kind: 'cond'; field: string; op: string; value: string }
  | { kind: 'group'; join: 'and' | 'or'; items: Criteria[] };

export const searchOperators = [
  'equals',
  'not_equal',
  'starts_with',
  'in',
  'greater_than',
  'greater_equal',
  'less_than',
  'less_equal',
  'between',
];
export const MAX_CONDITIONS = 10;

export class CriteriaError extends Error {}

export function parseCriteria(text: string): Criteria {
  let pos = 0;
  const peek = () => text[pos];

  function group(): Criteria {
    if (peek() !== '(') throw new CriteriaError(`expected "(" at ${pos}`);
    pos++;
    if (peek() === '(') {
      const items: Criteria[] = [group()];
      let join: 'and' | 'or' | undefined;
      while (peek() !== ')') {
        const m = /^(and|or)/i.exec(text.slice(pos));
        if (!m) throw new CriteriaError(`expected "and" or "or" at ${pos}`);
        const j = m[1]!.toLowerCase() as 'and' | 'or';
        if (join && join !== j)
          throw new CriteriaError('mixing "and" and "or" in one group needs parentheses');
        join = j;
        pos += m[1]!.length;
        items.push(group());
      }
      pos++;
      return items.length === 1 ? items[0]! : { kind: 'group', join: join ?? 'and', items };
    }
    return condition();
  }

  function condition(): Criteria {
    let raw = '';
    while (pos < text.length && peek() !== ')') {
      if (peek() === '\\' && pos + 1 < text.length) {
        raw += `\\${text[pos + 1]}`;
        pos += 2;
        continue;
      }
      raw += text[pos];
      pos++;
    }
    if (peek() !== ')') throw new CriteriaError('unclosed "("');
    pos++;
    const first = raw.indexOf(':');
    const second = raw.indexOf(':', first + 1);
    if (first <= 0 || second <= first) throw new CriteriaError(`malformed condition "${raw}"`);
    const op = raw.slice(first + 1, second).toLowerCase();
    if (!searchOperators.includes(op)) throw new CriteriaError(`unsupported operator "${op}"`);
    return { kind: 'cond', field: raw.slice(0, first).trim(), op, value: raw.slice(second + 1) };
  }

  const result = group();
  if (pos !== text.length) throw new CriteriaError(`unexpected text after position ${pos}`);
  if (countConditions(result) > MAX_CONDITIONS)
    throw new CriteriaError(`more than ${MAX_CONDITIONS} criteria`);
  return result;
}

function countConditions(c: Criteria): number {
  return c.kind === 'cond' ? 1 : c.items.reduce((n, i) => n + countConditions(i), 0);
}

export function conditionFields(c: Criteria): string[] {
  return c.kind === 'cond' ? [c.field] : c.items.flatMap(conditionFields);
}

/** Splits on unescaped commas and removes the escapes. */
function values(raw: string): string[] {
  return raw.split(/(?<!\\),/).map(unescapeValue);
}
function unescapeValue(raw: string): string {
  return raw.replace(/\\([(),\\])/g, '$1');
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'name' in (value as object))
    return String((value as { name: unknown }).name);
  return String(value);
}

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a.localeCompare(b);
}

/** Fields whose `equals` is a containment match (text, email, phone, picklist). */
export type TextField = (field: string) => boolean;

export function matches(
  c: Criteria,
  record: Record<string, unknown>,
  isText: TextField = () => false,
): boolean {
  if (c.kind === 'group')
    return c.join === 'and'
      ? c.items.every((i) => matches(i, record, isText))
      : c.items.some((i) => matches(i, record, isText));
  const have = text(record[c.field]).toLowerCase();
  const want = unescapeValue(c.value).toLowerCase();
  switch (c.op) {
    case 'equals':
      return isText(c.field) ? want !== '' && have.includes(want) : have === want;
    case 'not_equal':
      return have !== want;
    case 'starts_with':
      return have.startsWith(want);
    case 'in':
      return values(c.value).some((v) => v.toLowerCase() === have);
    case 'greater_than':
      return compare(have, want) > 0;
    case 'greater_equal':
      return compare(have, want) >= 0;
    case 'less_than':
      return compare(have, want) < 0;
    case 'less_equal':
      return compare(have, want) <= 0;
    case 'between': {
      const [lo = '', hi = ''] = values(c.value).map((v) => v.toLowerCase());
      return compare(have, lo) >= 0 && compare(have, hi) <= 0;
    }
    default:
      return false;
  }
}
