import type { SbOrg } from './state.ts';

/**
 * The time an org's API call is held before its answer, as a real network and server would
 * add it: `latency_ms`, give or take up to `latency_jitter_ms`, drawn uniformly (benches use
 * the spread so calls finish out of step, as Zoho's do). Never below 0; the mean stays
 * `latency_ms` as long as the jitter does not exceed it.
 */
export function callLatency(
  org: Pick<SbOrg, 'latency_ms' | 'latency_jitter_ms'>,
  random: () => number = Math.random,
): number {
  const jitter = org.latency_jitter_ms ?? 0;
  if (jitter === 0) return org.latency_ms;
  return Math.max(0, Math.round(org.latency_ms - jitter + random() * 2 * jitter));
}
