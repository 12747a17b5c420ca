import crypto from 'node:crypto';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { ensurePrivateDir, tightenTree } from '../src/files/private-dir.ts';
import { registerAccounts } from './accounts/routes.ts';
import { registerAuthAdmin, registerClient } from './admin/auth.ts';
import { AdminError, sendAdminError } from './admin/common.ts';
import { registerControlAdmin } from './admin/control.ts';
import { registerFieldAdmin } from './admin/fields.ts';
import { registerOrgAdmin } from './admin/orgs.ts';
import { createCore, type SandboxCore } from './core.ts';
import { registerCrm } from './crm/routes.ts';
import { dataCenters, isDataCenter } from './dc.ts';
import { crmErrors, zohoError } from './errors.ts';
import { serveFault, takeFault } from './faults.ts';
import { emptyState, loadState } from './state.ts';
import { notFoundJson, sendErrorPage, sendNotFound, wantsPage } from './views/problems.ts';
import { registerViews } from './views/records.ts';

export interface SandboxOptions {
  /** Keep state in `<dataDir>/zoho-sandbox.json` across restarts; in memory when absent. */
  dataDir?: string | undefined;
  /** A client registered at start (and after reset), e.g. the integration's own. */
  defaultClient?: { name?: string; client_id?: string; client_secret?: string; redirect_uris: string[] };
  logger?: FastifyServerOptions['logger'];
}

export interface Sandbox {
  app: FastifyInstance;
  core: SandboxCore;
  /** Listens and returns the base URL, e.g. http://127.0.0.1:4010 */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const dataFile = options.dataDir ? path.join(options.dataDir, 'zoho-sandbox.json') : undefined;
  // The state holds OAuth client secrets and the cookie secret (L7): owner-only, old copies too.
  if (options.dataDir) {
    ensurePrivateDir(options.dataDir);
    tightenTree(options.dataDir);
  }
  const state = (dataFile && loadState(dataFile)) || emptyState(crypto.randomBytes(32).toString('hex'));
  const core = createCore(state, { dataFile });

  const ensureDefaultClient = () => {
    const c = options.defaultClient;
    if (!c) return;
    const existing = c.client_id ? core.state.clients[c.client_id] : undefined;
    if (existing) {
      existing.redirect_uris = [...new Set([...existing.redirect_uris, ...c.redirect_uris])];
      return;
    }
    registerClient(core, {
      name: c.name ?? 'PepoSmart',
      redirect_uris: c.redirect_uris,
      home_dc: 'us',
      multi_dc: true,
      self_client: false,
      ...(c.client_id ? { client_id: c.client_id } : {}),
      ...(c.client_secret ? { client_secret: c.client_secret } : {}),
    });
  };
  ensureDefaultClient();
  // The client (and the cookie secret) of a new state are printed at start: saved before that,
  // so a kill right after the banner cannot lose what it showed (R1).
  core.saveChanges();

  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 5 * 1024 * 1024 });
  // R1: every answer leaves only once the changes made before it are saved, so a kill of the
  // process never loses a record, token or client the sandbox has acknowledged.
  app.addHook('onSend', async (_req, _reply, payload) => {
    await core.saveChangesTogether();
    return payload;
  });
  await app.register(fastifyCookie, { secret: core.state.cookie_secret });
  await app.register(fastifyFormbody);

  app.setErrorHandler((err: Error, req, reply) => {
    if (wantsPage(req)) {
      // The web view's unknown org: its page's 404, not the admin API's JSON.
      if (err instanceof AdminError && err.status === 404)
        return sendNotFound(req, reply, `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.`);
      const status =
        err instanceof AdminError ? err.status : ((err as { statusCode?: number }).statusCode ?? 500);
      if (status >= 500) req.log.error(err);
      return sendErrorPage(reply, status, err.message);
    }
    if (sendAdminError(err, reply)) return;
    const isApi = /^\/[a-z]{2}\/api\//.test(req.url);
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    if (isApi) {
      const e =
        status < 500
          ? zohoError(400, 'INVALID_DATA', 'the request body is not valid JSON', { reason: err.message })
          : crmErrors.internal();
      return reply.code(e.status).send(e.body);
    }
    req.log.error(err);
    return reply.code(status).send({ error: { message: status < 500 ? err.message : 'internal error' } });
  });

  // Faults reach the accounts servers too (a token call that fails, hangs or drops); the API's
  // gate takes its own. An accounts call names no org, so only faults without org_id match it.
  app.addHook('onRequest', async (req, reply) => {
    const m = /^\/([a-z]{2})\/accounts(\/[^?]*)/.exec(req.url);
    if (!m || !isDataCenter(m[1]!)) return;
    const fault = takeFault(core, { orgId: undefined, dc: m[1], method: req.method, path: m[2]! });
    if (fault && (await serveFault(fault, req, reply, { error: 'internal_error' }))) return reply;
  });

  for (const dc of dataCenters) {
    registerAccounts(app, core, dc);
    registerCrm(app, core, dc);
  }
  registerOrgAdmin(app, core);
  registerFieldAdmin(app, core);
  registerAuthAdmin(app, core);
  registerControlAdmin(app, core, () => {
    core.state = emptyState(core.state.cookie_secret);
    core.inflight.clear();
    ensureDefaultClient();
    // The call log and credits are reset too: saved at once with the rest.
    core.flush();
  });
  registerViews(app, core);
  app.get('/', (_req, reply) => reply.redirect('/__sandbox/', 302));
  app.setNotFoundHandler((req, reply) =>
    wantsPage(req) ? sendNotFound(req, reply) : notFoundJson(req, reply),
  );

  return {
    app,
    core,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      core.baseUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;
      return core.baseUrl;
    },
    async close() {
      await app.close();
      core.flush();
    },
  };
}
