import fs from 'node:fs';
import os from 'node:os';

/**
 * The CPU the whole machine and its PostgreSQL server spent over a run, from /proc (Linux; none
 * elsewhere). PostgreSQL runs a process per connection, which come and go with the pools, so its
 * processes are sampled during the run: one that ends between two samples loses at most a sample's
 * worth. Every PostgreSQL server on this machine is counted (the bench's is the only busy one when
 * nothing else runs); nothing is found for a server on another machine.
 */
export interface HostCpu {
  /** user + system seconds of every core, and the cores × wall seconds they had. */
  machine: { busySeconds: number; availableSeconds: number; cores: number } | undefined;
  /** CPU seconds of the `postgres` processes; undefined when none run here. */
  postgresSeconds: number | undefined;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** The machine's cores as /proc/stat counts them (its busy figures are theirs, whatever a container allows). */
const cores = (() => {
  try {
    return (
      fs
        .readFileSync('/proc/stat', 'utf8')
        .split('\n')
        .filter((l) => /^cpu\d/.test(l)).length || os.availableParallelism()
    );
  } catch {
    return os.availableParallelism();
  }
})();

function machineTicks(): { busy: number; all: number } | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const busy = user! + nice! + system! + irq! + softirq! + (steal ?? 0);
    return { busy, all: busy + idle! + iowait! };
  } catch {
    return undefined;
  }
}

/** utime + stime of a process, and its command name; undefined once it has ended. */
function processTicks(pid: string): { comm: string; ticks: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

export function watchHostCpu(everyMs: number): { stop(): HostCpu } {
  const startMachine = machineTicks();
  const startWall = performance.now();
  /** Per postgres process: its ticks when first seen (0 if it started during the run), and last seen. */
  const seen = new Map<string, { first: number; last: number }>();
  /** Processes that are not postgres: not read again. */
  const others = new Set<string>();
  let sampling = true;
  const sample = () => {
    let pids: string[];
    try {
      pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
    } catch {
      return;
    }
    for (const pid of pids) {
      if (others.has(pid)) continue;
      const p = processTicks(pid);
      if (!p) continue;
      if (p.comm !== 'postgres') {
        others.add(pid);
        continue;
      }
      const known = seen.get(pid);
      if (known) known.last = p.ticks;
      else seen.set(pid, { first: sampling ? p.ticks : 0, last: p.ticks });
    }
  };
  sample();
  sampling = false; // processes first seen from now on started during the run
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const endMachine = machineTicks();
      const wallSeconds = (performance.now() - startWall) / 1000;
      let postgres = 0;
      for (const p of seen.values()) postgres += p.last - p.first;
      return {
        machine:
          startMachine && endMachine
            ? {
                busySeconds: (endMachine.busy - startMachine.busy) / TICKS,
                availableSeconds: wallSeconds * cores,
                cores,
              }
            : undefined,
        postgresSeconds: seen.size ? postgres / TICKS : undefined,
      };
    },
  };
}
