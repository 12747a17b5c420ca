import { describeScope } from '../scopes.ts';
import type { SbClient, SbOrg, SbUser } from '../state.ts';
import { html, page, type Raw } from '../views/html.ts';

export function errorPage(title: string, message: string): string {
  return page(title, html`<h1 class="error">${title}</h1><p>${message}</p>`);
}

function hidden(params: Record<string, string>): Raw[] {
  return Object.entries(params).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
}

export function signInPage(
  action: string,
  params: Record<string, string>,
  users: Array<{ user: SbUser; org: SbOrg }>,
  error?: string,
): string {
  return page(
    'Sign in to Zoho',
    html`<h1>Sign in</h1>
      <p>to continue to the application requesting access to your Zoho CRM.</p>
      ${error ? html`<p class="error">${error}</p>` : ''}
      <form method="post" action="${action}">
        ${hidden(params)}
        <label>Email address<br><input type="email" name="email" autocomplete="username" required list="sandbox-users"></label>
        <datalist id="sandbox-users">${users.map(({ user }) => html`<option value="${user.email}">`)}</datalist>
        <p><button class="primary" type="submit">Sign in</button></p>
      </form>
      <p class="muted">Sandbox users (no password needed):</p>
      <table><tr><th>Email</th><th>Organisation</th><th>Data centre</th><th>Profile</th></tr>
      ${users.map(({ user, org }) => html`<tr><td>${user.email}</td><td>${org.name}</td><td>${org.data_center.toUpperCase()}</td><td>${user.profile}</td></tr>`)}
      </table>`,
  );
}

export function consentPage(
  action: string,
  params: Record<string, string>,
  view: { client: SbClient; user: SbUser; org: SbOrg; scopes: string[] },
): string {
  return page(
    `${view.client.name} would like to access your Zoho account`,
    html`<h1><span id="client-name">${view.client.name}</span> would like to access your Zoho CRM</h1>
      <p>Signed in as <strong id="signed-in-as">${view.user.email}</strong> — ${view.org.name}
        (${view.org.data_center.toUpperCase()} data centre).</p>
      <p>It is asking for permission to:</p>
      <ul class="scopes" id="scopes">
        ${view.scopes.map((s) => html`<li><code>${s}</code> — ${describeScope(s)}</li>`)}
      </ul>
      ${params['access_type'] === 'offline' ? html`<p class="muted">It will keep access while you are not using it (offline access).</p>` : ''}
      ${
        view.org.third_party_apps_blocked
          ? html`<p class="error" id="blocked">Your organization's administrator does not allow third-party applications to access Zoho CRM.</p>
      <form method="post" action="${action}">
        ${hidden(params)}
        <button class="primary" type="submit" name="decision" value="back" id="back">Back to app</button>
      </form>`
          : html`<form method="post" action="${action}">
        ${hidden(params)}
        <button class="primary" type="submit" name="decision" value="accept">Accept</button>
        <button type="submit" name="decision" value="deny">Deny</button>
      </form>`
      }`,
  );
}
