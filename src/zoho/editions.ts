/**
 * Zoho CRM editions and the concurrent calls Zoho allows per org and client for each
 * (ZOHO-API.md §6). Beyond it Zoho answers 429 with no Retry-After, so we stay within it.
 */
export const editionConcurrency = {
  free: 5,
  standard: 10,
  professional: 15,
  enterprise: 20,
  ultimate: 25,
} as const;

export type Edition = keyof typeof editionConcurrency;

/** The smallest limit: what an org whose edition we do not know is held to. */
export const minimumConcurrency = editionConcurrency.free;

export const isEdition = (v: unknown): v is Edition => typeof v === 'string' && v in editionConcurrency;

/**
 * The edition in force from the org's `license_details`: the paid one, else the trial's.
 * Zoho spells some editions differently in places (e.g. "Enterprise"); case is ignored, and
 * an edition we do not know is treated as unknown (the smallest limit).
 */
interface LicenseDetails {
  paid?: boolean | null | undefined;
  paid_type?: string | null | undefined;
  trial_type?: string | null | undefined;
}

export function editionOf(license: LicenseDetails | null | undefined): Edition | null {
  if (!license) return null;
  const candidates = license.paid ? [license.paid_type] : [license.trial_type, license.paid_type];
  for (const c of candidates) {
    const v = c?.toLowerCase();
    if (isEdition(v)) return v;
  }
  return null;
}

/** The per-org limit we hold to: the edition's, capped by the operator's setting when given. */
export function concurrencyFor(edition: string | null | undefined, cap?: number): number {
  const limit = isEdition(edition) ? editionConcurrency[edition] : minimumConcurrency;
  return cap ? Math.min(limit, cap) : limit;
}
