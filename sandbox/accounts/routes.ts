import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { SandboxCore } from '../core.ts';
import type { DataCenter } from '../dc.ts';
import { registerAuthorize } from './authorize.ts';
import { registerSignOut } from './signout.ts';
import { registerTokenEndpoints } from './token-endpoint.ts';

/**
 * One data centre's accounts server, in a Fastify context of its own so its body parsing
 * leaves the CRM routes alone: Zoho Accounts reads urlencoded and multipart/form-data bodies
 * (the official SDKs post multipart) besides the query string, and ignores any other body —
 * a JSON one included (sandbox Guesses).
 */
export function registerAccounts(app: FastifyInstance, core: SandboxCore, dc: DataCenter): void {
  app.register(async (scope) => {
    await scope.register(fastifyMultipart, { attachFieldsToBody: 'keyValues' });
    scope.removeContentTypeParser(['application/json', 'text/plain']);
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));
    registerAuthorize(scope, core, dc);
    registerSignOut(scope, core, dc);
    registerTokenEndpoints(scope, core, dc);
  });
}
