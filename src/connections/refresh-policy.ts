/**
 * Pure decisions about access tokens. Zoho access tokens live an hour; a refresh token may
 * mint at most 10 of them per 10 minutes (ZOHO-API.md §2), so we refresh a little before
 * expiry, once, and count what we mint.
 */
export const REFRESH_SKEW_MS = 5 * 60_000;
export const REFRESH_WINDOW_MS = 10 * 60_000;
export const REFRESHES_PER_WINDOW = 10;

export function needsRefresh(
  t: { accessToken: string | null; accessExpiresAt: Date | null },
  now: Date,
  rejected?: string,
): boolean {
  if (!t.accessToken || !t.accessExpiresAt) return true;
  if (rejected !== undefined && t.accessToken === rejected) return true;
  return t.accessExpiresAt.getTime() - now.getTime() <= REFRESH_SKEW_MS;
}

export type RefreshBudget =
  | { allowed: true; windowStart: Date; windowCount: number }
  | { allowed: false; retryAfterMs: number };

/** Whether one more refresh stays within Zoho's limit, and the window after it. */
export function refreshBudget(
  t: { refreshWindowStart: Date | null; refreshWindowCount: number },
  now: Date,
): RefreshBudget {
  const start = t.refreshWindowStart;
  if (!start || now.getTime() - start.getTime() >= REFRESH_WINDOW_MS)
    return { allowed: true, windowStart: now, windowCount: 1 };
  if (t.refreshWindowCount >= REFRESHES_PER_WINDOW)
    return { allowed: false, retryAfterMs: start.getTime() + REFRESH_WINDOW_MS - now.getTime() };
  return { allowed: true, windowStart: start, windowCount: t.refreshWindowCount + 1 };
}
