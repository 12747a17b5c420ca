import { fullName } from '../orgs.ts';
import { describeScope } from '../scopes.ts';
import type { SbClient, SbOrg, SbUser } from '../state.ts';
import { html, page, problemPage, type Raw, scrollTable } from '../views/html.ts';
import type { Account } from './session.ts';

export function errorPage(title: string, message: string): string {
  return problemPage(title, message, 'error');
}

function hidden(params: Record<string, string>): Raw[] {
  return Object.entries(params).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
}

/** A link to `path` carrying the authorization request: the same request, another step. */
export function withRequest(path: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return query ? `${path}?${query}` : path;
}

const who = (a: Account) =>
  html`${fullName(a.user)} (${a.user.email}) — ${a.org.name}, ${a.org.data_center.toUpperCase()} data centre`;

/** The sign-in step; `current` is who this browser is signed in as, when someone asked "Not you?". */
export function signInPage(
  paths: { action: string; authorize: string },
  params: Record<string, string>,
  users: Account[],
  error?: string,
  current?: Account,
): string {
  return page(
    'Sign in to Zoho',
    html`<h1>Sign in</h1>
      <p>to continue to the application requesting access to your Zoho CRM.</p>
      ${
        current
          ? html`<p class="notice" id="current-session">This browser is signed in as ${who(current)}.
        Sign in below as another sandbox user, or <a id="continue-as" href="${withRequest(paths.authorize, params)}">continue as ${fullName(current.user)}</a>.</p>`
          : ''
      }
      ${error ? html`<p class="error" id="sign-in-error" role="alert">${error}</p>` : ''}
      <form method="post" action="${paths.action}">
        ${hidden(params)}
        <label for="email">Email address</label>
        <input type="email" id="email" name="email" autocomplete="username" required list="sandbox-users"${error ? html` aria-describedby="sign-in-error"` : ''}>
        <datalist id="sandbox-users">${users.map(({ user }) => html`<option value="${user.email}">`)}</datalist>
        <div class="actions"><button class="primary" type="submit">Sign in</button></div>
      </form>
      <h2>Sandbox users</h2>
      <p class="muted">No password needed: type one of these addresses.</p>
      ${scrollTable(
        'Sandbox users',
        html`<table><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Organisation</th><th scope="col">Data centre</th><th scope="col">Profile</th></tr>
      ${users.map(({ user, org }) => html`<tr><td>${user.email}</td><td>${fullName(user)}</td><td>${org.name}</td><td>${org.data_center.toUpperCase()}</td><td>${user.profile}</td></tr>`)}
      </table>`,
      )}`,
  );
}

/**
 * Who is about to grant access, and a way out when it is not them: "Not you?" goes back to
 * the sign-in step of this same request; Sign out ends the browser's session and then asks who
 * is there, for this request too. Both carry the request's parameters unchanged, in their URL:
 * the page's one set of hidden fields stays the decision form's.
 */
function accountBox(paths: { signIn: string; signOut: string }, params: Record<string, string>, a: Account) {
  return html`<div class="account" id="account">
      <p>Signed in as <span id="signed-in-name">${fullName(a.user)}</span> (<strong id="signed-in-as">${a.user.email}</strong>) —
        <a id="not-you" href="${withRequest(paths.signIn, params)}">Not you? Sign in as another user</a></p>
      <p class="muted" id="signed-in-org">${a.org.name} · ${a.org.data_center.toUpperCase()} data centre</p>
      <form method="post" action="${withRequest(paths.signOut, params)}">
        <button type="submit" id="sign-out">Sign out</button>
      </form>
    </div>`;
}

export function consentPage(
  paths: { decision: string; signIn: string; signOut: string },
  params: Record<string, string>,
  view: { client: SbClient; user: SbUser; org: SbOrg; scopes: string[] },
): string {
  return page(
    `${view.client.name} would like to access your Zoho account`,
    html`<h1><span id="client-name">${view.client.name}</span> would like to access your Zoho CRM</h1>
      ${accountBox(paths, params, view)}
      <p>It is asking for permission to:</p>
      <ul class="scopes" id="scopes">
        ${view.scopes.map((s) => html`<li><code>${s}</code> — ${describeScope(s)}</li>`)}
      </ul>
      ${params['access_type'] === 'offline' ? html`<p class="muted">It will keep access while you are not using it (offline access).</p>` : ''}
      ${
        view.org.third_party_apps_blocked
          ? html`<p class="error" id="blocked">Your organization's administrator does not allow third-party applications to access Zoho CRM.</p>
      <form method="post" action="${paths.decision}">
        ${hidden(params)}
        <div class="actions"><button class="primary" type="submit" name="decision" value="back" id="back">Back to app</button></div>
      </form>`
          : html`<form method="post" action="${paths.decision}">
        ${hidden(params)}
        <div class="actions"><button class="primary" type="submit" name="decision" value="accept">Accept</button>
        <button type="submit" name="decision" value="deny">Deny</button></div>
      </form>`
      }`,
  );
}

/** The sign-out page: who is signed in and a button to end it, or that no one is. */
export function signOutPage(action: string, current: Account | undefined): string {
  return current
    ? page(
        'Sign out — Zoho sandbox',
        html`<h1>Sign out of the Zoho sandbox</h1>
        <p id="current-session">This browser is signed in as ${who(current)}.</p>
        <p>Signing out ends this browser's sandbox session: the next application that asks for access will ask who you are. Grants already given stay valid.</p>
        <form method="post" action="${action}"><div class="actions"><button class="primary" type="submit" id="sign-out">Sign out</button></div></form>`,
      )
    : page(
        'Signed out — Zoho sandbox',
        html`<h1 id="signed-out">You are signed out</h1>
        <p>No sandbox user is signed in in this browser: the next application that asks for access will ask who you are.</p>
        <p><a href="/__sandbox/">Go to the sandbox home</a></p>`,
      );
}
