import { createRequire } from 'node:module';

/**
 * Checks a reply against the member types Zoho's official TypeScript SDK
 * (`@zohocrm/typescript-sdk-8.0`) declares for its model classes in its
 * `config/json_details.json`, the table its JSON converter parses replies with. A value of
 * the wrong JSON type there breaks the SDK (a `Long` id that is not digits throws in
 * `BigInt`), so each mismatch is reported with its path.
 */
type Member = { name?: string; type: string; structure_name?: string; sub_type?: { type: string } };
type ClassDetail = Record<string, Member>;

const require = createRequire(import.meta.url);
const details = require('@zohocrm/typescript-sdk-8.0/dist/config/json_details.json') as Record<
  string,
  ClassDetail
>;

function primitiveError(value: unknown, type: string, path: string): string | undefined {
  const ok: Record<string, (v: unknown) => boolean> = {
    String: (v) => typeof v === 'string',
    Boolean: (v) => typeof v === 'boolean',
    Integer: (v) => Number.isInteger(v),
    Double: (v) => typeof v === 'number',
    Long: (v) => (typeof v === 'string' && /^-?\d+$/.test(v)) || Number.isInteger(v),
    DateTime: (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)),
    Date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
    'utils/util/choice': (v) => ['string', 'number', 'boolean'].includes(typeof v),
    Object: () => true,
    Map: (v) => typeof v === 'object',
    HashMap: (v) => typeof v === 'object',
  };
  const check = ok[type];
  if (!check) return undefined;
  return check(value) ? undefined : `${path}: ${JSON.stringify(value)} is not a ${type}`;
}

function memberErrors(value: unknown, member: Member, path: string): string[] {
  if (member.type === 'List') {
    if (!Array.isArray(value)) return [`${path}: ${JSON.stringify(value)} is not a List`];
    const item = member.structure_name ?? member.sub_type?.type ?? 'Object';
    return value.flatMap((v, i) => typeErrors(v, item, `${path}[${i}]`));
  }
  return typeErrors(value, member.structure_name ?? member.type, path);
}

function typeErrors(value: unknown, type: string, path: string): string[] {
  if (value === null) return [];
  if (!details[type]) {
    const error = primitiveError(value, type, path);
    return error ? [error] : [];
  }
  if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object for ${type}`];
  return sdkShapeErrors(value as Record<string, unknown>, type, path);
}

/** Every mismatch between `value` and the SDK class `structure` (e.g. core/com/zoho/crm/api/org/org). */
export function sdkShapeErrors(value: Record<string, unknown>, structure: string, path = '$'): string[] {
  const cls = details[structure];
  if (!cls) return [`${path}: the SDK has no class ${structure}`];
  return Object.values(cls).flatMap((member) =>
    member.name && member.name in value
      ? memberErrors(value[member.name], member, `${path}.${member.name}`)
      : [],
  );
}

/** The values the SDK's Choice type lists for a member, e.g. an org's `type`. */
export function sdkChoiceValues(structure: string, name: string): string[] {
  const member = Object.values(details[structure] ?? {}).find((m) => m.name === name);
  return ((member as { values?: string[] } | undefined)?.values ?? []).slice();
}
