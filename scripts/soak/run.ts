import { orgCalls, orgRecords } from './admin.ts';
import { type Audit, audit, type OrgRecords } from './audit.ts';
import { type ChaosStats, startChaos } from './chaos.ts';
import { newRunTag, planEvents, sendPlan } from './load.ts';
import type { Random } from './random.ts';
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
  /** From the end of the chaos (every process up, no fault left) until nothing is in progress. */
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

async function sandboxRecords(shape: Shape, orgIds: string[]): Promise<OrgRecords[]> {
  return Promise.all(
    orgIds.map(async (orgId) => ({
      orgId,
      contacts: await orgRecords(shape.admin, orgId, 'Contacts'),
      leads: await orgRecords(shape.admin, orgId, 'Leads'),
      notes: await orgRecords(shape.admin, orgId, 'Notes'),
    })),
  );
}

async function callFigures(shape: Shape, orgIds: string[]) {
  const calls = (await Promise.all(orgIds.map((id) => orgCalls(shape.admin, id)))).flat();
  const crm = calls.filter((c) => c.path.startsWith('/crm/'));
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
    });
    const tLoad = Date.now();
    const sent = await sendPlan(shape.appUrl, shape.eventsSecret, plan, {
      spreadMs: loadMs,
      inFlight: 12,
      until: deadline - 30_000,
    });
    const loadS = seconds(Date.now() - tLoad);
    const stats = await chaos.stop(shape.processes);
    const tDrain = Date.now();
    const accepted = sent.filter((s) => s.accepted).length;
    say(`${name}: ${accepted} of ${sent.length} accepted in ${loadS} s; chaos over, draining`);
    const drained = await drain(shape, accepted, deadline - 15_000);
    const drainS = seconds(Date.now() - tDrain);
    await chaos.countRefreshes();
    const orgs = await sandboxRecords(shape, orgIds);
    const calls = await callFigures(shape, orgIds);
    const app = await shape.finish();
    return {
      shape: name,
      description: shape.description,
      audit: audit({
        sent,
        events: app.events,
        refs: app.refs,
        orgOfUser: new Map(users.map((u) => [u.id, u.orgId])),
        orgs,
      }),
      chaos: stats,
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
  } finally {
    await shape.cleanup(options.keep);
  }
}
