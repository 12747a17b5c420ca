import { type Html, html } from './html.ts';
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

/** The frame of every signed-in page: sidebar, who is signed in, sign out. */
export function layout(title: string, user: PageUser, active: string, body: Html): string {
  return page(
    title,
    html`<div class="frame">
  <nav class="sidebar" aria-label="Main">
    <div class="brand">PepoSmart</div>
    <ul>${nav.map((n) => html`<li><a href="${n.href}"${n.href === active ? html` aria-current="page"` : ''}>${n.label}</a></li>`)}</ul>
  </nav>
  <div class="main">
    <header class="topbar">
      <span id="signed-in-as">${user.name} · ${user.workspaceName}${user.role === 'admin' ? ' (admin)' : ''}</span>
      <form method="post" action="/signout"><input type="hidden" name="_csrf" value="${user.csrf}"><button type="submit" class="link">Sign out</button></form>
    </header>
    <main>${body}</main>
  </div>
</div>`,
  );
}

export function page(title: string, body: Html): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html`${title}`} · PepoSmart</title><style>${styles}</style></head>
<body>${body}</body></html>`;
}
