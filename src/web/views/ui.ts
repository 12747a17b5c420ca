import { type Html, html } from './html.ts';

/**
 * Small building blocks of the pages (styles.ts has their look). State is always written out
 * in words; colour only repeats it.
 */
export type Tone = 'ok' | 'progress' | 'waiting' | 'failed' | 'skipped' | 'neutral';

/** A labelled status badge, e.g. `badge('ok', 'Synced')`. */
export const badge = (tone: Tone, label: string, attrs: { id?: string } = {}): Html =>
  html`<span class="badge ${tone}"${attrs.id ? html` id="${attrs.id}"` : ''}>${label}</span>`;

/** What a page shows when it has nothing yet: what it is for and the next step. */
export function emptyState(options: {
  id: string;
  title: string;
  text: Html | string;
  action?: { href: string; label: string };
}): Html {
  return html`<div class="empty" id="${options.id}"><h2>${options.title}</h2><p>${options.text}</p>${
    options.action ? html`<a class="button" href="${options.action.href}">${options.action.label}</a>` : ''
  }</div>`;
}

/** A timestamp as pages show it: `2026-12-06 21:15 UTC`. */
export const utcMinute = (at: Date): string => `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** The app's mark: a calendar with a tick (inline SVG; the favicon is the same drawing). */
export const logoSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" aria-hidden="true" focusable="false"><rect x="3" y="6" width="26" height="23" rx="5" fill="#0b5cad"/><rect x="3" y="6" width="26" height="7" rx="3" fill="#084482"/><rect x="9" y="2" width="3" height="8" rx="1.5" fill="#6cb6ff"/><rect x="20" y="2" width="3" height="8" rx="1.5" fill="#6cb6ff"/><path d="M10 20.5l4 4 8-8.5" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>';
