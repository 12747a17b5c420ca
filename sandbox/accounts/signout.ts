import type { FastifyInstance } from 'fastify';
import type { SandboxCore } from '../core.ts';
import type { DataCenter } from '../dc.ts';
import { pickAuthParams, validateAuthRequest } from './authorize.ts';
import type { Params } from './grants.ts';
import { crossOriginPage, endSession, fromAnotherOrigin, sessionUser, signOutPath } from './session.ts';
import { signOutPage, withRequest } from './views.ts';

/**
 * Sign-out, as Zoho's accounts server offers it: a page that names who is signed in, and a
 * form that ends the browser's session. Posted from a consent page with its authorization
 * request, it goes back to that request's sign-in step; otherwise to the signed-out page.
 */
export function registerSignOut(app: FastifyInstance, core: SandboxCore, dc: DataCenter): void {
  const path = signOutPath(dc);

  app.get(path, (req, reply) =>
    reply
      .header('cache-control', 'no-store')
      .type('text/html')
      .send(signOutPage(path, sessionUser(core, req))),
  );

  app.post(path, (req, reply) => {
    if (fromAnotherOrigin(req)) return reply.code(403).type('text/html').send(crossOriginPage());
    endSession(reply);
    // The consent page sends the request in the form's URL; a body's fields would win.
    const form = { ...(req.query as Params), ...((req.body ?? {}) as Params) };
    // Only a request this server would show goes back to its page; anything else, the plain page.
    const back =
      form['client_id'] && !('error' in validateAuthRequest(core, dc, form))
        ? withRequest(`/${dc}/accounts/oauth/v2/auth`, pickAuthParams(form))
        : path;
    return reply.redirect(back, 303);
  });
}
