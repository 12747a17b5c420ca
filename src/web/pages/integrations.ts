import type { FastifyInstance, FastifyRequest } from 'fastify';
import { describeProblem, type ProblemCode } from '../../connections/problems.ts';
import { type Connection, findConnection, listWorkspaceConnections } from '../../connections/repo.ts';
import { knownEventTypes } from '../../connections/sync-choices.ts';
import { connectionSyncStats } from '../../sync/activity-stats.ts';
import type { WebContext } from '../context.ts';
import { loadFieldRowsView } from '../routes/zoho-fields.ts';
import { fieldRowsSection } from '../views/field-rows.ts';
import { type Html, html } from '../views/html.ts';
import { layout } from '../views/layout.ts';
import { meetingsSetting } from '../views/meetings-setting.ts';
import { connectionBadge, type SettingsProblem, zohoCard } from '../views/zoho-card.ts';
import { sandboxOrgUrl, tryItPanel } from './try-it.ts';

const notices: Record<string, string> = {
  connected: 'Zoho CRM is connected.',
  disconnected:
    'Zoho CRM is disconnected: PepoSmart’s access was deleted and revoked at Zoho. Records already in Zoho CRM stay.',
  saved: 'Settings saved.',
  checked: 'Zoho CRM answered: the connection works.',
  field_value_added: 'Field value added: new records and meetings get it from the next booking on.',
  field_value_removed: 'Field value removed.',
  fields_read: 'Fields read again from Zoho CRM.',
};

/**
 * Problems of a connect attempt that are shown once, where the callback lands, and never kept on
 * the card: a state nobody can match may be someone else's doing (routes/zoho-connection.ts).
 */
export const oneOffProblems: readonly ProblemCode[] = ['state_invalid', 'denied_kept'];

/** `/integrations`: the CRM section with the Zoho CRM card; admins also see their team. */
export function registerIntegrationsPage(app: FastifyInstance, ctx: WebContext) {
  app.get('/integrations', { preHandler: ctx.auth.requireUser }, async (req, reply) =>
    reply.type('text/html').send(await integrationsPage(ctx, req)),
  );
}

/**
 * The page for the signed-in user; `settingsProblem`: a settings form refused, shown on its
 * field with what was typed (routes/zoho-connection.ts answers it with a 400).
 */
export async function integrationsPage(
  ctx: WebContext,
  req: FastifyRequest,
  options: { settingsProblem?: SettingsProblem } = {},
): Promise<string> {
  const user = req.user!;
  const conn = await findConnection(ctx.db, user.workspaceId, user.id);
  const connected = conn && conn.status !== 'not_connected';
  const stats = connected ? await connectionSyncStats(ctx.db, conn, ctx.clock.now()) : undefined;
  const eventTypes = connected
    ? await knownEventTypes(ctx.db, user.workspaceId, user.id, conn.settings.eventTypes)
    : [];
  const query = req.query as Record<string, unknown>;
  const notice = options.settingsProblem ? undefined : notices[String(query['done'] ?? '')];
  const failed = oneOffProblems.find((code) => code === query['failed']);
  const problem = failed ? describeProblem(failed) : undefined;
  const pageUser = ctx.auth.pageUser(req);
  const body = html`<h1>Integrations</h1>
${notice ? html`<div class="notice" id="notice" role="status">${notice}</div>` : ''}
${problem ? html`<div class="problem" id="connect-notice" role="alert"><strong>${problem.title}</strong><br>What to do: ${problem.check}</div>` : ''}
${options.settingsProblem ? html`<div class="problem" id="settings-notice" role="alert">Settings not saved: ${options.settingsProblem.message}</div>` : ''}
<h2>CRM</h2>
${zohoCard(conn, ctx.connections.dataCentres, pageUser.csrf, stats, {
  eventTypes,
  sections: connected
    ? [
        meetingsSetting(conn, pageUser.csrf),
        fieldRowsSection(await loadFieldRowsView(ctx, conn), pageUser.csrf),
      ]
    : [],
  ...(options.settingsProblem ? { settingsProblem: options.settingsProblem } : {}),
})}
${ctx.sandbox && conn?.status !== 'connected' ? sandboxHint(ctx.sandbox) : ''}
${ctx.tryIt && ctx.sandbox && conn?.status === 'connected' ? tryIt(ctx, conn, pageUser.csrf) : ''}
${user.role === 'admin' ? await teamTable(ctx, user.workspaceId) : ''}`;
  return layout('Integrations', pageUser, '/integrations', body);
}

function tryIt(ctx: WebContext, conn: Connection, csrf: string): Html {
  return html`<h2 id="try-it-title">Try it</h2>
${tryItPanel(ctx.tryIt?.samples ?? [], csrf, conn.settings, {
  orgUrl: ctx.sandbox && conn.zohoOrg ? sandboxOrgUrl(ctx.sandbox.url, conn.zohoOrg.id) : undefined,
})}`;
}

/**
 * Where a newcomer finds what the integration wrote: the sandbox's front page lists its orgs,
 * and each org's page shows its records and the latest API calls it received
 * (sandbox/views/records.ts).
 */
function sandboxHint(sandbox: NonNullable<WebContext['sandbox']>): Html {
  const accounts = sandbox.accounts.map((a, i) => html`${i ? ' or ' : ''}<code>${a.email}</code> (${a.org})`);
  return html`<div class="notice" id="sandbox-hint">Sandbox mode: Connect opens the bundled Zoho sandbox.
${accounts.length ? html`Sign in there as ${accounts}.` : ''}
<a href="${sandbox.url}/__sandbox/">${sandbox.url}/__sandbox/</a> lists the sandbox’s orgs; each org’s page shows its
records and its latest API calls.</div>`;
}

/**
 * Admins: each member's connection. The Zoho account goes under the member, leaving the state
 * column only as wide as its badge; inside a card (whose text may wrap anywhere) a long Zoho
 * address cannot widen the table past a phone's screen.
 */
async function teamTable(ctx: WebContext, workspaceId: string): Promise<Html> {
  const rows = await listWorkspaceConnections(ctx.db, workspaceId);
  return html`<h2 id="team-title">Team connections</h2>
<section class="card" aria-labelledby="team-title"><div class="table-wrap" tabindex="0" role="region" aria-labelledby="team-title"><table id="team-connections"><thead><tr><th scope="col">Member</th><th scope="col">Zoho CRM</th></tr></thead><tbody>
${rows.map((r) => {
  const status = r.connection?.status ?? 'not_connected';
  const zoho = status !== 'not_connected' ? r.connection : undefined;
  return html`<tr><td>${r.member.name} (${r.member.email})${
    zoho?.zohoUser
      ? html`<br><span class="meta">Zoho account ${zoho.zohoUser.email}${zoho.zohoOrg ? ` · ${zoho.zohoOrg.name}` : ''}</span>`
      : ''
  }</td><td>${connectionBadge(status)}</td></tr>`;
})}</tbody></table></div></section>`;
}
