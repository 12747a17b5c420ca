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
  it('opens a window on the first refresh and counts up to ten in it', () => {
    expect(refreshBudget({ refreshWindowStart: null, refreshWindowCount: 0 }, now)).toEqual({
      allowed: true,
      windowStart: now,
      windowCount: 1,
    });
    const start = inMs(-60_000);
    expect(refreshBudget({ refreshWindowStart: start, refreshWindowCount: 9 }, now)).toEqual({
      allowed: true,
      windowStart: start,
      windowCount: 10,
    });
  });

  it('refuses the eleventh within ten minutes, saying when the window reopens', () => {
    expect(refreshBudget({ refreshWindowStart: inMs(-60_000), refreshWindowCount: 10 }, now)).toEqual({
      allowed: false,
      retryAfterMs: 540_000,
    });
    expect(refreshBudget({ refreshWindowStart: inMs(-600_000), refreshWindowCount: 10 }, now).allowed).toBe(
      true,
    );
  });
});
