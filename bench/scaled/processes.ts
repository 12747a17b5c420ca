import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

/**
 * One service process of the scaled bench, started as `npm run web|worker|sandbox` starts it
 * (`node src/main.ts web`, …) but with node directly, so the pid is the service's own and a
 * signal reaches it. Its output goes to a log file; the first lines are kept, for the banner
 * (the sandbox prints its OAuth client there).
 */
export interface ChildSpec {
  name: string;
  args: string[];
  env: Record<string, string>;
  /** Printed once the process serves (or works). */
  ready: RegExp;
  logFile: string;
}

const readyTimeoutMs = 90_000;
const stopGraceMs = 35_000;

export class ServiceChild {
  readonly name: string;
  /** What it printed up to its ready line. */
  banner = '';
  private readonly child: ChildProcess;

  private constructor(spec: ChildSpec, child: ChildProcess) {
    this.name = spec.name;
    this.child = child;
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(spec: ChildSpec): Promise<ServiceChild> {
    const child = spawn(process.execPath, spec.args, { env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const service = new ServiceChild(spec, child);
    const log = fs.createWriteStream(spec.logFile, { flags: 'a' });
    child.once('exit', () => log.end());
    let ready = false;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${spec.name}: not ready after ${readyTimeoutMs} ms:\n${service.banner}`)),
          readyTimeoutMs,
        );
        const onData = (chunk: Buffer) => {
          log.write(chunk);
          if (ready) return;
          service.banner = (service.banner + chunk.toString()).slice(-8000);
          if (spec.ready.test(service.banner)) {
            ready = true;
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          if (!ready)
            reject(
              new Error(`${spec.name} exited (${code ?? signal}) before it was ready:\n${service.banner}`),
            );
        });
      });
    } catch (err) {
      await service.stop();
      throw err;
    }
    return service;
  }

  /** SIGTERM (jobs in hand finish), SIGKILL if it has not exited after the grace time. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Ends it at once (the bench's own exit on a signal: no time for a graceful stop). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** CPU seconds the process has used (user + system), from /proc; undefined where there is none. */
  cpuSeconds(): number | undefined {
    try {
      const stat = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return undefined;
    }
  }
}

/**
 * What every service process gets from the environment: nothing of the caller's own settings but
 * the sync's tuning, so an operator can measure theirs (`SYNC_CONCURRENCY=64 npm run bench -- --scaled`).
 */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { LOG_LEVEL: 'warn' };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'SYNC_CONCURRENCY', 'ZOHO_ORG_CONCURRENCY'])
    if (process.env[name]) env[name] = process.env[name]!;
  return env;
}
