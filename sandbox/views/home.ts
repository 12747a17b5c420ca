import type { FastifyInstance } from 'fastify';
import { type Account, sessionUser, signOutPath } from '../accounts/session.ts';
import type { SandboxCore } from '../core.ts';
import { dataCenters } from '../dc.ts';
import { creditsPerDay, creditsUsed } from '../limits.ts';
import { fullName } from '../orgs.ts';
import { html, page, type Raw, scrollTable } from './html.ts';

/** Who this browser is signed in as at the accounts servers, and the way to sign out. */
function browserSession(current: Account | undefined): Raw {
  return html`<h2 id="browser-session">This browser</h2>
    ${
      current
        ? html`<p id="current-session">Signed in to the sandbox’s accounts servers as ${fullName(current.user)} (${current.user.email}) — ${current.org.name}, ${current.org.data_center.toUpperCase()} data centre. The next application asking for access will show its consent page to this user.</p>
      <form method="post" action="${signOutPath(current.org.data_center)}"><button type="submit" id="sign-out">Sign out</button></form>`
        : html`<p id="current-session">No sandbox user is signed in in this browser: an application asking for access starts at the sign-in page.</p>`
    }`;
}

function orgsTable(core: SandboxCore): Raw {
  const orgs = Object.values(core.state.orgs);
  if (orgs.length === 0)
    return html`<p class="muted">No org yet: create one with <code>POST /__sandbox/orgs</code>.</p>`;
  return scrollTable(
    'Organisations',
    html`<table><tr><th scope="col">Org</th><th scope="col">Edition</th><th scope="col">DC</th><th scope="col">Users</th><th scope="col">Credits used</th><th scope="col">API domain</th></tr>
        ${orgs.map(
          (
            o,
          ) => html`<tr><td><a href="/__sandbox/orgs/${o.id}/view">${o.name}</a> <span class="muted">${o.id}</span></td><td>${o.edition}${o.api_access ? '' : ' (no API access)'}</td>
          <td>${o.data_center.toUpperCase()}</td><td>${o.users.map((id) => core.state.users[id]?.email).join(', ')}</td>
          <td>${creditsUsed(core, o.id)} / ${creditsPerDay(o)}</td><td><code>${core.apiDomain(o.data_center)}</code></td></tr>`,
        )}</table>`,
  );
}

/** The sandbox's home: its clock, the orgs (each links to its records and calls), the data centres. */
export function registerHome(app: FastifyInstance, core: SandboxCore): void {
  app.get('/__sandbox', (_req, reply) => reply.redirect('/__sandbox/', 302));
  app.get('/__sandbox/', (req, reply) =>
    reply.type('text/html').send(
      page(
        'Zoho sandbox',
        html`<h1>Zoho sandbox</h1>
        <p>Sandbox clock: <code>${new Date(core.now()).toISOString()}</code></p>
        <h2>Organisations</h2>
        <p class="muted">Each org’s page lists its records and the latest calls it received.</p>
        ${orgsTable(core)}
        ${browserSession(sessionUser(core, req))}
        <h2>Data centres</h2>
        ${scrollTable(
          'Data centres',
          html`<table><tr><th scope="col">DC</th><th scope="col">Accounts server</th><th scope="col">API domain</th></tr>
        ${dataCenters.map((dc) => html`<tr><td>${dc.toUpperCase()}</td><td><code>${core.accountsUrl(dc)}</code></td><td><code>${core.apiDomain(dc)}</code></td></tr>`)}</table>`,
        )}`,
      ),
    ),
  );
}
