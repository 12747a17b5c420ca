import { z } from 'zod';
import type { ZohoField } from '../zoho/fields.ts';

/**
 * Whether a value fits a Zoho field, and the value as Zoho takes it: a row's fixed value when it
 * is saved, every resolved value again before a write (answers vary from booking to booking).
 * Formats from Zoho's field types (Kaizen #1 "Fields in CRM API": text up to its length, phone
 * 30, textarea 2,000/32,000, date yyyy-MM-dd, datetime yyyy-MM-ddTHH:mm:ss±HH:mm, a
 * multi-select picklist as a JSON array) and ZOHO-API.md §4.
 */
export type Checked = { ok: true; value: unknown } | { ok: false; reason: string };

/** The data types a row may write; lookups, owners, formulas, files and the like are not offered. */
export const writableTypes = new Set([
  'text',
  'textarea',
  'email',
  'phone',
  'website',
  'picklist',
  'multiselectpicklist',
  'date',
  'datetime',
  'integer',
  'bigint',
  'double',
  'decimal',
  'currency',
  'percent',
  'boolean',
]);

const INT32_MAX = 2_147_483_647;
const lineBreaks = /[\r\n\u2028\u2029]+/g;
const fail = (reason: string): Checked => ({ ok: false, reason });
const quoted = (s: string) => `“${s.length > 60 ? `${s.slice(0, 57)}…` : s}”`;

function text(field: ZohoField, raw: string, oneLine: boolean): Checked {
  // A one-line field takes an answer's line breaks as spaces (Zoho refuses them there, L9).
  const value = oneLine ? raw.replace(lineBreaks, ' ').trim() : raw;
  if (!value.trim()) return fail('the value is empty');
  const max = field.length ?? (oneLine ? 255 : 32_000);
  if ([...value].length > max) return fail(`${quoted(value)} is longer than the field’s ${max} characters`);
  return { ok: true, value };
}

function pick(field: ZohoField, raw: string): { display: string; actual: string } | undefined {
  const values = (field.picklist ?? []).filter((v) => v.actual !== '-None-');
  const want = raw.trim();
  return (
    values.find((v) => v.actual === want || v.display === want) ??
    values.find(
      (v) => v.actual.toLowerCase() === want.toLowerCase() || v.display.toLowerCase() === want.toLowerCase(),
    )
  );
}

function picklist(field: ZohoField, raw: string): Checked {
  const found = pick(field, raw);
  return found
    ? { ok: true, value: found.actual }
    : fail(`${quoted(raw.trim())} is not one of the field’s picklist values`);
}

/** One value, or a list separated by ";" (else ","), each of which must be a value of the list. */
function multiPicklist(field: ZohoField, raw: string): Checked {
  const whole = pick(field, raw);
  if (whole) return { ok: true, value: [whole.actual] };
  const parts = (raw.includes(';') ? raw.split(';') : raw.split(',')).map((p) => p.trim()).filter(Boolean);
  const out: string[] = [];
  for (const part of parts) {
    const found = pick(field, part);
    if (!found) return fail(`${quoted(part)} is not one of the field’s picklist values`);
    if (!out.includes(found.actual)) out.push(found.actual);
  }
  return out.length ? { ok: true, value: out } : fail('the value is empty');
}

function isRealDate(y: number, m: number, d: number): boolean {
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

function date(raw: string): Checked {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3])))
    return fail(`${quoted(raw.trim())} is not a date written yyyy-MM-dd`);
  return { ok: true, value: raw.trim() };
}

/** Zoho's datetime has an offset and no fraction of a second (ZOHO-API.md §4); "Z" is +00:00. */
function dateTime(raw: string): Checked {
  const value = raw.trim().replace(/Z$/, '+00:00');
  const m = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d[+-](?:[01]\d|2[0-3]):[0-5]\d$/.exec(
    value,
  );
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3])))
    return fail(`${quoted(raw.trim())} is not a date and time written yyyy-MM-ddTHH:mm:ss±HH:mm`);
  return { ok: true, value };
}

function integer(field: ZohoField, raw: string): Checked {
  const value = raw.trim();
  if (!/^[+-]?\d+$/.test(value)) return fail(`${quoted(value)} is not a whole number`);
  const digits = value.replace(/^[+-]/, '').replace(/^0+(?=\d)/, '');
  const n = Number(value);
  if (field.dataType === 'integer' && Math.abs(n) > INT32_MAX)
    return fail(`${quoted(value)} is too large for the field`);
  if (field.length !== null && digits.length > field.length)
    return fail(`${quoted(value)} has more than the field’s ${field.length} digits`);
  // A big integer beyond what a JSON number holds exactly is sent as its digits.
  return { ok: true, value: Number.isSafeInteger(n) && field.jsonType !== 'string' ? n : value };
}

function decimal(field: ZohoField, raw: string): Checked {
  const value = raw.trim();
  const m = /^[+-]?(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) return fail(`${quoted(value)} is not a number`);
  if (field.decimalPlace !== null && (m[2]?.length ?? 0) > field.decimalPlace)
    return fail(`${quoted(value)} has more than the field’s ${field.decimalPlace} decimal places`);
  if (field.length !== null && m[1]!.replace(/^0+(?=\d)/, '').length > field.length)
    return fail(`${quoted(value)} has more than the field’s ${field.length} digits`);
  return { ok: true, value: field.jsonType === 'string' ? value : Number(value) };
}

const truthy = new Set(['true', 'yes', 'on', '1', 'checked']);
const falsy = new Set(['false', 'no', 'off', '0', 'unchecked']);

function boolean(raw: string): Checked {
  const v = raw.trim().toLowerCase();
  if (truthy.has(v)) return { ok: true, value: true };
  if (falsy.has(v)) return { ok: true, value: false };
  return fail(`${quoted(raw.trim())} is not yes or no`);
}

function email(field: ZohoField, raw: string): Checked {
  const value = raw.trim();
  if (!z.email().safeParse(value).success) return fail(`${quoted(value)} is not an email address`);
  return text(field, value, true);
}

function website(field: ZohoField, raw: string): Checked {
  const value = raw.trim();
  if (!value || /\s/.test(value) || !/\.[a-z]{2,}/i.test(value))
    return fail(`${quoted(value)} is not a web address`);
  return text(field, value, true);
}

/** Whether `raw` fits `field`, and the value to write (a number, a boolean, a list or the text). */
export function checkValue(field: ZohoField, raw: string): Checked {
  if (!field.creatable) return fail('Zoho CRM does not let an API write set this field');
  switch (field.dataType) {
    case 'text':
    case 'phone':
      return text(field, raw, true);
    case 'textarea':
      return text(field, raw, false);
    case 'email':
      return email(field, raw);
    case 'website':
      return website(field, raw);
    case 'picklist':
      return picklist(field, raw);
    case 'multiselectpicklist':
      return multiPicklist(field, raw);
    case 'date':
      return date(raw);
    case 'datetime':
      return dateTime(raw);
    case 'integer':
    case 'bigint':
      return integer(field, raw);
    case 'double':
    case 'decimal':
    case 'currency':
    case 'percent':
      return decimal(field, raw);
    case 'boolean':
      return boolean(raw);
    default:
      return fail(`PepoSmart cannot write a ${field.dataType} field`);
  }
}
