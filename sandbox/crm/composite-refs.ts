/**
 * References between a composite request's sub-requests: `@{<sub_request_id>:<JSONPath>}`
 * anywhere in a later sub-request's uri, params, headers or body (Zoho's composite API
 * docs, e.g. `/crm/v8/Leads/@{1:$.data[0].details.id}`). A string that is exactly one
 * reference takes the referred value as it is; a reference inside a longer string is
 * replaced by its text.
 */
const REFERENCE = /@\{([a-zA-Z0-9][a-zA-Z0-9_]*):([^}]*)\}/g;

export class BadReference extends Error {
  readonly reference: string;
  constructor(reference: string, message: string) {
    super(message);
    this.reference = reference;
  }
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** The sub_request_ids a value refers to. */
export function referencedIds(value: unknown): string[] {
  const ids = new Set<string>();
  for (const s of strings(value)) for (const m of s.matchAll(REFERENCE)) ids.add(m[1]!);
  return [...ids];
}

/** The steps of a JSONPath like `$.data[0].details.id` or `$['data'][0]`. */
function steps(path: string): Array<string | number> | undefined {
  if (!path.startsWith('$')) return undefined;
  const out: Array<string | number> = [];
  const re = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['([^']*)'\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return undefined;
    out.push(m[1] ?? (m[2] === undefined ? m[3]! : Number(m[2])));
  }
  return out;
}

function at(body: unknown, path: string, reference: string): unknown {
  const parts = steps(path);
  if (!parts) throw new BadReference(reference, 'the JSONPath of the reference is not valid');
  let value = body;
  for (const p of parts) {
    if (value === null || typeof value !== 'object') {
      value = undefined;
      break;
    }
    value = (value as Record<string | number, unknown>)[p];
  }
  if (value === undefined || value === null)
    throw new BadReference(reference, 'the response used in the reference does not have a proper value');
  return value;
}

/** Answers the body a referred sub-request produced, or throws why it cannot be used. */
export type Lookup = (subRequestId: string, reference: string) => unknown;

function resolveString(s: string, lookup: Lookup): unknown {
  const whole = /^@\{([a-zA-Z0-9][a-zA-Z0-9_]*):([^}]*)\}$/.exec(s);
  if (whole) return at(lookup(whole[1]!, s), whole[2]!, s);
  return s.replace(REFERENCE, (ref, id: string, path: string) => {
    const v = at(lookup(id, ref), path, ref);
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  });
}

/** The value with every reference replaced; throws BadReference for one that cannot be. */
export function resolveReferences<T>(value: T, lookup: Lookup): T {
  if (typeof value === 'string') return resolveString(value, lookup) as T;
  if (Array.isArray(value)) return value.map((v) => resolveReferences(v, lookup)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveReferences(v, lookup)])) as T;
  return value;
}
