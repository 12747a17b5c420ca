import type { FastifyInstance } from 'fastify';
import type { SandboxCore } from '../core.ts';
import { renderRecord } from '../crm/render.ts';
import { insertRecords, updateRecords } from '../crm/writes.ts';
import { licenseDetails } from '../license.ts';
import { concurrencyLimit, creditsPerDay, creditsUsed, editionInForce } from '../limits.ts';
import { findModule, type ModuleName, moduleNames } from '../modules.ts';
import { addUser, createOrg, findUserByEmail } from '../orgs.ts';
import type { SbOrg } from '../state.ts';
import { AdminError, orgOr404, parseBody } from './common.ts';
import { registerRecordAdmin } from './records.ts';
import {
  blueprintSchema,
  newOrgSchema,
  newUserSchema,
  orgPatchSchema,
  profileSchema,
  seedRecordsSchema,
  validationRuleSchema,
  workflowRuleSchema,
} from './schemas.ts';

type P = Record<string, string>;

export function describeOrg(core: SandboxCore, org: SbOrg) {
  return {
    org_id: org.id,
    name: org.name,
    edition: org.edition,
    data_center: org.data_center,
    accounts_url: core.accountsUrl(org.data_center),
    api_domain: core.apiDomain(org.data_center),
    api_access: org.api_access,
    third_party_apps_blocked: org.third_party_apps_blocked ?? false,
    users: org.users
      .map((id) => core.state.users[id]!)
      .map((u) => ({
        id: u.id,
        email: u.email,
        first_name: u.first_name,
        last_name: u.last_name,
        profile: u.profile,
      })),
    license: licenseDetails(org),
    limits: {
      edition: editionInForce(org, core.now()),
      credits_per_day: creditsPerDay(org, core.now()),
      credits_used: creditsUsed(core, org.id),
      concurrency: concurrencyLimit(org, core.now()),
    },
    latency_ms: org.latency_ms,
    latency_jitter_ms: org.latency_jitter_ms ?? 0,
    search_lag_ms: org.search_lag_ms,
    unique_fields: org.unique_fields,
    mandatory_fields: org.mandatory_fields,
    profiles: org.profiles,
    validation_rules: org.validation_rules,
    workflow_rules: org.workflow_rules,
    blueprints: org.blueprints,
    deal_layouts: org.deal_layouts,
  };
}

function adminUser(core: SandboxCore, org: SbOrg, email?: string) {
  const user = email
    ? findUserByEmail(core, email)
    : (org.users.map((id) => core.state.users[id]!).find((u) => u.profile === 'Administrator') ??
      core.state.users[org.users[0]!]);
  if (!user || user.org_id !== org.id) throw new AdminError(400, `no user ${email ?? ''} in org ${org.id}`);
  return user;
}

function moduleParam(name: string | undefined): ModuleName {
  const module = findModule(name ?? '');
  if (!module) throw new AdminError(400, `module must be one of ${moduleNames.join(', ')}`);
  return module;
}

export function registerOrgAdmin(app: FastifyInstance, core: SandboxCore): void {
  const A = '/__sandbox/orgs';
  app.get(A, () => ({ orgs: Object.values(core.state.orgs).map((o) => describeOrg(core, o)) }));

  app.post(A, (req, reply) => {
    const input = parseBody(newOrgSchema, req.body);
    for (const u of input.users)
      if (findUserByEmail(core, u.email))
        throw new AdminError(409, `a sandbox user with email ${u.email} exists`);
    const org = createOrg(core, input as Parameters<typeof createOrg>[1]);
    return reply.code(201).send(describeOrg(core, org));
  });

  app.get(`${A}/:org_id`, (req) => describeOrg(core, orgOr404(core, (req.params as P)['org_id'])));

  app.patch(`${A}/:org_id`, (req) => {
    const org = orgOr404(core, (req.params as P)['org_id']);
    Object.assign(org, parseBody(orgPatchSchema, req.body));
    core.changed();
    return describeOrg(core, org);
  });

  app.post(`${A}/:org_id/users`, (req, reply) => {
    const org = orgOr404(core, (req.params as P)['org_id']);
    const input = parseBody(newUserSchema, req.body);
    if (findUserByEmail(core, input.email))
      throw new AdminError(409, `a sandbox user with email ${input.email} exists`);
    const user = addUser(core, org, input);
    return reply.code(201).send({ id: user.id, email: user.email });
  });

  app.put(`${A}/:org_id/profiles/:name`, (req) => {
    const org = orgOr404(core, (req.params as P)['org_id']);
    org.profiles[(req.params as P)['name']!] = parseBody(profileSchema, req.body).permissions;
    core.changed();
    return { profiles: org.profiles };
  });

  const addRule = <T>(path: string, list: (o: SbOrg) => T[], build: (body: unknown) => T) =>
    app.post(`${A}/:org_id/${path}`, (req, reply) => {
      const org = orgOr404(core, (req.params as P)['org_id']);
      const item = build(req.body);
      list(org).push(item);
      core.changed();
      return reply.code(201).send(item);
    });
  addRule(
    'validation-rules',
    (o) => o.validation_rules,
    (b) => ({ id: `vr_${core.nextSeq()}`, ...parseBody(validationRuleSchema, b) }),
  );
  addRule(
    'workflow-rules',
    (o) => o.workflow_rules,
    (b) => ({ id: `wf_${core.nextSeq()}`, ...parseBody(workflowRuleSchema, b) }),
  );
  addRule(
    'blueprints',
    (o) => o.blueprints,
    (b) => {
      const { pipeline, record_ids } = parseBody(blueprintSchema, b);
      return {
        id: `bp_${core.nextSeq()}`,
        module: 'Deals' as const,
        ...(pipeline ? { pipeline } : {}),
        ...(record_ids ? { record_ids } : {}),
      };
    },
  );

  app.get(`${A}/:org_id/workflow-runs`, (req) => {
    const org = orgOr404(core, (req.params as P)['org_id']);
    return { runs: core.state.workflow_runs[org.id] ?? [] };
  });

  app.get(`${A}/:org_id/calls`, (req) => {
    const org = orgOr404(core, (req.params as P)['org_id']);
    return { calls: core.state.calls[org.id] ?? [] };
  });

  // Counts of every call since the log was cleared, by status; the log itself is capped.
  app.get(`${A}/:org_id/calls/count`, (req) => {
    const org = orgOr404(core, (req.params as P)['org_id']);
    return core.state.call_counts[org.id] ?? { api: {}, accounts: {} };
  });

  app.delete(`${A}/:org_id/calls`, (req, reply) => {
    const org = orgOr404(core, (req.params as P)['org_id']);
    core.state.calls[org.id] = [];
    core.state.call_counts[org.id] = { api: {}, accounts: {} };
    core.changed();
    return reply.code(204).send();
  });

  app.get(`${A}/:org_id/records`, (req) => {
    const org = orgOr404(core, (req.params as P)['org_id']);
    const q = req.query as P;
    const modules = q['module'] ? [moduleParam(q['module'])] : [...moduleNames];
    return {
      records: Object.fromEntries(
        modules.map((m) => [
          m,
          Object.values(core.state.records[org.id]?.[m] ?? {}).map((r) => renderRecord(core, org, m, r)),
        ]),
      ),
    };
  });

  // Seeding and changing records as a person in Zoho's UI would: no credits, no call log.
  app.post(`${A}/:org_id/records`, (req, reply) => {
    const org = orgOr404(core, (req.params as P)['org_id']);
    const input = parseBody(seedRecordsSchema, req.body);
    const results = insertRecords(
      {
        core,
        org,
        user: adminUser(core, org, input.user_email),
        module: input.module,
        trigger: [],
        searchableAtOnce: true,
      },
      input.data,
    );
    return reply.code(201).send({ data: results });
  });

  app.patch(`${A}/:org_id/records/:module/:id`, (req) => {
    const org = orgOr404(core, (req.params as P)['org_id']);
    const module = moduleParam((req.params as P)['module']);
    const fields = parseBody(seedRecordsSchema.shape.data.element, req.body);
    const ui = { core, org, user: adminUser(core, org), module, trigger: [], searchableAtOnce: true };
    const results = updateRecords(ui, [{ ...fields, id: (req.params as P)['id'] }]);
    return { data: results };
  });

  registerRecordAdmin(app, core);
}
