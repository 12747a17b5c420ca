/**
 * A failed sync in plain language with what to check (the product's troubleshooting list:
 * API access in the edition, third-party apps, profile permissions, validation rules,
 * duplicates). Keyed by Zoho's code or our error kind. Pure.
 */
export interface Explanation {
  title: string;
  check: string;
}

const byCode: Record<string, Explanation> = {
  MANDATORY_NOT_FOUND: {
    title: 'A field your Zoho CRM layout makes mandatory was missing.',
    check:
      'Make that field optional, or give it a default value, in Zoho CRM (Setup → Modules and Fields), then Retry.',
  },
  INVALID_DATA: {
    title: 'Zoho CRM refused the data, usually because of a validation rule.',
    check:
      'Check the module’s validation rules in Zoho CRM (Setup → Modules and Fields → Validation Rules); the message names the rule. Then Retry.',
  },
  DUPLICATE_DATA: {
    title: 'Zoho CRM’s duplicate check refused the record.',
    check: 'Check the module’s unique fields and duplicate rules in Zoho CRM, then Retry.',
  },
  NO_PERMISSION: {
    title: 'Your Zoho CRM profile lacks a permission this sync needs.',
    check:
      'Ask your Zoho CRM administrator to let your profile view and create Contacts, Leads and Notes, then Retry.',
  },
  FEATURE_NOT_SUPPORTED: {
    title: 'Your Zoho CRM edition does not include API access.',
    check: 'Verify your Zoho CRM edition has API access, or upgrade, then Retry.',
  },
  retries_exhausted: {
    title: 'Zoho CRM kept failing or was too busy, and PepoSmart stopped retrying after about 20 minutes.',
    check:
      'Check status.zoho.com and your org’s API usage (Setup → Developer Hub → APIs and SDKs: credits left today), then Retry.',
  },
  redirect: {
    title:
      'Zoho CRM answered with a redirect to another address. PepoSmart never follows one: it would send your Zoho access there.',
    check:
      'Retry in a few minutes. If it happens again, contact support with the booking id shown here: something between PepoSmart and Zoho may be answering in Zoho’s place.',
  },
  OAUTH_SCOPE_MISMATCH: {
    title: 'The connection lacks a permission PepoSmart needs.',
    check: 'Reconnect Zoho CRM on the Integrations page and accept every listed permission, then Retry.',
  },
};

const byKind: Record<string, string> = {
  permission: 'NO_PERMISSION',
  edition: 'FEATURE_NOT_SUPPORTED',
  scope: 'OAUTH_SCOPE_MISMATCH',
};

export function explainFailure(code: string | null): Explanation {
  const known = code ? (byCode[code] ?? byCode[byKind[code] ?? '']) : undefined;
  return (
    known ?? {
      title: 'Zoho CRM refused the request.',
      check: 'Retry; if it fails again, contact support with the booking id shown here.',
    }
  );
}
