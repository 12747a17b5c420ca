import { zohoDateTime } from './core.ts';
import type { SbOrg } from './state.ts';

/**
 * The org's `license_details` as Zoho's `GET /org` reports them (v8 org description; Zoho's
 * sample of a trial: `paid: false, paid_type: "free", trial_type: "professional"`).
 */
export interface LicenseDetails {
  paid: boolean;
  paid_type: string;
  paid_expiry: string | null;
  trial_type: string | null;
  trial_expiry: string | null;
  trial_action: string | null;
  users_license_purchased: number;
}

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * A trial stays named after it ran out (with its expiry in the past): Zoho documents no
 * change to `trial_type` at expiry, so a client must compare `trial_expiry` with the time
 * itself rather than trust `trial_type` alone (sandbox guess).
 */
export function licenseDetails(org: SbOrg): LicenseDetails {
  const paidType = org.license?.paid_type ?? org.edition;
  const paid = paidType !== 'free';
  const trial = org.license?.trial;
  return {
    paid,
    paid_type: paidType,
    // A yearly plan bought when the org was created (no source gives a renewal date).
    paid_expiry: paid ? zohoDateTime(Date.parse(org.created_at) + YEAR_MS, org.time_zone) : null,
    trial_type: trial?.edition ?? null,
    trial_expiry: trial ? zohoDateTime(trial.expires_ms, org.time_zone) : null,
    trial_action: null,
    users_license_purchased: org.users.length,
  };
}
