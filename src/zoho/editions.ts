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
 * Zoho sells CRM in bundles and under older names that carry an edition's limits: Starter is
 * Standard, Zoho One is Enterprise, CRM Plus is Ultimate (Zoho's "API limits" page lists them
 * side by side). Names are compared without case, spaces or punctuation ("Zoho One", "ZohoOne").
 */
const aliases: Record<string, Edition> = {
  free: 'free',
  standard: 'standard',
  starter: 'standard',
  professional: 'professional',
  enterprise: 'enterprise',
  zohoone: 'enterprise',
  ultimate: 'ultimate',
  crmplus: 'ultimate',
};

interface LicenseDetails {
  paid?: boolean | null | undefined;
  paid_type?: string | null | undefined;
  trial_type?: string | null | undefined;
}

/**
 * The edition whose limits an org is held to, from its `license_details`, or null (unknown:
 * the smallest limit). A paid org: its `paid_type`. A trial org reads `paid: false, paid_type:
 * "free", trial_type: "professional"` (ZOHO-API.md §8); Zoho documents no API limits for
 * trials, so it is held to what it is billed as, the Free edition's, never to the trial's —
 * a guess on the safe side: a limit too low only slows a trial org's sync, one too high
 * meets 429s. A name we do not know is unknown.
 */
export function editionOf(license: LicenseDetails | null | undefined): Edition | null {
  if (!license) return null;
  const name = (license.paid ? license.paid_type : (license.paid_type ?? 'free')) ?? '';
  return aliases[name.toLowerCase().replace(/[^a-z]/g, '')] ?? null;
}

/** The per-org limit we hold to: the edition's, capped by the operator's setting when given. */
export function concurrencyFor(edition: string | null | undefined, cap?: number): number {
  const limit = isEdition(edition) ? editionConcurrency[edition] : minimumConcurrency;
  return cap ? Math.min(limit, cap) : limit;
}
