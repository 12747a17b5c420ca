import { Html, html } from './html.ts';
import { styles } from './styles.ts';

export interface PageUser {
  name: string;
  email: string;
  role: 'admin' | 'member';
  workspaceName: string;
  csrf: string;
}

const nav = [
  { href: '/integrations', label: 'Integrations' },
  { href: '/activity', label: 'Activity' },
  { href: '/suggestions', label: 'Suggestions' },
] as const;

/**
 * The frame of every signed-in page: navigation (a sidebar; a top bar on narrow screens), who
 * is signed in, sign out. `refreshSeconds`: the page reloads itself that often (pages have no
 * scripts; a meta refresh needs none).
 */
export function layout(
  title: string,
  user: PageUser,
  active: string,
  body: Html,
  options: { refreshSeconds?: number } = {},
): string {
  return page(
    title,
    html`<div class="frame">
  <nav class="sidebar" aria-label="Main">
    <a class="brand" href="/integrations">${logo}<span>PepoSmart</span></a>
    <ul>${nav.map((n) => html`<li><a class="nav" href="${n.href}"${n.href === active ? html` aria-current="page"` : ''}>${n.label}</a></li>`)}</ul>
  </nav>
  <div class="main">
    <header class="topbar">
      <span id="signed-in-as" class="who">${user.name} · ${user.workspaceName}${user.role === 'admin' ? ' (admin)' : ''}</span>
      <form method="post" action="/signout"><input type="hidden" name="_csrf" value="${user.csrf}"><button type="submit" class="link">Sign out</button></form>
    </header>
    <main>${body}</main>
  </div>
</div>`,
    options,
  );
}

/** The logo: the favicon's drawing as the mark's background (no markup of its own in the page). */
const logo = new Html('<span class="logo" aria-hidden="true"></span>');

/** A signed-out page's frame: the brand above one centred card, in the page's main landmark. */
export function centered(body: Html, attrs: { id?: string } = {}): Html {
  return html`<main class="center"><p class="brand solo">${logo}<span>PepoSmart</span></p><div class="card"${attrs.id ? html` id="${attrs.id}"` : ''}>${body}</div></main>`;
}

export function page(title: string, body: Html, options: { refreshSeconds?: number } = {}): string {
  const refresh = options.refreshSeconds
    ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${refresh}
<title>${html`${title}`} · PepoSmart</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${styles}</style></head>
<body>${body}</body></html>`;
}
