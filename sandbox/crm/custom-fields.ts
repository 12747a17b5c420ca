import type { FieldDef, FieldType, ModuleName } from '../modules.ts';
import { moduleFields } from '../modules.ts';
import type { SbOrg } from '../state.ts';

/**
 * An org's own fields: custom fields its administrator added to a module, and its own values
 * for standard picklists (Zoho lets an administrator edit Lead Source's values). Reads,
 * writes and `/settings/fields` all go through `orgFieldDefs`, so a deleted custom field is
 * gone from all three at once (its stored values stay, unseen, as Zoho keeps no values of a
 * deleted field either way a client could read).
 */

export const customFieldTypes = [
  'text',
  'textarea',
  'picklist',
  'date',
  'datetime',
  'integer',
  'boolean',
  'email',
  'phone',
  'url',
  'currency',
] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

/**
 * Zoho's lengths for custom fields: single line 255, multi-line "small" 2,000 (the default
 * of Zoho's field editor; "large" is 32,000).
 */
export function customFieldType(type: CustomFieldType, values: readonly string[] = []): FieldType {
  switch (type) {
    case 'text':
      return { kind: 'text', max: 255 };
    case 'textarea':
      return { kind: 'textarea', max: 2000 };
    case 'picklist':
      return { kind: 'picklist', values };
    default:
      return { kind: type };
  }
}

/**
 * The api_name Zoho derives from a custom field's label: words joined by underscores, other
 * characters dropped ("Booking Source" → Booking_Source; Zoho's "API names" settings page
 * shows custom fields named so, with no suffix).
 */
export function apiNameFromLabel(label: string): string {
  return label
    .trim()
    .replace(/[^A-Za-z0-9\s_]/g, '')
    .split(/[\s_]+/)
    .filter(Boolean)
    .join('_');
}

function withOrgValues(org: SbOrg, module: ModuleName, def: FieldDef): FieldDef {
  const values = org.picklist_values?.[module]?.[def.api_name];
  return values && def.type.kind === 'picklist' ? { ...def, type: { kind: 'picklist', values } } : def;
}

/** The module's fields in this org: the standard ones (with its picklist values), then its custom ones. */
export function orgFieldDefs(org: SbOrg | undefined, module: ModuleName): FieldDef[] {
  const standard = moduleFields[module];
  if (!org) return standard;
  return [...standard.map((d) => withOrgValues(org, module, d)), ...(org.custom_fields?.[module] ?? [])];
}
