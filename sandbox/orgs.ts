import type { SandboxCore } from './core.ts';
import { DEFAULT_SEARCH_LAG_MS } from './crm/store.ts';
import type { DataCenter } from './dc.ts';
import { recordId } from './ids.ts';
import { defaultStages, type ModuleName, moduleNames } from './modules.ts';
import type { Action, Edition, Layout, Pipeline, SbOrg, SbUser } from './state.ts';

export interface NewUser {
  email: string;
  first_name: string;
  last_name: string;
  profile: string;
}

export interface NewPipeline {
  name: string;
  default?: boolean;
  stages: Array<
    string | { name: string; probability?: number; forecast?: 'Open' | 'Closed Won' | 'Closed Lost' }
  >;
}

export interface NewOrg {
  name: string;
  edition: Edition;
  /** A trial of another edition, running from creation for `expires_in_days` (Zoho: 15). */
  trial?: { edition: Edition; expires_in_days: number };
  /** The plan's name in `license_details.paid_type` when it is not the edition's (a bundle). */
  paid_type?: string;
  data_center: DataCenter;
  users: NewUser[];
  api_access?: boolean;
  third_party_apps_blocked?: boolean;
  time_zone?: string;
  pipelines?: NewPipeline[];
  credits_per_day?: number;
  concurrency_limit?: number;
  latency_ms?: number;
  latency_jitter_ms?: number;
  search_lag_ms?: number;
  unique_fields?: Partial<Record<ModuleName, string[]>>;
  mandatory_fields?: Partial<Record<ModuleName, string[]>>;
}

const allActions: Action[] = ['view', 'create', 'edit', 'delete'];
const fullAccess = (): Partial<Record<ModuleName, Action[]>> =>
  Object.fromEntries(moduleNames.map((m) => [m, [...allActions]]));

/** A closed stage's forecast follows its name unless given: "Closed Won" / "Closed Lost". */
function stageForecast(name: string): 'Open' | 'Closed Won' | 'Closed Lost' {
  if (/closed.?won/i.test(name)) return 'Closed Won';
  if (/closed.?lost/i.test(name)) return 'Closed Lost';
  return 'Open';
}

function buildPipeline(core: SandboxCore, prefix: string, input: NewPipeline, isDefault: boolean): Pipeline {
  return {
    id: recordId(prefix, core.nextSeq()),
    name: input.name,
    default: isDefault,
    stages: input.stages.map((s, i) => {
      const stage = typeof s === 'string' ? { name: s } : s;
      return {
        id: recordId(prefix, core.nextSeq()),
        name: stage.name,
        probability: stage.probability ?? Math.round(((i + 1) / input.stages.length) * 100),
        forecast: stage.forecast ?? stageForecast(stage.name),
      };
    }),
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Zoho's short account-side ids (ZGID of an org, ZUID of a person) are 8-9 digits. */
const shortId = (core: SandboxCore) => String(60_000_000 + core.nextSeq());

function buildLicense(core: SandboxCore, input: NewOrg): SbOrg['license'] {
  if (!input.trial && input.paid_type === undefined) return undefined;
  const now = core.now();
  return {
    ...(input.paid_type === undefined ? {} : { paid_type: input.paid_type }),
    ...(input.trial
      ? {
          trial: {
            edition: input.trial.edition,
            started_ms: now,
            expires_ms: now + input.trial.expires_in_days * DAY_MS,
          },
        }
      : {}),
  };
}

export function createOrg(core: SandboxCore, input: NewOrg): SbOrg {
  const n = Object.keys(core.state.orgs).length + 1;
  const prefix = String(5725760 + n * 7);
  // Zoho's org id is a long id like a record's; the short one is the zgid.
  const id = recordId(prefix, core.nextSeq());
  const license = buildLicense(core, input);
  const pipelines = input.pipelines?.length
    ? input.pipelines
    : [{ name: 'Standard', default: true, stages: defaultStages.map((s) => ({ ...s })) }];
  const defaultIndex = Math.max(
    0,
    pipelines.findIndex((p) => p.default),
  );
  const layout: Layout = {
    id: recordId(prefix, core.nextSeq()),
    name: 'Standard',
    pipelines: pipelines.map((p, i) => buildPipeline(core, prefix, p, i === defaultIndex)),
  };
  const org: SbOrg = {
    id,
    name: input.name,
    edition: input.edition,
    zgid: shortId(core),
    ...(license ? { license } : {}),
    data_center: input.data_center,
    api_access: input.api_access ?? true,
    third_party_apps_blocked: input.third_party_apps_blocked ?? false,
    id_prefix: prefix,
    created_at: new Date(core.now()).toISOString(),
    time_zone: input.time_zone ?? 'UTC',
    currency: 'USD',
    users: [],
    profiles: { Administrator: fullAccess(), Standard: fullAccess() },
    ...(input.credits_per_day === undefined ? {} : { credits_per_day: input.credits_per_day }),
    ...(input.concurrency_limit === undefined ? {} : { concurrency_limit: input.concurrency_limit }),
    latency_ms: input.latency_ms ?? 0,
    latency_jitter_ms: input.latency_jitter_ms ?? 0,
    search_lag_ms: input.search_lag_ms ?? DEFAULT_SEARCH_LAG_MS,
    unique_fields: input.unique_fields ?? {},
    mandatory_fields: input.mandatory_fields ?? {},
    validation_rules: [],
    workflow_rules: [],
    blueprints: [],
    deal_layouts: [layout],
  };
  core.state.orgs[id] = org;
  core.state.records[id] = {};
  for (const u of input.users) addUser(core, org, u);
  core.changed();
  return org;
}

export function addUser(core: SandboxCore, org: SbOrg, input: NewUser): SbUser {
  const user: SbUser = {
    id: recordId(org.id_prefix, core.nextSeq()),
    org_id: org.id,
    email: input.email,
    first_name: input.first_name,
    last_name: input.last_name,
    profile: input.profile,
    role: input.profile === 'Administrator' ? 'CEO' : 'Manager',
    status: 'active',
    zuid: shortId(core),
  };
  org.profiles[input.profile] ??= fullAccess();
  core.state.users[user.id] = user;
  org.users.push(user.id);
  core.changed();
  return user;
}

export function findUserByEmail(core: SandboxCore, email: string): SbUser | undefined {
  const wanted = email.trim().toLowerCase();
  return Object.values(core.state.users).find((u) => u.email.toLowerCase() === wanted);
}

export function fullName(user: SbUser): string {
  return `${user.first_name} ${user.last_name}`.trim();
}

export function defaultPipeline(org: SbOrg): { layout: Layout; pipeline: Pipeline } {
  const layout = org.deal_layouts[0]!;
  const pipeline = layout.pipelines.find((p) => p.default) ?? layout.pipelines[0]!;
  return { layout, pipeline };
}

export function findPipeline(org: SbOrg, name: string): Pipeline | undefined {
  for (const layout of org.deal_layouts) {
    const p = layout.pipelines.find((x) => x.name === name);
    if (p) return p;
  }
  return undefined;
}
