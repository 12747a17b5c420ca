import path from 'node:path';
import type { ModuleName } from '../../sandbox/modules.ts';
import type { SandboxState } from '../../sandbox/state.ts';
import type { ZohoRecord } from './admin.ts';
import { type Audit, audit, type OrgRecords } from './audit.ts';
import { type ChaosStats, startChaos } from './chaos.ts';
import { newRunTag, planEvents, sendPlan } from './load.ts';
import type { Random } from './random.ts';
import { failures } from './report.ts';
import { type Shape, type ShapeName, startEmbedded, startScaled } from './shapes.ts';
import { connectUsers } from './users.ts';

/** One shape's soak: start it, connect the users, send under chaos, drain, count. */
export interface SoakOptions {
  events: number;
  users: number;
  loadSeconds: number;
  databaseUrl: string;
  keep: boolean;
}

export interface ShapeResult {
  shape: ShapeName;
  description: string;
  audit: Audit;
  chaos: ChaosStats;
  calls: { crm: number; faulted5xx: number; dropped: number; answered429: number };
  resends: number;
  apiServerErrors: number;
  /** Seconds. */
  setupS: number;
  loadS: number;
  /** From the last event accepted (kills and stalls over; faults go on) until nothing is in progress. */
  drainS: number;
  drained: boolean;
  starts: Record<string, number>;
  unexpectedExits: string[];
  logLines: { warn: number; error: number; fatal: number };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => Math.round(ms / 100) / 10;

async function drain(shape: Shape, accepted: number, until: number): Promise<boolean> {
  while (Date.now() < until) {
    const p = await shape.progress().catch(() => undefined);
    if (p && p.recorded >= accepted && p.inProgress === 0) return true;
    await pause(500);
  }
  return false;
}

/** The org's live records of a module as the sandbox saved them: id and fields. */
function saved(state: SandboxState, orgId: string, module: ModuleName): ZohoRecord[] {
  return Object.values(state.records[orgId]?.[module] ?? {}).map((r) => ({ ...r.fields, id: r.id }));
}

function sandboxRecords(state: SandboxState, orgIds: string[]): OrgRecords[] {
  return orgIds.map((orgId) => ({
    orgId,
    contacts: saved(state, orgId, 'Contacts'),
    leads: saved(state, orgId, 'Leads'),
    notes: saved(state, orgId, 'Notes'),
  }));
}

function callFigures(state: SandboxState, orgIds: string[]) {
  const crm = orgIds.flatMap((id) => state.calls[id] ?? []).filter((c) => c.path.startsWith('/crm/'));
  return {
    crm: crm.length,
    faulted5xx: crm.filter((c) => c.code === 'FAULT' && c.status >= 500).length,
    dropped: crm.filter((c) => c.code === 'DROPPED').length,
    answered429: crm.filter((c) => c.status === 429).length,
  };
}

export async function runShape(
  name: ShapeName,
  options: SoakOptions,
  rng: Random,
  deadline: number,
  say: (line: string) => void,
): Promise<ShapeResult> {
  const t0 = Date.now();
  const shape = name === 'scaled' ? await startScaled(options.databaseUrl) : await startEmbedded();
  let result: ShapeResult | undefined;
  try {
    say(`${name}: ${shape.description}; logs in ${shape.processes[0]!.spec.logDir}`);
    const users = await connectUsers({
      appUrl: shape.appUrl,
      sandboxBase: shape.sandboxBase,
      admin: shape.admin,
      handoffSecret: shape.handoffSecret,
      count: options.users,
      label: name,
    });
    const orgIds = users.map((u) => u.orgId);
    const plan = planEvents(options.events, users, rng, newRunTag());
    const setupS = seconds(Date.now() - t0);
    say(
      `${name}: ${users.length} users connected in ${setupS} s; sending ${plan.length} events over ${options.loadSeconds} s under chaos`,
    );
    const loadMs = options.loadSeconds * 1000;
    const chaos = startChaos({
      admin: shape.admin,
      orgIds,
      rng,
      loadMs,
      plan: { ...shape.chaos, stormsAt: [0.3, 0.65], faultRate: 0.1 },
      logDir: shape.processes[0]!.spec.logDir,
    });
    const tLoad = Date.now();
    const sending = sendPlan(shape.appUrl, shape.eventsSecret, plan, {
      spreadMs: loadMs,
      inFlight: 12,
      until: deadline - 30_000,
    });
    // Kills, stalls and storms last the load's planned time, however long the sends take.
    await pause(loadMs);
    await chaos.endDisruptions(shape.processes);
    const sent = await sending;
    const loadS = seconds(Date.now() - tLoad);
    const tDrain = Date.now();
    const accepted = sent.filter((s) => s.accepted).length;
    say(
      `${name}: ${accepted} of ${sent.length} accepted in ${loadS} s; kills and stalls over, draining under faults`,
    );
    const drained = await drain(shape, accepted, deadline - 20_000);
    const drainS = seconds(Date.now() - tDrain);
    await chaos.endFaults();
    await chaos.countRefreshes();
    const app = await shape.finish();
    const orgs = sandboxRecords(app.sandbox, orgIds);
    const calls = callFigures(app.sandbox, orgIds);
    result = {
      shape: name,
      description: shape.description,
      audit: audit({
        sent,
        events: app.events,
        refs: app.refs,
        orgOfUser: new Map(users.map((u) => [u.id, u.orgId])),
        orgs,
      }),
      chaos: chaos.stats,
      calls,
      resends: sent.reduce((n, s) => n + s.attempts - 1, 0),
      apiServerErrors: sent.reduce((n, s) => n + s.serverErrors, 0),
      setupS,
      loadS,
      drainS,
      drained,
      starts: Object.fromEntries(shape.processes.map((p) => [p.spec.name, p.starts])),
      unexpectedExits: shape.processes.flatMap((p) => p.unexpectedExits.map((e) => `${p.spec.name}: ${e}`)),
      logLines: shape.processes.reduce(
        (sum, p) => ({
          warn: sum.warn + p.levels.warn,
          error: sum.error + p.levels.error,
          fatal: sum.fatal + p.levels.fatal,
        }),
        { warn: 0, error: 0, fatal: 0 },
      ),
    };
    return result;
  } finally {
    // A failed run keeps its folder (logs, chaos.log, the app's and the sandbox's data) to look into.
    const folder = options.keep || !result || failures(result).length > 0;
    await shape.cleanup({ folder, schema: options.keep });
    if (folder) say(`${name}: kept ${path.dirname(shape.processes[0]!.spec.logDir)}`);
  }
}
