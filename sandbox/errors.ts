/**
 * Zoho CRM's error bodies: `{ code, details, message, status: "error" }` (ZOHO-API.md §4).
 */
export interface ZohoError {
  status: number;
  body: { code: string; details: Record<string, unknown>; message: string; status: 'error' };
}

export function zohoError(
  status: number,
  code: string,
  message: string,
  details: Record<string, unknown> = {},
): ZohoError {
  return { status, body: { code, details, message, status: 'error' } };
}

export const crmErrors = {
  authenticationFailure: () => zohoError(401, 'AUTHENTICATION_FAILURE', 'Authentication failed'),
  invalidToken: () => zohoError(401, 'INVALID_TOKEN', 'invalid oauth token'),
  // Zoho names no scope in the reply: its documented examples all carry empty details.
  scopeMismatch: () => zohoError(401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL'),
  noPermission: (permission: string) =>
    zohoError(403, 'NO_PERMISSION', 'permission denied', { permissions: [permission] }),
  invalidUrl: () =>
    zohoError(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one'),
  invalidModule: (name: string) =>
    zohoError(400, 'INVALID_MODULE', 'the module name given seems to be invalid', {
      resource_path_index: 0,
      module: name,
    }),
  // Zoho names the parameter in `details.param_name` (its v8 OpenAPI examples).
  requiredParam: (param: string) =>
    zohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', {
      param_name: param,
    }),
  invalidParam: (param: string, message: string, extra: Record<string, unknown> = {}) =>
    zohoError(400, 'INVALID_DATA', message, { param_name: param, ...extra }),
  tooManyRequests: () => zohoError(429, 'TOO_MANY_REQUESTS', 'concurrency limit exceeded for the org'),
  creditsExhausted: () =>
    zohoError(429, 'LIMIT_EXCEEDED', 'API limit exceeded for the org in the last 24 hours'),
  // Zoho's own wording for FEATURE_NOT_SUPPORTED (v8 OpenAPI examples); it names no edition.
  noApiAccess: () => zohoError(403, 'FEATURE_NOT_SUPPORTED', 'Your License does not support this feature'),
  internal: () => zohoError(500, 'INTERNAL_ERROR', 'Internal Server Error'),
};

/** A per-record entry in a write's `data` array. */
export interface RecordError {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

export function recordError(code: string, message: string, details: Record<string, unknown>): RecordError {
  return { code, details, message, status: 'error' };
}
