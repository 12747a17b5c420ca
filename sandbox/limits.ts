import type { SandboxCore } from './core.ts';
import type { Edition, SbOrg } from './state.ts';

/**
 * API credits per rolling 24 hours and concurrent calls per org and client, by edition
 * (ZOHO-API.md §6, Zoho "API limits" for v8).
 */
const editionTable: Record<Edition, { base: number; perUser: number; max: number; concurrency: number }> = {
  free: { base: 5_000, perUser: 0, max: 5_000, concurrency: 5 },
  standard: { base: 50_000, perUser: 250, max: 100_000, concurrency: 10 },
  professional: { base: 50_000, perUser: 500, max: 3_000_000, concurrency: 15 },
  enterprise: { base: 50_000, perUser: 1_000, max: 5_000_000, concurrency: 20 },
  ultimate: { base: 50_000, perUser: 2_000, max: 5_000_000, concurrency: 25 },
};

/** Heavy APIs (search among them) share a lower sub-limit within the org's concurrency. */
export const heavySubLimit = 10;
const DAY_MS = 24 * 60 * 60 * 1000;

export function creditsPerDay(org: SbOrg): number {
  if (org.credits_per_day !== undefined) return org.credits_per_day;
  const e = editionTable[org.edition];
  return Math.min(e.max, e.base + e.perUser * org.users.length);
}

export function concurrencyLimit(org: SbOrg): number {
  return org.concurrency_limit ?? editionTable[org.edition].concurrency;
}

export function creditsUsed(core: SandboxCore, orgId: string): number {
  const since = core.now() - DAY_MS;
  const entries = (core.state.credits[orgId] ?? []).filter((e) => e.ms > since);
  core.state.credits[orgId] = entries;
  return entries.reduce((sum, e) => sum + e.cost, 0);
}

export function chargeCredits(core: SandboxCore, orgId: string, cost: number): void {
  if (cost <= 0) return;
  (core.state.credits[orgId] ??= []).push({ ms: core.now(), cost });
  core.changed();
}

/** Takes a concurrency slot, or returns undefined when the limit is reached. */
export function acquireSlot(core: SandboxCore, key: string, limit: number): (() => void) | undefined {
  const current = core.inflight.get(key) ?? 0;
  if (current >= limit) return undefined;
  core.inflight.set(key, current + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const n = (core.inflight.get(key) ?? 1) - 1;
    if (n <= 0) core.inflight.delete(key);
    else core.inflight.set(key, n);
  };
}
