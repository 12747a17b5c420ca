import { describe, expect, it } from 'vitest';
import { needsRefresh, REFRESH_SKEW_MS, refreshBudget } from './refresh-policy.ts';

const now = new Date('2026-11-25T10:00:00Z');
const inMs = (ms: number) => new Date(now.getTime() + ms);

describe('needsRefresh', () => {
  it('keeps a token with more than the skew left and refreshes one close to expiry', () => {
    expect(needsRefresh({ accessToken: 'a', accessExpiresAt: inMs(REFRESH_SKEW_MS + 1000) }, now)).toBe(
      false,
    );
    expect(needsRefresh({ accessToken: 'a', accessExpiresAt: inMs(REFRESH_SKEW_MS) }, now)).toBe(true);
    expect(needsRefresh({ accessToken: 'a', accessExpiresAt: inMs(-1) }, now)).toBe(true);
    expect(needsRefresh({ accessToken: null, accessExpiresAt: null }, now)).toBe(true);
  });

  it('refreshes a token Zoho rejected, but not when another was stored meanwhile', () => {
    const t = { accessToken: 'a', accessExpiresAt: inMs(3_600_000) };
    expect(needsRefresh(t, now, 'a')).toBe(true);
    expect(needsRefresh(t, now, 'old')).toBe(false);
  });
});

describe('refreshBudget', () => {
  it('allows up to ten attempts in any ten minutes and logs this one', () => {
    const nine = Array.from({ length: 9 }, (_, i) => inMs(-60_000 * (i + 1)));
    const r = refreshBudget(nine, now);
    expect(r.allowed).toBe(true);
    expect(r.allowed && r.log).toHaveLength(10);
    expect(r.allowed && r.log.at(-1)).toEqual(now);
  });

  it('refuses the eleventh, saying when the oldest of the ten leaves the window', () => {
    const ten = Array.from({ length: 10 }, (_, i) => inMs(-30_000 * (i + 1)));
    expect(refreshBudget(ten, now)).toEqual({ allowed: false, retryAfterMs: 300_000 });
  });

  it('slides: a burst at a window edge cannot exceed ten in any ten minutes', () => {
    // One at t=0, nine at 9:50, then more at 10:00: the fixed-window bug allowed ten more.
    const log = [inMs(-600_000), ...Array.from({ length: 9 }, () => inMs(-10_000))];
    const r = refreshBudget(log, now);
    expect(r.allowed).toBe(true); // the t=0 one has just left the window
    const full = r.allowed ? r.log : [];
    expect(refreshBudget(full, inMs(1000))).toEqual({ allowed: false, retryAfterMs: 589_000 });
  });

  it('forgets attempts older than ten minutes', () => {
    const old = Array.from({ length: 10 }, () => inMs(-700_000));
    expect(refreshBudget(old, now)).toEqual({ allowed: true, log: [now] });
  });
});
