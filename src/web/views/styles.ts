/**
 * The design system of the pages: one small stylesheet, inline (no build step, no scripts).
 * Tokens first; components (card, badge, button, notice, empty state, filters, tables) next;
 * then the narrow layout, where the sidebar becomes a top bar and nothing scrolls sideways.
 * Colours meet WCAG AA contrast on their backgrounds; state is always said in words as well.
 */
export const styles = `
:root{--ink:#1f2328;--muted:#57606a;--line:#d8dee4;--bg:#f6f7f9;--card:#fff;--brand:#0b5cad;--brand-ink:#fff;
--ok:#116329;--ok-bg:#dafbe1;--warn:#7d4e00;--warn-bg:#fff8c5;--bad:#a40e26;--bad-bg:#ffebe9;--info:#0a4d8c;--info-bg:#ddf4ff;
--neutral:#424a53;--neutral-bg:#eaeef2;--radius:8px}
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--brand)}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #6cb6ff;outline-offset:2px}
img,svg{max-width:100%}code{background:#eef1f4;padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
.frame{display:flex;min-height:100vh}
.sidebar{flex:0 0 210px;background:#1d2330;color:#fff;padding:20px 0}
.brand{font-weight:700;padding:0 20px 16px;display:flex;align-items:center;gap:8px;color:#fff;text-decoration:none}
.logo{display:inline-block;width:22px;height:22px;background:url(/favicon.svg) center/contain no-repeat;flex:none}
.sidebar ul{list-style:none;margin:0;padding:0}
.sidebar a.nav{display:block;padding:8px 20px;color:#d6dde9;text-decoration:none;border-left:3px solid transparent}
.sidebar a.nav:hover{background:#262e3d;color:#fff}
.sidebar a.nav[aria-current]{background:#2e3747;color:#fff;border-left-color:#6cb6ff;font-weight:600}
.main{flex:1;min-width:0}
.topbar{display:flex;justify-content:flex-end;flex-wrap:wrap;gap:4px 16px;align-items:center;padding:10px 24px;background:#fff;border-bottom:1px solid var(--line)}
.topbar .who{color:var(--muted);overflow-wrap:anywhere}
main{padding:24px;max-width:960px}
h1{font-size:24px;line-height:1.25;margin:0 0 8px}.lede{color:var(--muted);margin:0 0 20px}
h2{font-size:16px;margin:28px 0 10px;color:var(--ink)}h3{font-size:17px;margin:0 0 6px}
p{margin:0 0 10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:18px 20px;margin-bottom:14px;overflow-wrap:anywhere}
.card-head{display:flex;flex-wrap:wrap;align-items:flex-start;justify-content:space-between;gap:6px 12px;margin-bottom:6px}
.card-head h3{margin:0}
.meta{color:var(--muted);font-size:13px;margin:0 0 8px}
.hint{color:var(--muted);font-size:13px}
.badge{display:inline-flex;align-items:center;gap:4px;border-radius:999px;padding:1px 10px;font-size:13px;font-weight:600;line-height:1.6;white-space:nowrap;overflow-wrap:normal;border:1px solid transparent}
.badge::before{content:"";width:8px;height:8px;border-radius:50%;background:currentColor;flex:none}
.badge.ok{color:var(--ok);background:var(--ok-bg);border-color:#aceebb}
.badge.progress{color:var(--info);background:var(--info-bg);border-color:#b6e3ff}
.badge.waiting{color:var(--warn);background:var(--warn-bg);border-color:#f2d96b}
.badge.failed{color:var(--bad);background:var(--bad-bg);border-color:#ffcecb}
.badge.skipped,.badge.neutral{color:var(--neutral);background:var(--neutral-bg);border-color:#d0d7de}
.status{font-weight:600}
.notice{background:var(--info-bg);border:1px solid #9ec5f5;border-radius:6px;padding:10px 12px;margin-bottom:16px}
.problem{background:var(--bad-bg);border:1px solid #ffcecb;border-radius:6px;padding:10px 12px;margin:12px 0}
.problem.warn{background:var(--warn-bg);border-color:#f2d96b}
.button,button{display:inline-block;background:var(--brand);color:var(--brand-ink);border:1px solid var(--brand);border-radius:6px;padding:8px 14px;font:inherit;font-weight:600;line-height:1.3;cursor:pointer;text-decoration:none;text-align:center}
.button:hover,button:hover{filter:brightness(1.08)}
.button.secondary,button.secondary{background:#fff;color:var(--ink);border-color:#c4ccd4}
.button.danger,button.danger{background:#b42318;border-color:#b42318;color:#fff}
button.link,.button.link{background:none;border:0;color:var(--brand);padding:0;font-weight:400;text-decoration:underline}
.actions{display:flex;gap:8px;margin-top:12px;flex-wrap:wrap;align-items:center}.actions form{margin:0}
fieldset{border:1px solid var(--line);border-radius:6px;margin:12px 0;min-width:0}legend{font-weight:600;padding:0 4px}
label{display:block;margin:4px 0}
input[type=text],input[type=email],input[type=datetime-local],input[type=url],select,textarea{font:inherit;padding:6px 8px;border:1px solid #c4ccd4;border-radius:6px;max-width:100%;background:#fff;color:var(--ink)}
input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border-color:var(--bad);box-shadow:0 0 0 1px var(--bad)}
.field-error{color:var(--bad);font-size:13px;font-weight:600;margin:2px 0 8px}
#internal_domains{width:28em}
.choices{margin-left:24px}
.table-wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;background:#fff}td,th{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 16px;margin:8px 0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
.center{max-width:520px;margin:48px auto;padding:0 16px}
.brand.solo{color:var(--ink);justify-content:center;padding:0 0 14px;font-size:18px}
ul.people{list-style:none;padding:0;margin:0}ul.people li{padding:10px 0;border-top:1px solid var(--line)}ul.people .meta{display:block;margin:4px 0 0}
.empty{background:var(--card);border:1px dashed #c4ccd4;border-radius:var(--radius);padding:28px 24px;text-align:center;margin-bottom:16px}
.empty h2{margin:0 0 6px;font-size:18px}.empty p{color:var(--muted);margin:0 auto 14px;max-width:520px}
.filters{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 16px;padding:0;list-style:none}
.filters a{display:inline-block;padding:4px 12px;border:1px solid #c4ccd4;border-radius:999px;text-decoration:none;color:var(--ink);background:#fff;font-size:14px}
.filters a[aria-current]{background:var(--ink);border-color:var(--ink);color:#fff}
.counts{display:flex;flex-wrap:wrap;gap:6px 18px;margin:8px 0;padding:0;list-style:none}.counts strong{font-size:18px}
details.more{margin-top:8px;font-size:13px;color:var(--muted)}details.more summary{cursor:pointer}
.stage-change{display:flex;flex-wrap:wrap;align-items:center;gap:6px}.stage{display:inline-block;background:var(--neutral-bg);border-radius:6px;padding:1px 8px;font-weight:600}
.stage.to{background:var(--ok-bg);color:var(--ok)}.arrow{color:var(--muted)}
.evidence q{font-style:italic}
ul.entries{padding-left:20px;margin:8px 0}
@media (max-width:720px){
.frame{flex-direction:column}
.sidebar{flex:none;display:flex;flex-wrap:wrap;align-items:center;gap:0 8px;padding:8px 12px}
.brand{padding:4px 8px 4px 0}
.sidebar ul{display:flex;flex-wrap:wrap;gap:2px}
.sidebar a.nav{padding:6px 10px;border-left:0;border-radius:6px}
.sidebar a.nav[aria-current]{border-left:0}
.topbar{justify-content:space-between;padding:8px 12px}
main{padding:16px 12px}
h1{font-size:21px}
.card{padding:14px}
dl{grid-template-columns:minmax(0,1fr)}dt{font-size:13px}dd{margin-bottom:6px}
input[type=text],input[type=email],select{width:100%}
}
`;
