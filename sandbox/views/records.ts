import type { FastifyInstance } from 'fastify';
import { orgOr404 } from '../admin/common.ts';
import type { SandboxCore } from '../core.ts';
import { renderRecord } from '../crm/render.ts';
import { findModule, type ModuleName, moduleNames } from '../modules.ts';
import type { SbOrg } from '../state.ts';
import { registerHome } from './home.ts';
import { html, page, problemPage, type Raw, scrollTable } from './html.ts';

/** A person's view of what the integration wrote: orgs, their records, the calls received. */

/** How many of an org's calls its page lists, newest first (the admin API has every call). */
export const LATEST_CALLS_SHOWN = 50;

const columns: Record<ModuleName, string[]> = {
  Contacts: ['First_Name', 'Last_Name', 'Email', 'Phone', 'Description'],
  Leads: ['First_Name', 'Last_Name', 'Company', 'Email', 'Phone'],
  Notes: ['Note_Title', 'Parent_Id', 'Note_Content'],
  Tasks: ['Subject', 'Priority', 'Status', 'Due_Date', 'Who_Id', 'What_Id'],
  Deals: ['Deal_Name', 'Pipeline', 'Stage', 'Amount', 'Contact_Name'],
  Accounts: ['Account_Name', 'Phone', 'Website', 'Industry'],
  Events: ['Event_Title', 'Start_DateTime', 'End_DateTime', 'Venue', 'Who_Id', 'What_Id', 'Participants'],
};

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Events' Participants: who takes part, by name or address.
  if (Array.isArray(value))
    return value.map((p: { name?: unknown; Email?: unknown }) => String(p.name ?? p.Email ?? '')).join(', ');
  if (typeof value === 'object') return String((value as { name?: unknown }).name ?? JSON.stringify(value));
  const s = String(value);
  return s.length > 160 ? `${s.slice(0, 157)}…` : s;
}

/** Free text gets room to wrap instead of a column one word wide; a phone number stays whole. */
const longColumns = new Set(['Description', 'Note_Content']);
const cellClass = (column: string) =>
  longColumns.has(column) ? html` class="long"` : column === 'Phone' ? html` class="nowrap"` : '';

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
        : scrollTable(
            module,
            html`<table><tr><th scope="col">Id</th>${columns[module].map((c) => html`<th scope="col">${c}</th>`)}<th scope="col">Created</th></tr>
    ${rows.map((r) => {
      const rec = renderRecord(core, org, module, r);
      return html`<tr><td>${link(org, module, r.id, r.id)}</td>${columns[module].map((c) => html`<td${cellClass(c)}>${cell(rec[c])}</td>`)}<td>${cell(rec['Created_Time'])}</td></tr>`;
    })}</table>`,
          )
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
    ${scrollTable(
      'Converted, merged away or deleted',
      html`<table><tr><th scope="col">Module</th><th scope="col">Id</th><th scope="col">Name</th><th scope="col">What happened</th><th scope="col">Into</th><th scope="col">When</th></tr>
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
      return html`<tr><td>${module}</td><td>${r.id}</td><td>${name}</td><td>${r.removed.reason}</td><td>${into(r.removed.into)}</td><td class="nowrap">${new Date(r.removed.at_ms).toISOString()}</td></tr>`;
    })}</table>`,
    )}`;
}

function callsTable(core: SandboxCore, org: SbOrg): Raw {
  const calls = (core.state.calls[org.id] ?? []).slice(-LATEST_CALLS_SHOWN).reverse();
  return html`<h2 id="calls">Latest calls</h2>
    <p class="muted">The latest ${LATEST_CALLS_SHOWN} calls this org received (CRM API and token endpoint), newest first; every call: <code>GET /__sandbox/orgs/${org.id}/calls</code>.</p>
    ${
      calls.length === 0
        ? html`<p class="muted">None yet.</p>`
        : scrollTable(
            'Latest calls',
            html`<table><tr><th scope="col">At</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th><th scope="col">Code</th></tr>
        ${calls.map((c) => html`<tr><td class="nowrap">${c.at}</td><td>${c.method}</td><td>${c.path}</td><td>${c.status}</td><td>${c.code ?? ''}</td></tr>`)}</table>`,
          )
    }`;
}

function recordNotFound(org: SbOrg, module: string, id: string): string {
  return problemPage(
    'Record not found',
    html`No ${module} record <code>${id}</code> in ${org.name}: it may have been converted, merged away or deleted. <a href="/__sandbox/orgs/${org.id}/view">See ${org.name}’s records</a>.`,
  );
}

export function registerViews(app: FastifyInstance, core: SandboxCore): void {
  registerHome(app, core);

  app.get('/__sandbox/orgs/:org_id/view', (req, reply) => {
    const org = orgOr404(core, (req.params as Record<string, string>)['org_id']);
    return reply.type('text/html').send(
      page(
        `${org.name} — Zoho sandbox`,
        html`<p><a href="/__sandbox/">← All orgs</a></p><h1>${org.name}</h1>
        <p class="muted">${org.edition} edition · ${org.data_center.toUpperCase()} data centre · org id ${org.id}</p>
        ${moduleNames.map((m) => moduleTable(core, org, m))}
        ${goneTable(core, org)}
        ${callsTable(core, org)}`,
      ),
    );
  });

  app.get('/__sandbox/orgs/:org_id/view/:module/:id', (req, reply) => {
    const p = req.params as Record<string, string>;
    const org = orgOr404(core, p['org_id']);
    const module = findModule(p['module'] ?? '');
    const rec = module ? core.state.records[org.id]?.[module]?.[p['id'] ?? ''] : undefined;
    if (!module || !rec)
      return reply
        .code(404)
        .type('text/html')
        .send(recordNotFound(org, module ?? p['module'] ?? '', p['id'] ?? ''));
    const rendered = renderRecord(core, org, module, rec);
    const notes = Object.values(core.state.records[org.id]?.Notes ?? {}).filter(
      (n) => (n.fields['Parent_Id'] as { id?: string } | undefined)?.id === rec.id,
    );
    return reply.type('text/html').send(
      page(
        `${module} ${rec.id}`,
        html`<p><a href="/__sandbox/orgs/${org.id}/view">← ${org.name}</a></p><h1>${module.slice(0, -1)} ${rec.id}</h1>
        ${scrollTable(
          `${module.slice(0, -1)} ${rec.id}`,
          html`<table>${Object.entries(rendered).map(([k, v]) => html`<tr><th scope="row">${k}</th><td class="pre wrap">${typeof v === 'object' && v !== null ? JSON.stringify(v) : cell(v)}</td></tr>`)}</table>`,
        )}
        ${notes.length ? html`<h2>Notes</h2>${notes.map((n) => html`<h3>${link(org, 'Notes', n.id, String(n.fields['Note_Title'] ?? '(untitled)'))}</h3><p class="pre">${String(n.fields['Note_Content'] ?? '')}</p>`)}` : ''}`,
      ),
    );
  });
}
