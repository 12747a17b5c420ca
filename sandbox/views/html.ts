/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A tagged template whose interpolations are escaped unless wrapped in `raw()`. */
export class Raw {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
}
export const raw = (html: string) => new Raw(html);

export function html(strings: TemplateStringsArray, ...values: unknown[]): Raw {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    const part = Array.isArray(v)
      ? v.map((x) => (x instanceof Raw ? x.html : esc(x))).join('')
      : v instanceof Raw
        ? v.html
        : esc(v);
    out += part + (strings[i + 1] ?? '');
  });
  return new Raw(out);
}

/**
 * Contrast: every text colour here reaches 4.5:1 on its background (white on the header's red
 * 6.6:1, on the primary button's blue 5.6:1; the muted grey 5.2:1 on white). At narrow widths
 * the main column takes the whole width and wide tables scroll inside their own box.
 */
const style = `
  * { box-sizing: border-box; }
  body { font-family: system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1f2933; line-height: 1.45; }
  .skip { position: absolute; left: -9999px; }
  .skip:focus { left: 8px; top: 8px; background: #fff; color: #1f2933; padding: 6px 10px; z-index: 1; }
  header { background: #b71c1c; color: #fff; padding: 10px 24px; display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 10px; }
  header a { color: #fff; font-weight: 600; text-decoration: none; }
  header a:hover, header a:focus { text-decoration: underline; }
  header span { font-size: 14px; }
  main { max-width: 1160px; margin: 24px auto; background: #fff; padding: 24px 32px; border-radius: 6px; box-shadow: 0 1px 3px #0002; }
  h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 16px; }
  h2 { font-size: 1.3rem; margin: 28px 0 8px; }
  h3 { font-size: 1.05rem; margin: 20px 0 6px; }
  main h1, main p, main li, main dd { overflow-wrap: anywhere; }
  a { color: #1558b0; }
  .table-scroll { overflow-x: auto; max-width: 100%; margin: 8px 0 24px; }
  .table-scroll:focus-visible { outline: 2px solid #1558b0; outline-offset: 2px; }
  table { border-collapse: collapse; width: 100%; font-size: 14px; }
  th, td { border-bottom: 1px solid #e4e7eb; padding: 6px 8px; text-align: left; vertical-align: top; }
  th { background: #f0f2f5; }
  td.long { min-width: 12em; }
  .pre { white-space: pre-wrap; }
  td.nowrap { white-space: nowrap; }
  td.wrap { overflow-wrap: anywhere; min-width: 12em; }
  button { font: inherit; font-size: 15px; padding: 8px 18px; border-radius: 4px; border: 1px solid #616e7c; background: #fff; color: #1f2933; cursor: pointer; }
  button.primary { background: #1765cc; border-color: #1765cc; color: #fff; }
  button:focus-visible, a:focus-visible, input:focus-visible { outline: 2px solid #1558b0; outline-offset: 2px; }
  .actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 16px 0 0; }
  label { display: block; font-weight: 600; margin: 0 0 4px; }
  input[type=email], input[type=text] { font: inherit; font-size: 15px; padding: 7px; width: 320px; max-width: 100%; border: 1px solid #616e7c; border-radius: 4px; }
  .account { border: 1px solid #e4e7eb; border-radius: 6px; padding: 12px 16px; margin: 0 0 16px; background: #f8f9fb; }
  .account p { margin: 0 0 6px; }
  .account form { margin: 8px 0 0; }
  .notice { border-left: 4px solid #1765cc; background: #eef4fc; padding: 10px 14px; margin: 0 0 16px; }
  .muted { color: #616e7c; font-size: 13px; }
  .error { color: #b42318; }
  code { background: #f0f2f5; padding: 1px 4px; border-radius: 3px; }
  ul.scopes li { margin: 4px 0; }
  @media (max-width: 640px) {
    header { padding: 10px 16px; }
    main { margin: 0; padding: 20px 16px; border-radius: 0; box-shadow: none; }
    h1 { font-size: 1.45rem; }
  }
`;

/** A wide table in a box of its own that scrolls sideways, reachable and named for keyboards. */
export function scrollTable(label: string, table: Raw): Raw {
  return html`<div class="table-scroll" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}

export function page(title: string, body: Raw): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${style}</style></head>
<body><a class="skip" href="#main">Skip to content</a><header><a href="/__sandbox/">Zoho sandbox</a><span>an emulator of Zoho Accounts and the CRM API for local development and tests</span></header><main id="main">${body.html}</main></body></html>`;
}

/** What went wrong, in the sandbox's layout; the status stays the HTTP answer's. */
export function problemPage(title: string, text: string | Raw, tone: 'error' | 'plain' = 'plain'): string {
  return page(
    `${title} — Zoho sandbox`,
    html`<h1 id="problem"${tone === 'error' ? html` class="error"` : ''}>${title}</h1><p>${text}</p>
      <p><a href="/__sandbox/">Go to the sandbox home</a></p>`,
  );
}
