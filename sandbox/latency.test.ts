import { describe, expect, it } from 'vitest';
import { callLatency } from './latency.ts';

/** The draw is checked with a chosen random number; over HTTP, admin.int.test.ts checks the setting. */
describe("an org's call latency", () => {
  it('is latency_ms exactly without jitter', () => {
    expect(callLatency({ latency_ms: 200 }, () => 0.9)).toBe(200);
    expect(callLatency({ latency_ms: 200, latency_jitter_ms: 0 }, () => 0.1)).toBe(200);
  });

  it('spans latency_ms − jitter to latency_ms + jitter, latency_ms in the middle', () => {
    const org = { latency_ms: 200, latency_jitter_ms: 100 };
    expect(callLatency(org, () => 0)).toBe(100);
    expect(callLatency(org, () => 0.5)).toBe(200);
    expect(callLatency(org, () => 0.999_999)).toBe(300);
  });

  it('never goes below 0 when the jitter exceeds the latency', () => {
    const org = { latency_ms: 20, latency_jitter_ms: 50 };
    expect(callLatency(org, () => 0)).toBe(0);
    expect(callLatency(org, () => 0.2)).toBe(0);
    expect(callLatency(org, () => 0.999_999)).toBe(70);
  });

  it('stays within the bounds with the mean near latency_ms over many draws', () => {
    const org = { latency_ms: 200, latency_jitter_ms: 100 };
    const draws = Array.from({ length: 4000 }, () => callLatency(org));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...draws)).toBeLessThanOrEqual(300);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(Math.abs(mean - 200)).toBeLessThan(10);
  });
});
