import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SandboxCore } from '../core.ts';
import {
  type Actor,
  convertLead,
  deleteRecord,
  type LifecycleFailure,
  MAX_MERGED,
  mergeableModules,
  mergeRecords,
} from '../crm/lifecycle.ts';
import { findModule, type ModuleName } from '../modules.ts';
import { findUserByEmail } from '../orgs.ts';
import type { SbOrg } from '../state.ts';
import { AdminError, orgOr404, parseBody } from './common.ts';

/**
 * What a person does to records in Zoho's UI, behind an integration's back: convert a Lead,
 * merge duplicates, delete a record. No credits, no call log, and search sees the result at
 * once (the change stands for data that was already there).
 */
const convertSchema = z.object({
  deal: z
    .object({
      Deal_Name: z.string().min(1),
      Stage: z.string().min(1),
      Pipeline: z.string().optional(),
      Amount: z.number().optional(),
      Closing_Date: z.string().optional(),
    })
    .optional(),
  /** Default: an Account is made when the Lead has a Company. */
  account: z.boolean().optional(),
  contact_id: z.string().min(1).optional(),
  user_email: z.email().optional(),
});

const mergeSchema = z.object({
  ids: z.array(z.string().min(1)).min(1).max(MAX_MERGED),
  fields: z.record(z.string(), z.unknown()).optional(),
});

type P = Record<string, string>;

function actingUser(core: SandboxCore, org: SbOrg, email: string | undefined) {
  const users = org.users.map((id) => core.state.users[id]!);
  const user = email
    ? findUserByEmail(core, email)
    : (users.find((u) => u.profile === 'Administrator') ?? users[0]);
  if (!user || user.org_id !== org.id) throw new AdminError(400, `no user ${email ?? ''} in org ${org.id}`);
  return user;
}

/**
 * Merges and deletions change records that were there already: searchable (or gone) at once.
 * A conversion makes new records — the Contact, Account and Deal — which Zoho's search indexes
 * like any other new record, after the org's search lag, whoever converted.
 */
function actor(core: SandboxCore, org: SbOrg, email?: string, searchableAtOnce = true): Actor {
  return { core, org, user: actingUser(core, org, email), searchableAtOnce };
}

function moduleOr400(name: string | undefined, allowed?: readonly ModuleName[]): ModuleName {
  const module = findModule(name ?? '');
  if (!module || (allowed && !allowed.includes(module)))
    throw new AdminError(400, `module must be one of ${(allowed ?? []).join(', ') || 'the sandbox modules'}`);
  return module;
}

function fail(f: LifecycleFailure, what: string): never {
  if (f.kind === 'not_found') throw new AdminError(404, `no such ${what}`);
  if (f.kind === 'already_converted') throw new AdminError(409, 'the Lead was already converted');
  throw new AdminError(400, f.error.message, [f.error]);
}

export function registerRecordAdmin(app: FastifyInstance, core: SandboxCore): void {
  const R = '/__sandbox/orgs/:org_id/records';

  app.post(`${R}/Leads/:id/convert`, (req) => {
    const p = req.params as P;
    const org = orgOr404(core, p['org_id']);
    const input = parseBody(convertSchema, req.body);
    const result = convertLead(actor(core, org, input.user_email, false), p['id']!, {
      account: input.account ?? true,
      contactId: input.contact_id,
      deal: input.deal,
    });
    if ('kind' in result) fail(result, 'Lead');
    return result;
  });

  app.post(`${R}/:module/:id/merge`, (req) => {
    const p = req.params as P;
    const org = orgOr404(core, p['org_id']);
    const module = moduleOr400(p['module'], mergeableModules);
    const input = parseBody(mergeSchema, req.body);
    const result = mergeRecords(
      actor(core, org),
      module,
      p['id']!,
      [...new Set(input.ids)],
      input.fields ?? {},
    );
    if ('kind' in result) fail(result, `${module} record among ${[p['id'], ...input.ids].join(', ')}`);
    return result;
  });

  app.delete(`${R}/:module/:id`, (req) => {
    const p = req.params as P;
    const org = orgOr404(core, p['org_id']);
    const result = deleteRecord(actor(core, org), moduleOr400(p['module']), p['id']!);
    if ('kind' in result) fail(result, `${p['module']} record ${p['id']}`);
    return result;
  });
}
