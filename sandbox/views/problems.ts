import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, problemPage } from './html.ts';

/**
 * Which answers may be pages. Zoho's APIs answer JSON whatever a client accepts, and so does
 * the sandbox: the CRM API under each data centre's prefix (an unknown path there is its
 * INVALID_URL_PATTERN, after the token check), the token and revoke endpoints, and the admin
 * API under /__sandbox/ but for its web view (the org list and each org's pages).
 */
function isPagePath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  if (/^\/[a-z]{2}\/api(\/|$)/.test(path)) return false;
  if (/^\/[a-z]{2}\/accounts\/oauth\/v2\/token(\/|$)/.test(path)) return false;
  if (path.startsWith('/__sandbox/'))
    return path === '/__sandbox/' || /^\/__sandbox\/orgs\/[^/]+\/view(\/|$)/.test(path);
  return true;
}

/** A browser asking for one of the sandbox's pages: it gets HTML, in the sandbox's layout. */
export function wantsPage(req: FastifyRequest): boolean {
  return isPagePath(req.url) && /text\/html/.test(String(req.headers.accept ?? ''));
}

export function sendNotFound(req: FastifyRequest, reply: FastifyReply, text?: string) {
  const path = req.url.split('?')[0];
  return reply
    .code(404)
    .type('text/html')
    .send(
      problemPage(
        'Page not found',
        text ?? html`There is no page at <code>${path}</code> in the Zoho sandbox.`,
      ),
    );
}

/** Fastify's own 404 body, kept for every client that is not a browser asking for a page. */
export function notFoundJson(req: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({
    message: `Route ${req.raw.method}:${req.raw.url} not found`,
    error: 'Not Found',
    statusCode: 404,
  });
}

export function sendErrorPage(reply: FastifyReply, status: number, message: string) {
  const page =
    status < 500
      ? problemPage('The sandbox could not use this request', message)
      : problemPage(
          'Something went wrong in the sandbox',
          'The error is in the sandbox’s log. Try again, or reset the sandbox if it persists.',
        );
  return reply.code(status).type('text/html').send(page);
}
