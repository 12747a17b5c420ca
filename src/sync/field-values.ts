import { z } from 'zod';
import { zohoDateTime } from '../zoho/events.ts';
import type { ZohoField } from '../zoho/fields.ts';
import type { PlatformEvent } from './event-schema.ts';
import { checkValue } from './field-check.ts';

/**
 * Field values on create (issue 16): the rows a user sets on the Zoho card, each writing one
 * value into one field of a new Contact, a new Lead or a Meeting. Stored as the connection's
 * `field_rows` (jsonb, migration 0014).
 */
export type FieldTarget = 'Contacts' | 'Leads' | 'Events';
export const fieldTargets: readonly FieldTarget[] = ['Contacts', 'Leads', 'Events'];

export const utmKeys = ['source', 'medium', 'campaign', 'term', 'content'] as const;
export type UtmKey = (typeof utmKeys)[number];

/** Where a row's value comes from. */
export type ValueSource =
  /** A value the user typed, or picked from the field's picklist. */
  | { kind: 'fixed'; value: string }
  /** The booking's event type name. */
  | { kind: 'event_type' }
  /** The answer to this booking-form question (the booking's `responses`, by label). */
  | { kind: 'response'; question: string }
  /** One of the booking page's UTM parameters (the booking's `utm`). */
  | { kind: 'utm'; key: UtmKey }
  /** The day the meeting was booked (the event's `created_at`, in the booking's time zone). */
  | { kind: 'booking_date' };

export interface FieldRow {
  /** Stable id of the row, for the card's Remove button. */
  id: string;
  module: FieldTarget;
  /** The field's API name in the org (from /settings/fields). */
  field: string;
  /** The field's label when the row was saved, to name it after Zoho deletes it. */
  label: string;
  source: ValueSource;
}

const sourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed'), value: z.string() }),
  z.object({ kind: z.literal('event_type') }),
  z.object({ kind: z.literal('response'), question: z.string().min(1) }),
  z.object({ kind: z.literal('utm'), key: z.enum(utmKeys) }),
  z.object({ kind: z.literal('booking_date') }),
]);
const rowSchema = z.object({
  id: z.string().min(1),
  module: z.enum(['Contacts', 'Leads', 'Events']),
  field: z.string().min(1),
  label: z.string(),
  source: sourceSchema,
});

/** The stored rows, each checked; one that does not parse (hand-edited) is left out. */
export function parseRows(stored: unknown): FieldRow[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((r) => {
    const parsed = rowSchema.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * Fields PepoSmart writes itself on each module: never offered for a row, never overwritten by
 * one (Meetings: what src/sync/meetings.ts sets from the booking).
 */
export const reservedFields: Record<FieldTarget, readonly string[]> = {
  Contacts: ['First_Name', 'Last_Name', 'Email', 'Phone', 'Description', 'Owner'],
  Leads: ['First_Name', 'Last_Name', 'Email', 'Phone', 'Description', 'Company', 'Owner'],
  Events: [
    'Event_Title',
    'Start_DateTime',
    'End_DateTime',
    'All_day',
    'Venue',
    'Description',
    'Owner',
    'Who_Id',
    'What_Id',
    '$se_module',
    'Participants',
  ],
};

/** What a booking offers the rows. */
export interface ValueContext {
  eventTypeName?: string | undefined;
  responses?: Readonly<Record<string, string>> | undefined;
  utm?: Partial<Record<UtmKey, string | undefined>> | undefined;
  /** When the meeting was booked, and the booking's time zone the date is taken in. */
  bookedAt?: { at: string; timeZone: string } | undefined;
}

/** The context of an event: a booking event's own; meeting notes carry no booking. */
export function valueContextOf(e: PlatformEvent): ValueContext {
  if (!('booking' in e.data)) return {};
  const b = e.data.booking;
  return {
    eventTypeName: b.event_type?.name,
    responses: b.responses,
    utm: b.utm,
    bookedAt: { at: e.created_at, timeZone: b.timezone },
  };
}

function answer(responses: Readonly<Record<string, string>>, question: string): string | undefined {
  if (question in responses) return responses[question];
  const want = question.trim().toLowerCase();
  return Object.entries(responses).find(([label]) => label.trim().toLowerCase() === want)?.[1];
}

/** A row's raw value for this booking; undefined when the booking has none. */
export function resolveSource(source: ValueSource, ctx: ValueContext, field: ZohoField): string | undefined {
  switch (source.kind) {
    case 'fixed':
      return source.value;
    case 'event_type':
      return ctx.eventTypeName;
    case 'response':
      return ctx.responses ? answer(ctx.responses, source.question) : undefined;
    case 'utm':
      return ctx.utm?.[source.key];
    case 'booking_date': {
      if (!ctx.bookedAt) return undefined;
      const at = zohoDateTime(ctx.bookedAt.at, ctx.bookedAt.timeZone);
      return field.dataType === 'datetime' ? at : at.slice(0, 10);
    }
  }
}

/** The row's source in words, for the card and for warnings. */
export function describeSource(source: ValueSource): string {
  switch (source.kind) {
    case 'fixed':
      return `“${source.value}”`;
    case 'event_type':
      return 'the event type’s name';
    case 'response':
      return `the answer to “${source.question}”`;
    case 'utm':
      return `UTM ${source.key}`;
    case 'booking_date':
      return 'the booking date';
  }
}

/** How warnings name the record a row writes into. */
export const recordWord: Record<FieldTarget, string> = {
  Contacts: 'the new Contact',
  Leads: 'the new Lead',
  Events: 'the Meeting',
};

export interface FieldValues {
  /** Field API name → value as Zoho takes it, to spread into the record. */
  values: Record<string, unknown>;
  /** One sentence per row left out, for the Activity page. */
  warnings: string[];
  /** API names of rows whose field is not in `fields`: deleted in Zoho, or the list is stale. */
  missing: string[];
}

/**
 * The values `rows` write into a `target` record for this booking, each checked against the
 * org's field (`fields`: the module's cached list, undefined when never read). A row whose field
 * is gone or whose value does not fit is left out with a warning; nothing here fails a sync.
 * Pure: src/sync/meetings.ts calls it with target 'Events' and spreads `values` before its own
 * fields; people.ts does the same for new Contacts and Leads.
 */
export function valuesFor(
  rows: readonly FieldRow[],
  target: FieldTarget,
  ctx: ValueContext,
  fields: readonly ZohoField[] | undefined,
): FieldValues {
  const out: FieldValues = { values: {}, warnings: [], missing: [] };
  for (const row of rows) {
    if (row.module !== target || reservedFields[target].includes(row.field)) continue;
    const name = `“${row.label || row.field}” of ${recordWord[target]}`;
    const field = fields?.find((f) => f.apiName === row.field);
    if (!field) {
      if (fields) out.missing.push(row.field);
      out.warnings.push(
        fields
          ? `Field ${name} left empty: the field ${row.field} is no longer in Zoho CRM (deleted or renamed). Remove or replace the row on the Integrations page.`
          : `Field ${name} left empty: PepoSmart could not read the field list from Zoho CRM.`,
      );
      continue;
    }
    const raw = resolveSource(row.source, ctx, field);
    if (raw === undefined || raw.trim() === '') {
      // An answer missing from a form that has answers most likely means a renamed question.
      if (row.source.kind === 'response' && ctx.responses && Object.keys(ctx.responses).length)
        out.warnings.push(
          `Field ${name} left empty: the booking form has no question “${row.source.question}”.`,
        );
      continue;
    }
    const checked = checkValue(field, raw);
    if (checked.ok) out.values[field.apiName] = checked.value;
    else
      out.warnings.push(`Field ${name} left empty: ${checked.reason} (from ${describeSource(row.source)}).`);
  }
  return out;
}
