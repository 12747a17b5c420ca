/**
 * Application errors carry a stable code; the web layer maps them to HTTP in one place.
 */
export const errorCodes = {
  config_invalid: 500,
  db_locked: 500,
  not_found: 404,
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  conflict: 409,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[];

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: ErrorDetail[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details ?? [];
  }

  get httpStatus(): number {
    return errorCodes[this.code];
  }
}
