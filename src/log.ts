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

/** Query parameters that carry a grant code, OAuth state or token: never logged. */
const secretParams = /([?&](?:code|state|token|access_token|refresh_token|code_verifier)=)[^&#]*/gi;
export const redactUrl = (url: string) => url.replace(secretParams, '$1[redacted]');

/** Request lines without secrets in their URLs (an OAuth callback carries the grant code). */
const serializers = {
  req(req: {
    method?: string;
    url?: string;
    headers?: Record<string, unknown>;
    socket?: { remoteAddress?: string };
  }) {
    return { method: req.method, url: redactUrl(req.url ?? ''), remoteAddress: req.socket?.remoteAddress };
  },
};

export function createLogger(
  options: { level: string; name?: string },
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level: options.level,
      ...(options.name ? { name: options.name } : {}),
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers,
    },
    destination,
  );
}

export type { Logger };
