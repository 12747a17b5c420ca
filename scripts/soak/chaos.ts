import fs from 'node:fs';
import path from 'node:path';
import { crmErrors } from '../../sandbox/errors.ts';
import { orgCalls, type SandboxAdmin, type SandboxOrg } from './admin.ts';
import type { ServiceProcess } from './processes.ts';
import type { Random } from './random.ts';

/**
 * What goes wrong. While the load lasts: processes SIGKILLed and restarted, processes stopped
 * (SIGSTOP) past the job queue's heartbeat and resumed, bursts of 429s, and token-expiry
 * storms — the sandbox clock jumps an hour, so every access token the app holds is refused
 * at once. From the start of the load until the backlog has drained: about one CRM call in
 * ten answered with a 5xx or a dropped connection.
 */
export interface ChaosPlan {
  /** Processes a kill picks from, with their weights. */
  killable: Array<{ process: ServiceProcess; weight: number }>;
  stallable: ServiceProcess[];
  killEverySeconds: [number, number];
  stallEverySeconds: [number, number];
  stallSeconds: [number, number];
  /** Fractions of the load phase at which a token-expiry storm starts (at least 15 s apart). */
  stormsAt: number[];
  faultRate: number;
}

export interface ChaosStats {
  kills: Record<string, number>;
  stalls: number;
  restartFailures: string[];
  /** Failures asked of the sandbox (the call log says how many were served). */
  faults: { fiveXx: number; drops: number; bursts429: number; calls429: number };
  /** Per storm, per org: successful refreshes from the storm to the next one (or the end). */
  storms: Array<{ at: number; refreshes: number[] }>;
  /** Refreshes before the first storm (there should be none). */
  refreshesBeforeStorms: number[];
  /** Refresh attempts Zoho answered with an error. */
  refreshFailures: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REFRESH = '/oauth/v2/token (refresh_token)';
const STORM_GAP_MS = 15_000;
const STORM_CALM_MS = 5_000;

export function startChaos(deps: {
  admin: SandboxAdmin;
  orgIds: string[];
  plan: ChaosPlan;
  rng: Random;
  loadMs: number;
  /** Where each kill, stall and storm is written down with its time (chaos.log). */
  logDir: string;
}) {
  const { admin, orgIds, plan, rng } = deps;
  const timeline = fs.createWriteStream(path.join(deps.logDir, 'chaos.log'), { flags: 'a' });
  const log = (line: string) => timeline.write(`${new Date().toISOString()} ${line}\n`);
  const stats: ChaosStats = {
    kills: {},
    stalls: 0,
    restartFailures: [],
    faults: { fiveXx: 0, drops: 0, bursts429: 0, calls429: 0 },
    storms: [],
    refreshesBeforeStorms: [],
    refreshFailures: 0,
  };
  const flags = { disrupting: true, faulting: true };
  const started = Date.now();
  // A process being killed, restarted, stalled or resumed is left alone by the other loops.
  const busy = new Set<ServiceProcess>();
  const restarts = new Set<Promise<void>>();
  const sleepWhile = async (flag: keyof typeof flags, ms: number) => {
    const until = Date.now() + ms;
    while (flags[flag] && Date.now() < until) await pause(Math.min(250, until - Date.now()));
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

  async function killAndRestart(target: ServiceProcess): Promise<void> {
    log(`SIGKILL ${target.spec.name} (pid ${target.pid})`);
    await target.end('SIGKILL');
    stats.kills[target.spec.name] = (stats.kills[target.spec.name] ?? 0) + 1;
    await pause(rng.between(0.3, 2.5) * 1000);
    await restart(target);
    log(`${target.spec.name} running again (pid ${target.pid})`);
    busy.delete(target);
  }

  async function kills(): Promise<void> {
    for (;;) {
      await sleepWhile('disrupting', rng.between(...plan.killEverySeconds) * 1000);
      if (!flags.disrupting) return;
      const free = plan.killable.filter((k) => k.process.state === 'running' && !busy.has(k.process));
      const target = weightedPick(free, rng);
      if (!target) continue;
      busy.add(target);
      // Restarting takes seconds: the next kill (of another process) does not wait for it.
      const done = killAndRestart(target);
      restarts.add(done);
      void done.finally(() => restarts.delete(done)).catch(() => {});
    }
  }

  async function stalls(): Promise<void> {
    for (;;) {
      await sleepWhile('disrupting', rng.between(...plan.stallEverySeconds) * 1000);
      if (!flags.disrupting) return;
      const free = plan.stallable.filter((p) => p.state === 'running' && !busy.has(p));
      if (free.length === 0) continue;
      const target = rng.pick(free);
      busy.add(target);
      target.pause();
      stats.stalls += 1;
      log(`SIGSTOP ${target.spec.name} (pid ${target.pid})`);
      // Resumed after its time even when the load is over: a stall is never cut short.
      await pause(rng.between(...plan.stallSeconds) * 1000);
      target.resume();
      log(`SIGCONT ${target.spec.name} (pid ${target.pid})`);
      busy.delete(target);
    }
  }

  /** About `faultRate` of the calls each org received since the last look, failed from now on. */
  async function injectFaults(orgId: string, credits: Map<string, number>): Promise<void> {
    const org = await admin.call<SandboxOrg>('GET', `/orgs/${orgId}`);
    // Every CRM call the sandbox serves costs at least one credit: the count of calls made.
    const used = org.limits.credits_used;
    const delta = Math.max(0, used - (credits.get(orgId) ?? used));
    credits.set(orgId, used);
    const n = Math.floor(delta * plan.faultRate + rng.next());
    // About three in ten injected failures are a dropped connection, the rest a 5xx.
    let drops = 0;
    for (let i = 0; i < n; i++) if (rng.chance(0.3)) drops += 1;
    const fiveXx = n - drops;
    const status = rng.pick([500, 500, 502, 503]);
    if (fiveXx > 0)
      await admin.call('POST', '/faults', { org_id: orgId, path: '^/crm/', status, count: fiveXx });
    if (drops > 0)
      await admin.call('POST', '/faults', { org_id: orgId, path: '^/crm/', drop: true, count: drops });
    stats.faults.fiveXx += fiveXx;
    stats.faults.drops += drops;
  }

  async function faults(): Promise<void> {
    const credits = new Map<string, number>();
    let nextBurst = Date.now() + rng.between(6, 12) * 1000;
    while (flags.faulting) {
      for (const orgId of orgIds) await injectFaults(orgId, credits);
      // Bursts of 429s while the load lasts: in the drain's trickle of calls a burst would
      // refuse nearly all of them, which no org sees from a concurrency limit.
      if (flags.disrupting && Date.now() > nextBurst) {
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
      await sleepWhile('faulting', 500);
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

  const everyone = [...new Set([...plan.killable.map((k) => k.process), ...plan.stallable])];
  /**
   * Until a process that syncs runs (at most a minute): a storm is for the service to weather;
   * breaking it while nothing runs only merges it with the next one.
   */
  async function syncing(): Promise<void> {
    const until = Date.now() + 60_000;
    while (
      flags.disrupting &&
      Date.now() < until &&
      !plan.stallable.some((p) => p.state === 'running' && !busy.has(p))
    )
      await pause(250);
  }

  async function storms(): Promise<void> {
    snapshots.push(await refreshCounts());
    let last = -Infinity;
    for (const at of plan.stormsAt) {
      await sleepWhile('disrupting', Math.max(started + at * deps.loadMs, last + STORM_GAP_MS) - Date.now());
      if (!flags.disrupting) return;
      await syncing();
      if (!flags.disrupting) return;
      // Nobody else is killed or stopped while the storm breaks.
      const calm = everyone.filter((p) => !busy.has(p));
      for (const p of calm) busy.add(p);
      snapshots.push(await refreshCounts());
      // One refresh attempt is dropped on the way too: the refresh itself must be retried.
      await admin.call('POST', '/faults', {
        path: '^/oauth/v2/token$',
        method: 'POST',
        drop: true,
        count: 1,
      });
      await admin.call('POST', '/clock', { advance_seconds: 3660 });
      last = Date.now();
      stats.storms.push({ at: last - started, refreshes: [] });
      log(`storm ${stats.storms.length}: the sandbox clock moved 3660 s`);
      await pause(STORM_CALM_MS);
      for (const p of calm) busy.delete(p);
    }
  }

  const disruptions = [kills(), stalls(), storms()];
  const faulting = faults();
  return {
    stats,
    /** Ends kills, stalls and storms: every process running again. Faults go on. */
    async endDisruptions(processes: ServiceProcess[]): Promise<void> {
      flags.disrupting = false;
      log('kills, stalls and storms over');
      await Promise.all(disruptions);
      await Promise.all(restarts);
      for (const p of processes) {
        if (p.state === 'paused') p.resume();
        if (p.state === 'down') await restart(p);
      }
    },
    /** Ends the injected failures (call once the backlog has drained, or the time is up). */
    async endFaults(): Promise<void> {
      flags.faulting = false;
      await faulting;
      await admin.call('DELETE', '/faults');
      log('faults cleared');
      await new Promise<void>((resolve) => timeline.end(() => resolve()));
    },
    /** Closes the last storm's window: call once the backlog has drained. */
    async countRefreshes(): Promise<void> {
      snapshots.push(await refreshCounts());
      const [first, ...rest] = snapshots;
      stats.refreshesBeforeStorms = rest[0]!.map((s, i) => s.ok - first![i]!.ok);
      stats.storms.forEach((storm, i) => {
        storm.refreshes = rest[i + 1]!.map((s, j) => s.ok - rest[i]![j]!.ok);
      });
      const failed = (snapshot: Array<{ failed: number }>) => snapshot.reduce((sum, s) => sum + s.failed, 0);
      stats.refreshFailures = failed(snapshots.at(-1)!) - failed(first!);
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
