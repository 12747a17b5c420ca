import type { FastifyInstance } from 'fastify';
import { type ConnectionStatus, findConnection } from '../../connections/repo.ts';
import { meetingScopes, zohoScopes } from '../../connections/scopes.ts';
import type { WebContext } from '../context.ts';
import { type Html, html } from '../views/html.ts';
import { layout } from '../views/layout.ts';
import { PERMISSIONS_PATH } from '../views/zoho-card.ts';

/**
 * "Data we access" (docs/PERMISSIONS.md, inside the app): what connecting Zoho CRM lets PepoSmart
 * do, readable before connecting. The permissions, and what the page says follows from them
 * (what is read, what is written, which modules, that nothing can be deleted), come from the
 * scope list the connect flow asks Zoho for (connections/scopes.ts), so the page cannot promise
 * other than what is requested.
 */
type Scope = { scope: string; why: string };
/** Everything PepoSmart may ever hold: the scopes asked for at connect, and Meetings' optional ones. */
const everyScope: readonly Scope[] = [...zohoScopes, ...meetingScopes];

/** Zoho scopes end in their operation: READ, CREATE, UPDATE, DELETE or ALL. */
const operation = (s: Scope) => s.scope.slice(s.scope.lastIndexOf('.') + 1);
const reads = zohoScopes.filter((s) => operation(s) === 'READ');
const writes = zohoScopes.filter((s) => operation(s) !== 'READ');
/** `ZohoCRM.modules.deals.READ` → `Deals`: the CRM modules any requested scope reaches. */
const modules = [
  ...new Set(
    everyScope.flatMap((s) => {
      const m = /^ZohoCRM\.modules\.(\w+)\./.exec(s.scope)?.[1];
      // Zoho's Events module is labelled Meetings in its CRM.
      return m ? [m === 'events' ? 'Meetings' : m[0]!.toUpperCase() + m.slice(1)] : [];
    }),
  ),
];
const canDelete = everyScope.some((s) => ['DELETE', 'ALL'].includes(operation(s)));

const scopeList = (id: string, scopes: readonly Scope[]): Html =>
  html`<dl class="scopes" id="${id}">${scopes.map((s) => html`<dt><code>${s.scope}</code></dt><dd>${s.why}</dd>`)}</dl>`;

const listAnd = (items: readonly string[]) =>
  items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? '');

function never(): Html {
  return html`<ul class="entries" id="permissions-never">
  ${canDelete ? '' : html`<li>Delete anything in your CRM: none of these permissions allows it.</li>`}
  <li>Read or write any CRM module other than ${listAnd(modules)}.</li>
  <li>Change a deal’s stage without you: only a suggestion you approve does, and only while the deal is still
  at the stage the suggestion was made from.</li>
  <li>See your Zoho password: you sign in on Zoho’s own page, and PepoSmart receives only tokens.</li>
</ul>`;
}

const body = (status: ConnectionStatus): Html => html`<h1>Data we access</h1>
<p class="lede">When you connect Zoho CRM, PepoSmart asks Zoho for the ${zohoScopes.length} permissions below, and only
these — plus ${meetingScopes.length} more only if you turn on Meetings (below). Each is the narrowest Zoho offers for
what it is used for: read or create on one module, read-only search, never “all modules” or “all operations”. Zoho
lists them again on its consent page before you accept.</p>

<h2>What PepoSmart reads</h2>
<section class="card" aria-label="What PepoSmart reads">${scopeList('permissions-read', reads)}
<p class="meta">To suggest a deal stage, the deal’s pipeline stages and its current stage go to the meeting
analyser with the transcript (OpenAI, where your PepoSmart administrator set it up; otherwise an analyser inside
PepoSmart).</p></section>

<h2>What PepoSmart writes</h2>
<section class="card" aria-label="What PepoSmart writes">${scopeList('permissions-write', writes)}</section>

<h2>Only if you turn on Meetings</h2>
<section class="card" aria-label="Only if you turn on Meetings"><p class="meta">Off by default. Turning on
<em>Add meetings to Zoho CRM's calendar</em> on the Zoho CRM card takes you through Zoho’s consent once more for
these; until then PepoSmart does not have them.</p>${scopeList('permissions-optional', meetingScopes)}</section>

<h2>What PepoSmart never does</h2>
<section class="card" aria-label="What PepoSmart never does">${never()}</section>

<h2>What PepoSmart stores</h2>
<section class="card" aria-label="What PepoSmart stores"><ul class="entries">
  <li>Your Zoho refresh and access tokens, encrypted (AES-256-GCM) with a key held outside the database.
  Disconnecting deletes them at once and revokes them at Zoho.</li>
  <li>The connected Zoho user’s id, name and email, the organization’s id and name, and its data centre, to show
  on the Integrations page and to set record owners.</li>
  <li>References to the records PepoSmart created or updated in Zoho (ids only), so nothing is done twice.</li>
</ul></section>

<h2>When you disconnect</h2>
<p>Records PepoSmart wrote to Zoho CRM stay in your CRM; delete them in Zoho if you no longer want them. You can
also revoke PepoSmart’s access from Zoho itself (Zoho Accounts → Connected Apps): the Integrations page then shows
“Reconnect needed”.</p>

<div class="actions">${
  status === 'connected'
    ? html`<a class="button secondary" href="/integrations">Back to Integrations</a>`
    : html`<a class="button" id="permissions-connect" href="/integrations/zoho/connect">${
        status === 'reconnect_needed' ? 'Reconnect Zoho CRM' : 'Connect Zoho CRM'
      }</a>
<a href="/integrations">Back to Integrations</a>`
}</div>`;

/** `/integrations/zoho/permissions`: signed-in users, connected or not. */
export function registerPermissionsPage(app: FastifyInstance, ctx: WebContext) {
  app.get(PERMISSIONS_PATH, { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const user = req.user!;
    const conn = await findConnection(ctx.db, user.workspaceId, user.id);
    const page = layout(
      'Data we access',
      ctx.auth.pageUser(req),
      '/integrations',
      body(conn?.status ?? 'not_connected'),
    );
    return reply.type('text/html').send(page);
  });
}
