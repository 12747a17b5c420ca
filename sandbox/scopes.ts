/**
 * Zoho OAuth scopes: `Service.scope_path.OPERATION`, e.g. ZohoCRM.modules.contacts.READ.
 * A granted scope covers a needed one when its path is a prefix of the needed path and its
 * operation is the same or ALL, so ZohoCRM.modules.ALL covers every module operation.
 */
const operations = ['READ', 'CREATE', 'UPDATE', 'DELETE', 'ALL'] as const;
export type Operation = (typeof operations)[number];

interface ParsedScope {
  service: string;
  path: string[];
  op: Operation;
}

const knownPaths = [
  ['modules'],
  ['modules', 'contacts'],
  ['modules', 'leads'],
  ['modules', 'notes'],
  ['modules', 'tasks'],
  ['modules', 'deals'],
  ['users'],
  ['org'],
  ['settings'],
  ['settings', 'fields'],
  ['settings', 'layouts'],
  ['settings', 'pipeline'],
  ['settings', 'modules'],
];

export function parseScope(scope: string): ParsedScope | undefined {
  const parts = scope.trim().split('.');
  if (parts.length < 3) return undefined;
  const op = parts.at(-1)!.toUpperCase();
  if (!(operations as readonly string[]).includes(op)) return undefined;
  return {
    service: parts[0]!.toLowerCase(),
    path: parts.slice(1, -1).map((p) => p.toLowerCase()),
    op: op as Operation,
  };
}

/** A scope the consent page accepts: a CRM scope this sandbox knows, or the profile scope. */
export function isKnownScope(scope: string): boolean {
  if (scope.toLowerCase() === 'aaaserver.profile.read') return true;
  const p = parseScope(scope);
  if (p?.service !== 'zohocrm') return false;
  return knownPaths.some((k) => k.join('.') === p.path.join('.'));
}

export function splitScopes(raw: string): string[] {
  return raw
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function grants(granted: readonly string[], needed: string): boolean {
  const need = parseScope(needed);
  if (!need) return false;
  return granted.some((g) => {
    const have = parseScope(g);
    if (!have || have.service !== need.service) return false;
    if (have.path.length > need.path.length) return false;
    if (!have.path.every((seg, i) => seg === need.path[i])) return false;
    return have.op === 'ALL' || have.op === need.op;
  });
}

/** Plain-language lines for the consent page. */
export function describeScope(scope: string): string {
  const p = parseScope(scope);
  if (!p) return scope;
  const what: Record<Operation, string> = {
    READ: 'Read',
    CREATE: 'Create',
    UPDATE: 'Update',
    DELETE: 'Delete',
    ALL: 'Full access to',
  };
  const subject = p.path.length ? p.path.join(' ') : 'everything';
  return `${what[p.op]} ${subject}`;
}
