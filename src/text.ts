/**
 * Text the service stores, renders and sends to Zoho: control characters other than tab and
 * line breaks, and unpaired surrogates, mean nothing in a CRM and break databases (PostgreSQL
 * refuses NUL in text) — every input that can carry text refuses them, naming the field (L1).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const controls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export const controlCharsMessage =
  'must not contain control characters (other than tab and line breaks) or unpaired surrogates';

export const storable = (s: string): boolean => !controls.test(s) && s.isWellFormed();
