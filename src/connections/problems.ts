/**
 * What went wrong with a connection, in plain language, and what to check (the product's
 * troubleshooting list). The card shows these; the codes are stored on the connection.
 */
export const problemCodes = [
  'denied',
  'no_org',
  'third_party_blocked',
  'edition',
  'permission',
  'scope_mismatch',
  'search_scope_missing',
  'refresh_rejected',
  'state_invalid',
  'denied_kept',
  'untrusted_server',
  'zoho_unavailable',
  'connect_failed',
] as const;
export type ProblemCode = (typeof problemCodes)[number];

export interface Problem {
  title: string;
  check: string;
}

const problems: Record<ProblemCode, Problem> = {
  denied: {
    title: 'Zoho did not grant access: you declined on Zoho’s consent page, or Zoho is limiting sign-ins.',
    check:
      'Click Connect again and choose Accept to let PepoSmart log your meetings in Zoho CRM. If you did accept, Zoho allows only a few sign-ins to one app within ten minutes: wait ten minutes, then connect again.',
  },
  no_org: {
    title: 'Your Zoho account has no Zoho CRM organization.',
    check: 'Sign in to Zoho with the account you use for Zoho CRM, or ask your admin to add you to the CRM.',
  },
  third_party_blocked: {
    title: 'Your Zoho organization does not allow third-party apps.',
    check:
      'Ask your Zoho CRM administrator to allow third-party applications (or PepoSmart), then connect again.',
  },
  edition: {
    title: 'Your Zoho CRM edition does not include API access.',
    check:
      'Verify your Zoho CRM edition has API access (the Free edition may not), or upgrade, then connect again.',
  },
  permission: {
    title: 'Your Zoho CRM profile lacks a permission PepoSmart needs.',
    check:
      'Ask your Zoho CRM administrator to let your profile view and create Contacts and Leads, then connect again.',
  },
  scope_mismatch: {
    title: 'Zoho did not grant every permission PepoSmart asks for.',
    check:
      'Reconnect and accept all the listed permissions; if it persists, check the app’s scopes in the Zoho API console.',
  },
  search_scope_missing: {
    title: 'PepoSmart needs one more permission (to search your CRM).',
    check:
      'Click Reconnect and accept: Zoho now asks apps to hold its search permission to look people up by email. Meetings waiting meanwhile sync once you reconnect.',
  },
  refresh_rejected: {
    title: 'Zoho no longer accepts this connection.',
    check:
      'It was revoked in Zoho (Connected Apps), or replaced by newer connections of the same app. Reconnect to resume syncing.',
  },
  state_invalid: {
    title: 'That sign-in to Zoho could not be matched to your Connect request.',
    check: 'It expired, was already used, or was started by someone else. Click Connect again.',
  },
  denied_kept: {
    title:
      'Zoho did not grant that request — you declined on Zoho’s consent page, or Zoho is limiting sign-ins — so your connection stays as it was.',
    check:
      'PepoSmart keeps syncing with the permissions you gave before. Anything that needs new permissions (Meetings) waits: allow it from the Zoho CRM card when you are ready (if you did accept, wait ten minutes first: Zoho allows only a few sign-ins to one app within ten minutes), or turn it off there.',
  },
  untrusted_server: {
    title: 'Zoho answered from a server outside its known data centres, so PepoSmart refused it.',
    check: 'Click Connect again. If it persists, contact support: someone may be tampering with the sign-in.',
  },
  zoho_unavailable: {
    title: 'Zoho did not answer in time.',
    check: 'Zoho may be having trouble; try Connect again in a few minutes.',
  },
  connect_failed: {
    title: 'Zoho refused to complete the connection.',
    check: 'Click Connect again; if it keeps failing, contact support with the time of the attempt.',
  },
};

export function describeProblem(code: string): Problem {
  return problems[code as ProblemCode] ?? problems.connect_failed;
}

const byErrorKind: Partial<Record<string, ProblemCode>> = {
  edition: 'edition',
  permission: 'permission',
  scope: 'scope_mismatch',
  transient: 'zoho_unavailable',
  rate_limit: 'zoho_unavailable',
  // A redirect is refused unfollowed: it points our secrets away from Zoho's known servers.
  redirect: 'untrusted_server',
};

/** The card's problem for a failed Zoho call, by the error's kind (ZohoError['kind']). */
export function problemForErrorKind(kind: string, fallback: ProblemCode): ProblemCode {
  return byErrorKind[kind] ?? fallback;
}
