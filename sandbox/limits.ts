import type { SandboxCore } from './core.ts';
import type { Edition, SandboxState, SbOrg } from './state.ts';

/**
 * API credits per rolling 24 hours and concurrent calls per org and client, by edition
 * (ZOHO-API.md §8, Zoho "API limits" for v8). Zoho's own table puts Zoho One beside
 * Enterprise and CRM Plus beside Ultimate, whose credits have no maximum.
 */
const editionTable: Record<Edition, { base: number; perUser: number; max: number; concurrency: number }> = {
  free: { base: 5_000, perUser: 0, max: 5_000, concurrency: 5 },
  standard: { base: 50_000, perUser: 250, max: 100_000, concurrency: 10 },
  professional: { base: 50_000, perUser: 500, max: 3_000_000, concurrency: 15 },
  enterprise: { base: 50_000, perUser: 1_000, max: 5_000_000, concurrency: 20 },
  ultimate: { base: 50_000, perUser: 2_000, max: Number.POSITIVE_INFINITY, concurrency: 25 },
};

/** Heavy APIs (search among them) share a lower sub-limit within the org's concurrency. */
export const heavySubLimit = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether the org's trial is still running at `now` (sandbox clock). */
export function trialRunning(org: SbOrg, now: number): boolean {
  const trial = org.license?.trial;
  return trial !== undefined && now < trial.expires_ms;
}

/**
 * The edition whose limits apply: a running trial's, else the one paid for (a trial that
 * ran out leaves the org on its own edition, as Zoho moves an expired trial back to Free).
 * No Zoho source says which limits a trial gets; the trial edition's is the sandbox's guess.
 */
export function editionInForce(org: SbOrg, now: number): Edition {
  return trialRunning(org, now) ? org.license!.trial!.edition : org.edition;
}

/** `now` is the sandbox clock; callers without the core get the real time. */
export function creditsPerDay(org: SbOrg, now: number = Date.now()): number {
  if (org.credits_per_day !== undefined) return org.credits_per_day;
  const e = editionTable[editionInForce(org, now)];
  return Math.min(e.max, e.base + e.perUser * org.users.length);
}

export function concurrencyLimit(org: SbOrg, now: number = Date.now()): number {
  return org.concurrency_limit ?? editionTable[editionInForce(org, now)].concurrency;
}

type Charges = SandboxState['credits'][string];

/**
 * Each org's charges are kept in the order of the sandbox clock, so the ones older than a day are
 * at the front; their running total is kept beside them (not saved: worked out again from the
 * charges the first time an org's list is seen). Every call asks what was used: with a day's
 * calls in the list, adding them up each time cost more than the rest of the call (issue 13).
 */
const totals = new WeakMap<Charges, number>();

function totalOf(charges: Charges): number {
  let total = totals.get(charges);
  if (total === undefined) {
    charges.sort((a, b) => a.ms - b.ms);
    total = charges.reduce((sum, e) => sum + e.cost, 0);
    totals.set(charges, total);
  }
  return total;
}

export function creditsUsed(core: SandboxCore, orgId: string): number {
  const charges = core.state.credits[orgId];
  if (!charges) return 0;
  let total = totalOf(charges);
  const since = core.now() - DAY_MS;
  let expired = 0;
  while (expired < charges.length && charges[expired]!.ms <= since) total -= charges[expired++]!.cost;
  if (expired > 0) {
    charges.splice(0, expired);
    totals.set(charges, total);
  }
  return total;
}

export function chargeCredits(core: SandboxCore, orgId: string, cost: number): void {
  if (!(cost > 0) || !Number.isFinite(cost)) return;
  const charges = (core.state.credits[orgId] ??= []);
  const total = totalOf(charges);
  const ms = core.now();
  // After the sandbox clock was set back, a charge goes before the later ones.
  let at = charges.length;
  while (at > 0 && charges[at - 1]!.ms > ms) at--;
  const charge = { ms, cost };
  charges.splice(at, 0, charge);
  totals.set(charges, total + cost);
  core.logged({ org: orgId, charge });
}

/**
 * Takes `count` concurrency slots at once (a composite request counts as five), or none and
 * returns undefined when they would pass the limit.
 */
export function acquireSlot(
  core: SandboxCore,
  key: string,
  limit: number,
  count = 1,
): (() => void) | undefined {
  const current = core.inflight.get(key) ?? 0;
  if (current + count > limit) return undefined;
  core.inflight.set(key, current + count);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const n = (core.inflight.get(key) ?? count) - count;
    if (n <= 0) core.inflight.delete(key);
    else core.inflight.set(key, n);
  };
}
