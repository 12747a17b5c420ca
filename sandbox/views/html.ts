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

const style = `
  body { font-family: system-ui, sans-serif; margin: 0; background: #f4f6f8; color: #1f2933; }
  header { background: #e42527; color: #fff; padding: 10px 24px; font-weight: 600; }
  header small { font-weight: 400; opacity: .85; margin-left: 8px; }
  main { max-width: 980px; margin: 24px auto; background: #fff; padding: 24px 32px; border-radius: 6px; box-shadow: 0 1px 3px #0002; }
  table { border-collapse: collapse; width: 100%; margin: 8px 0 24px; font-size: 14px; }
  th, td { border-bottom: 1px solid #e4e7eb; padding: 6px 8px; text-align: left; vertical-align: top; }
  th { background: #f0f2f5; }
  button { font-size: 15px; padding: 8px 18px; border-radius: 4px; border: 1px solid #9aa5b1; background: #fff; cursor: pointer; }
  button.primary { background: #1a73e8; border-color: #1a73e8; color: #fff; }
  input[type=email], input[type=text] { font-size: 15px; padding: 7px; width: 320px; }
  .muted { color: #616e7c; font-size: 13px; }
  .error { color: #b42318; }
  code { background: #f0f2f5; padding: 1px 4px; border-radius: 3px; }
  ul.scopes li { margin: 4px 0; }
`;

export function page(title: string, body: Raw): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${style}</style></head>
<body><header>Zoho <small>sandbox — an emulator for local development and tests</small></header><main>${body.html}</main></body></html>`;
}
