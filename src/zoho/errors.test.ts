import { describe, expect, it } from 'vitest';
import { apiError, recordErrorKind } from './errors.ts';

describe('Zoho CRM error replies as typed errors', () => {
  it('an invalid access token, by either of Zoho’s names, is a token to refresh', () => {
    for (const code of ['INVALID_TOKEN', 'INVALID_OAUTHTOKEN', 'AUTHENTICATION_FAILURE'])
      expect(apiError(401, { code, details: {}, message: 'invalid oauth token', status: 'error' }).kind).toBe(
        'token',
      );
  });

  it('a missing scope asks for a reconnect; a 429 is a rate limit; more than 100 records is not', () => {
    expect(apiError(401, { code: 'OAUTH_SCOPE_MISMATCH', status: 'error' }).kind).toBe('scope');
    expect(apiError(429, { code: 'TOO_MANY_REQUESTS', status: 'error' }).kind).toBe('rate_limit');
    expect(apiError(400, { code: 'LIMIT_EXCEEDED', status: 'error' }).kind).toBe('invalid');
    expect(apiError(503, undefined).kind).toBe('transient');
  });

  it('a per-record INTERNAL_ERROR is worth another try; a refusal is not', () => {
    expect(recordErrorKind('INTERNAL_ERROR')).toBe('transient');
    expect(recordErrorKind('INVALID_DATA')).toBe('invalid');
    expect(recordErrorKind('MANDATORY_NOT_FOUND')).toBe('invalid');
  });
});
