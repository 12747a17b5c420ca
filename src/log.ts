import { type Logger, pino } from 'pino';

/**
 * Paths that may hold a token, a grant code or a secret anywhere in a logged object. pino
 * replaces them before serialising, so a careless `log.info({ body })` cannot leak one.
 */
export const redactPaths = [
  'access_token',
  'refresh_token',
  'code',
  'client_secret',
  'secret',
  'password',
  'token',
  'authorization',
  '*.access_token',
  '*.refresh_token',
  '*.code',
  '*.client_secret',
  '*.secret',
  '*.password',
  '*.token',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export function createLogger(
  options: { level: string; name?: string },
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: options.level,
      ...(options.name ? { name: options.name } : {}),
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    destination,
  );
}

export type { Logger };
