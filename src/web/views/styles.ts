/** One small stylesheet, inline: the pages have no build step and no scripts. */
export const styles = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#1f2328;background:#f6f7f9}
a{color:#0b63c5}.frame{display:flex;min-height:100vh}
.sidebar{width:210px;background:#1d2330;color:#fff;padding:20px 0}.sidebar .brand{font-weight:700;padding:0 20px 16px}
.sidebar ul{list-style:none;margin:0;padding:0}.sidebar a{display:block;padding:8px 20px;color:#cfd6e4;text-decoration:none}
.sidebar a[aria-current]{background:#2e3747;color:#fff}.main{flex:1}
.topbar{display:flex;justify-content:flex-end;gap:16px;align-items:center;padding:10px 24px;background:#fff;border-bottom:1px solid #e3e6ea}
main{padding:24px;max-width:900px}h1{font-size:22px;margin:0 0 16px}h2{font-size:16px;margin:24px 0 8px;color:#555}
.card{background:#fff;border:1px solid #e3e6ea;border-radius:8px;padding:20px;margin-bottom:16px}
.card h3{margin:0 0 8px;font-size:18px}.status{font-weight:600}.status.connected{color:#1a7f37}
.status.reconnect_needed{color:#b35900}.status.not_connected{color:#57606a}
.hint{color:#57606a;font-size:13px}
.evidence q{font-style:italic}.problem{background:#fff4e5;border:1px solid #f0c36d;border-radius:6px;padding:10px 12px;margin:12px 0}
.notice{background:#e8f3ff;border:1px solid #9ec5f5;border-radius:6px;padding:10px 12px;margin-bottom:16px}
.button,button{display:inline-block;background:#0b63c5;color:#fff;border:0;border-radius:6px;padding:8px 14px;font:inherit;cursor:pointer;text-decoration:none}
.button.secondary,button.secondary{background:#e9edf2;color:#1f2328}.button.danger,button.danger{background:#c62828}
button.link{background:none;color:#0b63c5;padding:0}.actions{display:flex;gap:8px;margin-top:12px;flex-wrap:wrap}
fieldset{border:1px solid #e3e6ea;border-radius:6px;margin:12px 0}label{display:block;margin:4px 0}
table{border-collapse:collapse;width:100%;background:#fff}td,th{text-align:left;padding:6px 10px;border-bottom:1px solid #e3e6ea}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:8px 0}dt{color:#57606a}dd{margin:0}
.center{max-width:480px;margin:60px auto}code{background:#eef1f4;padding:1px 4px;border-radius:4px}
`;
