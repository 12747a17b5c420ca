import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Auth } from '../auth.ts';
import { type Html, html } from './html.ts';
import { layout, page } from './layout.ts';

/**
 * Pages for what went wrong, in the app's frame: signed in, the layout with its navigation;
 * signed out, a centred card with a way in. The status stays the HTTP answer's.
 */
export interface ProblemPage {
  status: number;
  title: string;
  text: Html | string;
  /** The way on; the Integrations page by default. */
  back?: { href: string; label: string };
}

export function problemBody(p: ProblemPage): Html {
  const back = p.back ?? { href: '/integrations', label: 'Go to Integrations' };
  return html`<div class="empty" id="problem-page" data-status="${p.status}"><h1>${p.title}</h1><p>${p.text}</p><a class="button" href="${back.href}">${back.label}</a></div>`;
}

/** Answers `p` as a page: in the layout when `req` has a signed-in user (requireUser ran or a live session cookie). */
export async function sendProblemPage(
  auth: Auth,
  req: FastifyRequest,
  reply: FastifyReply,
  p: ProblemPage,
): Promise<FastifyReply> {
  reply.code(p.status).type('text/html').header('cache-control', 'no-store');
  if (!req.user) {
    const session = await auth.currentSession(req).catch(() => undefined);
    if (session) {
      req.user = session.user;
      req.sessionToken = session.token;
    }
  }
  if (req.user) return reply.send(layout(p.title, auth.pageUser(req), '', problemBody(p)));
  return reply.send(
    page(
      p.title,
      html`<div class="center">${problemBody({ ...p, back: p.back ?? { href: '/signin', label: 'Sign in' } })}</div>`,
    ),
  );
}

export const notFound = (text: Html | string = 'There is no page at this address.'): ProblemPage => ({
  status: 404,
  title: 'Page not found',
  text,
});
