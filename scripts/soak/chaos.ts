import { crmErrors } from '../../sandbox/errors.ts';
import { orgCalls, type SandboxAdmin, type SandboxOrg } from './admin.ts';
import type { ServiceProcess } from './processes.ts';
import type { Random } from './random.ts';

/**
 * What goes wrong during the load: processes SIGKILLed and restarted, processes stopped
 * (SIGSTOP) past the job queue's heartbeat and resumed, about one CRM call in ten answered
 * 5xx or dropped by the sandbox, bursts of 429s, and token-expiry storms — the sandbox clock
 * jumps an hour, so every access token the app holds is refused at once.
 */
export interface ChaosPlan {
  /** Processes a kill picks from, with their weights. */
  killable: Array<{ process: ServiceProcess; weight: number }>;
  stallable: ServiceProcess[];
  killEverySeconds: [number, number];
  stallEverySeconds: [number, number];
  stallSeconds: [number, number];
  /** Fractions of the load phase at which a token-expiry storm starts. */
  stormsAt: number[];
  faultRate: number;
}

export interface ChaosStats {
  kills: Record<string, number>;
  stalls: number;
  restartFailures: string[];
  faults: { fiveXx: number; drops: number; bursts429: number; calls429: number };
  /** Per storm, per org: successful refreshes from the storm to the next one (or the end). */
  storms: Array<{ at: number; refreshes: number[] }>;
  /** Refreshes before the first storm (there should be none). */
  refreshesBeforeStorms: number[];
  refreshFailures: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REFRESH = '/oauth/v2/token (refresh_token)';

export function startChaos(deps: {
  admin: SandboxAdmin;
  orgIds: string[];
  plan: ChaosPlan;
  rng: Random;
  loadMs: number;
}) {
  const { admin, orgIds, plan, rng } = deps;
  const stats: ChaosStats = {
    kills: {},
    stalls: 0,
    restartFailures: [],
    faults: { fiveXx: 0, drops: 0, bursts429: 0, calls429: 0 },
    storms: [],
    refreshesBeforeStorms: [],
    refreshFailures: 0,
  };
  let on = true;
  const started = Date.now();
  // One process is killed or stalled at a time: a kill never lands on a process being resumed.
  let busy = new Set<ServiceProcess>();
  const sleepWhileOn = async (ms: number) => {
    const until = Date.now() + ms;
    while (on && Date.now() < until) await pause(Math.min(250, until - Date.now()));
  };

  async function restart(p: ServiceProcess): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await p.start();
      } catch (err) {
        stats.restartFailures.push(`${p.spec.name}: ${(err as Error).message.split('\n')[0]}`);
        if (attempt >= 3) throw err;
      }
    }
  }

  async function kills(): Promise<void> {
    for (;;) {
      await sleepWhileOn(rng.between(...plan.killEverySeconds) * 1000);
      if (!on) return;
      const free = plan.killable.filter((k) => k.process.state === 'running' && !busy.has(k.process));
      const target = weightedPick(free, rng);
      if (!target) continue;
      busy.add(target);
      await target.end('SIGKILL');
      stats.kills[target.spec.name] = (stats.kills[target.spec.name] ?? 0) + 1;
      await pause(rng.between(0.3, 2.5) * 1000);
      await restart(target);
      busy.delete(target);
    }
  }

  async function stalls(): Promise<void> {
    for (;;) {
      await sleepWhileOn(rng.between(...plan.stallEverySeconds) * 1000);
      if (!on) return;
      const free = plan.stallable.filter((p) => p.state === 'running' && !busy.has(p));
      if (free.length === 0) continue;
      const target = rng.pick(free);
      busy.add(target);
      target.pause();
      stats.stalls += 1;
      // Resumed after its time even when the load is over: a stall is never cut short.
      await pause(rng.between(...plan.stallSeconds) * 1000);
      target.resume();
      busy.delete(target);
    }
  }

  async function faults(): Promise<void> {
    const credits = new Map<string, number>();
    let nextBurst = Date.now() + rng.between(6, 12) * 1000;
    while (on) {
      for (const orgId of orgIds) {
        const org = await admin.call<SandboxOrg>('GET', `/orgs/${orgId}`);
        const used = org.limits.credits_used;
        const delta = Math.max(0, used - (credits.get(orgId) ?? used));
        credits.set(orgId, used);
        const n = Math.floor(delta * plan.faultRate + rng.next());
        // About three in ten injected failures are a dropped connection, the rest a 5xx.
        let drops = 0;
        for (let i = 0; i < n; i++) if (rng.chance(0.3)) drops += 1;
        const fiveXx = n - drops;
        if (fiveXx > 0)
          await admin.call('POST', '/faults', {
            org_id: orgId,
            path: '^/crm/',
            status: rng.pick([500, 500, 502, 503]),
            count: fiveXx,
          });
        if (drops > 0)
          await admin.call('POST', '/faults', { org_id: orgId, path: '^/crm/', drop: true, count: drops });
        stats.faults.fiveXx += fiveXx;
        stats.faults.drops += drops;
      }
      if (Date.now() > nextBurst) {
        const count = rng.int(5, 15);
        const busy429 = crmErrors.tooManyRequests();
        await admin.call('POST', '/faults', {
          org_id: rng.pick(orgIds),
          path: '^/crm/',
          status: busy429.status,
          body: busy429.body,
          count,
        });
        stats.faults.bursts429 += 1;
        stats.faults.calls429 += count;
        nextBurst = Date.now() + rng.between(8, 15) * 1000;
      }
      await sleepWhileOn(500);
    }
  }

  const refreshCounts = async () =>
    Promise.all(
      orgIds.map(async (id) => {
        const calls = (await orgCalls(admin, id)).filter((c) => c.path === REFRESH);
        return {
          ok: calls.filter((c) => c.status === 200 && !c.code).length,
          failed: calls.filter((c) => c.code).length,
        };
      }),
    );
  const snapshots: Array<Array<{ ok: number; failed: number }>> = [];

  async function storms(): Promise<void> {
    snapshots.push(await refreshCounts());
    for (const at of plan.stormsAt) {
      await sleepWhileOn(started + at * deps.loadMs - Date.now());
      if (!on) return;
      snapshots.push(await refreshCounts());
      // One refresh attempt is dropped on the way too: the refresh itself must be retried.
      await admin.call('POST', '/faults', {
        path: '^/oauth/v2/token$',
        method: 'POST',
        drop: true,
        count: 1,
      });
      await admin.call('POST', '/clock', { advance_seconds: 3660 });
      stats.storms.push({ at: Date.now() - started, refreshes: [] });
    }
  }

  const loops = [kills(), stalls(), faults(), storms()];
  return {
    stats,
    /** Ends the chaos: every process running again, no fault left, refreshes counted. */
    async stop(processes: ServiceProcess[]): Promise<ChaosStats> {
      on = false;
      await Promise.all(loops);
      busy = new Set();
      for (const p of processes) {
        if (p.state === 'paused') p.resume();
        if (p.state === 'down') await restart(p);
      }
      await admin.call('DELETE', '/faults');
      return stats;
    },
    /** Closes the last storm's window; call once the backlog has drained. */
    async countRefreshes(): Promise<void> {
      snapshots.push(await refreshCounts());
      const [first, ...rest] = snapshots;
      stats.refreshesBeforeStorms = rest[0] ? rest[0].map((s, i) => s.ok - first![i]!.ok) : [];
      stats.storms.forEach((storm, i) => {
        storm.refreshes = rest[i + 1]!.map((s, j) => s.ok - rest[i]![j]!.ok);
      });
      const last = snapshots.at(-1)!;
      stats.refreshFailures =
        last.reduce((sum, s) => sum + s.failed, 0) - first!.reduce((sum, s) => sum + s.failed, 0);
    },
  };
}

function weightedPick<T>(items: Array<{ process: T; weight: number }>, rng: Random): T | undefined {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let x = rng.next() * total;
  for (const i of items) {
    x -= i.weight;
    if (x < 0) return i.process;
  }
  return items.at(-1)?.process;
}
