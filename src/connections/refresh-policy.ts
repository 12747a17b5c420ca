/**
 * Pure decisions about access tokens. Zoho access tokens live an hour; a refresh token may
 * mint at most 10 of them in any 10 minutes (ZOHO-API.md §2), so we refresh a little before
 * expiry, once, and count every attempt we make.
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

export type RefreshBudget = { allowed: true; log: Date[] } | { allowed: false; retryAfterMs: number };

/**
 * Whether one more refresh stays within Zoho's sliding limit, and the attempt log with it
 * added (older entries dropped).
 */
export function refreshBudget(log: readonly Date[], now: Date): RefreshBudget {
  const recent = log.filter((at) => now.getTime() - at.getTime() < REFRESH_WINDOW_MS).sort((a, b) => +a - +b);
  if (recent.length >= REFRESHES_PER_WINDOW)
    return {
      allowed: false,
      retryAfterMs:
        recent[recent.length - REFRESHES_PER_WINDOW]!.getTime() + REFRESH_WINDOW_MS - now.getTime(),
    };
  return { allowed: true, log: [...recent, now] };
}
