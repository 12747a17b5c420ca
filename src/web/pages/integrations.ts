import type { FastifyInstance } from 'fastify';
import { describeProblem, type ProblemCode } from '../../connections/problems.ts';
import { findConnection, listWorkspaceConnections } from '../../connections/repo.ts';
import type { WebContext } from '../context.ts';
import { type Html, html } from '../views/html.ts';
import { layout } from '../views/layout.ts';
import { zohoCard } from '../views/zoho-card.ts';
import { tryItPanel } from './try-it.ts';

const notices: Record<string, string> = {
  connected: 'Zoho CRM is connected.',
  disconnected:
    'Zoho CRM is disconnected: PepoSmart’s access was deleted and revoked at Zoho. Records already in Zoho CRM stay.',
  saved: 'Settings saved.',
  checked: 'Zoho CRM answered: the connection works.',
};

/**
 * Problems of a connect attempt that are shown once, where the callback lands, and never kept on
 * the card: a state nobody can match may be someone else's doing (routes/zoho-connection.ts).
 */
const oneOffProblems: readonly ProblemCode[] = ['state_invalid'];

/** `/integrations`: the CRM section with the Zoho CRM card; admins also see their team. */
export function registerIntegrationsPage(app: FastifyInstance, ctx: WebContext) {
  app.get('/integrations', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const user = req.user!;
    const conn = await findConnection(ctx.db, user.workspaceId, user.id);
    const query = req.query as Record<string, unknown>;
    const notice = notices[String(query['done'] ?? '')];
    const failed = oneOffProblems.find((code) => code === query['failed']);
    const problem = failed ? describeProblem(failed) : undefined;
    const pageUser = ctx.auth.pageUser(req);
    const body = html`<h1>Integrations</h1>
${notice ? html`<div class="notice" id="notice">${notice}</div>` : ''}
${problem ? html`<div class="problem" id="connect-notice" role="alert"><strong>${problem.title}</strong><br>What to do: ${problem.check}</div>` : ''}
<h2>CRM</h2>
${zohoCard(conn, ctx.connections.dataCentres, pageUser.csrf)}
${ctx.sandbox && conn?.status !== 'connected' ? sandboxHint(ctx.sandbox) : ''}
${ctx.tryIt && conn?.status === 'connected' ? tryItPanel(ctx.tryIt.samples, pageUser.csrf, conn.settings) : ''}
${user.role === 'admin' ? await teamTable(ctx, user.workspaceId) : ''}`;
    return reply.type('text/html').send(layout('Integrations', pageUser, '/integrations', body));
  });
}

function sandboxHint(sandbox: NonNullable<WebContext['sandbox']>): Html {
  const accounts = sandbox.accounts.map((a, i) => html`${i ? ' or ' : ''}<code>${a.email}</code> (${a.org})`);
  return html`<div class="notice" id="sandbox-hint">Sandbox mode: Connect opens the bundled Zoho sandbox.
${accounts.length ? html`Sign in there as ${accounts}.` : ''}
Its records are visible at <a href="${sandbox.url}/__sandbox/">${sandbox.url}/__sandbox/</a>.</div>`;
}

async function teamTable(ctx: WebContext, workspaceId: string): Promise<Html> {
  const rows = await listWorkspaceConnections(ctx.db, workspaceId);
  const label = {
    not_connected: 'Not connected',
    connected: 'Connected',
    reconnect_needed: 'Reconnect needed',
  };
  return html`<h2>Team connections</h2>
<table id="team-connections"><thead><tr><th>Member</th><th>Zoho CRM</th><th>Zoho account</th></tr></thead><tbody>
${rows.map(
  (
    r,
  ) => html`<tr><td>${r.member.name} (${r.member.email})</td><td>${label[r.connection?.status ?? 'not_connected']}</td>
<td>${r.connection?.status !== 'not_connected' && r.connection?.zohoUser ? `${r.connection.zohoUser.email} · ${r.connection.zohoOrg?.name ?? ''}` : ''}</td></tr>`,
)}</tbody></table>`;
}
