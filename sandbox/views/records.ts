import type { FastifyInstance } from 'fastify';
import { orgOr404 } from '../admin/common.ts';
import type { SandboxCore } from '../core.ts';
import { renderRecord } from '../crm/render.ts';
import { dataCenters } from '../dc.ts';
import { creditsPerDay, creditsUsed } from '../limits.ts';
import { findModule, type ModuleName, moduleNames } from '../modules.ts';
import type { SbOrg } from '../state.ts';
import { html, page, type Raw } from './html.ts';

/** A person's view of what the integration wrote: orgs, their records, the calls received. */
const columns: Record<ModuleName, string[]> = {
  Contacts: ['First_Name', 'Last_Name', 'Email', 'Phone', 'Description'],
  Leads: ['First_Name', 'Last_Name', 'Company', 'Email', 'Phone'],
  Notes: ['Note_Title', 'Parent_Id', 'Note_Content'],
  Tasks: ['Subject', 'Priority', 'Status', 'Due_Date', 'Who_Id', 'What_Id'],
  Deals: ['Deal_Name', 'Pipeline', 'Stage', 'Amount', 'Contact_Name'],
  Accounts: ['Account_Name', 'Phone', 'Website', 'Industry'],
};

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return String((value as { name?: unknown }).name ?? JSON.stringify(value));
  const s = String(value);
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
}

const link = (org: SbOrg, module: string, id: string, text: string) =>
  html`<a href="/__sandbox/orgs/${org.id}/view/${module}/${id}">${text}</a>`;

function moduleTable(core: SandboxCore, org: SbOrg, module: ModuleName): Raw {
  const rows = Object.values(core.state.records[org.id]?.[module] ?? {}).sort(
    (a, b) => b.created_ms - a.created_ms,
  );
  return html`<h2 id="${module}">${module} <small class="muted">(${rows.length})</small></h2>
    ${
      rows.length === 0
        ? html`<p class="muted">None yet.</p>`
        : html`<table><tr><th>Id</th>${columns[module].map((c) => html`<th>${c}</th>`)}<th>Created</th></tr>
    ${rows.map((r) => {
      const rec = renderRecord(core, org, module, r);
      return html`<tr><td>${link(org, module, r.id, r.id)}</td>${columns[module].map((c) => html`<td>${cell(rec[c])}</td>`)}<td>${cell(rec['Created_Time'])}</td></tr>`;
    })}</table>`
    }`;
}

/** Converted Leads and the recycle bin: what a person did to records behind the API's back. */
function goneTable(core: SandboxCore, org: SbOrg): Raw | string {
  const byModule = core.state.removed_records?.[org.id] ?? {};
  const rows = moduleNames.flatMap((m) => Object.values(byModule[m] ?? {}).map((r) => ({ module: m, r })));
  if (rows.length === 0) return '';
  rows.sort((a, b) => b.r.removed.at_ms - a.r.removed.at_ms);
  const into = (i: Partial<Record<string, string | null>> | undefined) =>
    Object.entries(i ?? {})
      .filter(([, id]) => id)
      .map(([m, id]) => `${m} ${id}`)
      .join(', ');
  return html`<h2 id="gone">Converted, merged away or deleted <small class="muted">(${rows.length})</small></h2>
    <table><tr><th>Module</th><th>Id</th><th>Name</th><th>What happened</th><th>Into</th><th>When</th></tr>
    ${rows.map(({ module, r }) => {
      const name = [
        r.fields['First_Name'],
        r.fields['Last_Name'] ??
          r.fields['Deal_Name'] ??
          r.fields['Account_Name'] ??
          r.fields['Subject'] ??
          r.fields['Note_Title'],
      ]
        .filter(Boolean)
        .join(' ');
      return html`<tr><td>${module}</td><td>${r.id}</td><td>${name}</td><td>${r.removed.reason}</td><td>${into(r.removed.into)}</td><td>${new Date(r.removed.at_ms).toISOString()}</td></tr>`;
    })}</table>`;
}

export function registerViews(app: FastifyInstance, core: SandboxCore): void {
  app.get('/__sandbox', (_req, reply) => reply.redirect('/__sandbox/', 302));
  app.get('/__sandbox/', (_req, reply) => {
    const orgs = Object.values(core.state.orgs);
    return reply.type('text/html').send(
      page(
        'Zoho sandbox',
        html`<h1>Zoho sandbox</h1>
        <p>Sandbox clock: <code>${new Date(core.now()).toISOString()}</code></p>
        <h2>Organisations</h2>
        ${orgs.length === 0 ? html`<p class="muted">No org yet: create one with <code>POST /__sandbox/orgs</code>.</p>` : ''}
        <table><tr><th>Org</th><th>Edition</th><th>DC</th><th>Users</th><th>Credits used</th><th>API domain</th></tr>
        ${orgs.map(
          (
            o,
          ) => html`<tr><td><a href="/__sandbox/orgs/${o.id}/view">${o.name}</a> <span class="muted">${o.id}</span></td><td>${o.edition}${o.api_access ? '' : ' (no API access)'}</td>
          <td>${o.data_center.toUpperCase()}</td><td>${o.users.map((id) => core.state.users[id]?.email).join(', ')}</td>
          <td>${creditsUsed(core, o.id)} / ${creditsPerDay(o)}</td><td><code>${core.apiDomain(o.data_center)}</code></td></tr>`,
        )}</table>
        <h2>Data centres</h2>
        <table><tr><th>DC</th><th>Accounts server</th><th>API domain</th></tr>
        ${dataCenters.map((dc) => html`<tr><td>${dc.toUpperCase()}</td><td><code>${core.accountsUrl(dc)}</code></td><td><code>${core.apiDomain(dc)}</code></td></tr>`)}</table>`,
      ),
    );
  });

  app.get('/__sandbox/orgs/:org_id/view', (req, reply) => {
    const org = orgOr404(core, (req.params as Record<string, string>)['org_id']);
    const calls = (core.state.calls[org.id] ?? []).slice(-50).reverse();
    return reply.type('text/html').send(
      page(
        `${org.name} — Zoho sandbox`,
        html`<p><a href="/__sandbox/">← all orgs</a></p><h1>${org.name}</h1>
        <p class="muted">${org.edition} edition · ${org.data_center.toUpperCase()} data centre · org id ${org.id}</p>
        ${moduleNames.map((m) => moduleTable(core, org, m))}
        ${goneTable(core, org)}
        <h2>Latest API calls</h2>
        <table><tr><th>At</th><th>Method</th><th>Path</th><th>Status</th><th>Code</th></tr>
        ${calls.map((c) => html`<tr><td>${c.at}</td><td>${c.method}</td><td>${c.path}</td><td>${c.status}</td><td>${c.code ?? ''}</td></tr>`)}</table>`,
      ),
    );
  });

  app.get('/__sandbox/orgs/:org_id/view/:module/:id', (req, reply) => {
    const p = req.params as Record<string, string>;
    const org = orgOr404(core, p['org_id']);
    const module = findModule(p['module'] ?? '');
    const rec = module ? core.state.records[org.id]?.[module]?.[p['id'] ?? ''] : undefined;
    if (!module || !rec)
      return reply.code(404).type('text/html').send(page('Not found', html`<h1>No such record</h1>`));
    const rendered = renderRecord(core, org, module, rec);
    const notes = Object.values(core.state.records[org.id]?.Notes ?? {}).filter(
      (n) => (n.fields['Parent_Id'] as { id?: string } | undefined)?.id === rec.id,
    );
    return reply.type('text/html').send(
      page(
        `${module} ${rec.id}`,
        html`<p><a href="/__sandbox/orgs/${org.id}/view">← ${org.name}</a></p><h1>${module.slice(0, -1)} ${rec.id}</h1>
        <table>${Object.entries(rendered).map(([k, v]) => html`<tr><th>${k}</th><td style="white-space: pre-wrap">${typeof v === 'object' && v !== null ? JSON.stringify(v) : cell(v)}</td></tr>`)}</table>
        ${notes.length ? html`<h2>Notes</h2>${notes.map((n) => html`<h3>${link(org, 'Notes', n.id, String(n.fields['Note_Title'] ?? '(untitled)'))}</h3><p style="white-space: pre-wrap">${String(n.fields['Note_Content'] ?? '')}</p>`)}` : ''}`,
      ),
    );
  });
}
