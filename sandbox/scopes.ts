import { type Operation, operations, type ScopeFamily, scopeFamilies } from './scope-catalog.ts';

/**
 * Zoho OAuth scopes: `Service.scope_path.OPERATION`, e.g. ZohoCRM.modules.contacts.READ,
 * compared case-insensitively. A granted scope covers a needed one of the same service when
 * its path is a prefix of the needed path and its operation is the same, ALL, or WRITE for a
 * CREATE, UPDATE or DELETE (Zoho's "Select API scopes": WRITE is their alias). So
 * ZohoCRM.modules.ALL covers every module operation, but never a ZohoSearch scope.
 */
export type { Operation } from './scope-catalog.ts';

interface ParsedScope {
  service: string;
  path: string[];
  op: Operation;
}

export function parseScope(scope: string): ParsedScope | undefined {
  const parts = scope.trim().split('.');
  if (parts.length < 3 || parts.some((p) => p === '')) return undefined;
  const op = parts.at(-1)!.toUpperCase();
  if (!(operations as readonly string[]).includes(op)) return undefined;
  return {
    service: parts[0]!.toLowerCase(),
    path: parts.slice(1, -1).map((p) => p.toLowerCase()),
    op: op as Operation,
  };
}

const key = (service: string, path: readonly string[]) => [service, ...path].join('.').toLowerCase();
const families = new Map<string, ScopeFamily>(scopeFamilies.map((f) => [key(f.service, f.path), f]));

/** The documented scope family a scope belongs to, when its operation is one Zoho offers there. */
function familyOf(scope: string): ScopeFamily | undefined {
  const p = parseScope(scope);
  const family = p && families.get(key(p.service, p.path));
  return family && p && family.ops.includes(p.op) ? family : undefined;
}

/** A scope the consent page (and the Self Client) accepts: one Zoho documents. */
export function isKnownScope(scope: string): boolean {
  return familyOf(scope) !== undefined;
}

export function splitScopes(raw: string): string[] {
  return raw
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const writeOps: readonly Operation[] = ['CREATE', 'UPDATE', 'DELETE'];

function covers(have: Operation, need: Operation): boolean {
  return have === need || have === 'ALL' || (have === 'WRITE' && writeOps.includes(need));
}

export function grants(granted: readonly string[], needed: string): boolean {
  const need = parseScope(needed);
  if (!need) return false;
  return granted.some((g) => {
    const have = parseScope(g);
    if (!have || have.service !== need.service) return false;
    if (have.path.length > need.path.length) return false;
    if (!have.path.every((seg, i) => seg === need.path[i])) return false;
    return covers(have.op, need.op);
  });
}

const verbs: Record<Operation, string> = {
  READ: 'See',
  CREATE: 'Create',
  UPDATE: 'Change',
  DELETE: 'Delete',
  WRITE: 'Create, change and delete',
  ALL: 'See, create, change and delete',
  CUSTOM: 'Use',
};

/** The plain-language line the consent page shows for a scope. */
export function describeScope(scope: string): string {
  const family = familyOf(scope);
  const op = parseScope(scope)?.op;
  if (!family || !op) return scope;
  return family.says?.[op] ?? `${verbs[op]} ${family.subject}`;
}
