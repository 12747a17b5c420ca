import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * One service process of the soak (`node src/main.ts …` or `node sandbox/main.ts`, what the
 * npm scripts run — started with node directly so a SIGKILL reaches the service itself, not
 * an npm wrapper). Its output goes to a log file in the run's folder; pino's warn, error and
 * fatal lines are counted for the report.
 */
export interface ProcessSpec {
  name: string;
  args: string[];
  env: Record<string, string>;
  /** Printed once the process serves (or works). */
  ready: RegExp;
  logDir: string;
}

export type ProcessState = 'down' | 'running' | 'paused';

const readyTimeoutMs = 90_000;

export class ServiceProcess {
  readonly spec: ProcessSpec;
  state: ProcessState = 'down';
  starts = 0;
  /** Exits nobody asked for (a crash at start, or on its own). */
  readonly unexpectedExits: string[] = [];
  readonly levels = { warn: 0, error: 0, fatal: 0 };
  private child: ChildProcess | undefined;
  private expectingExit = false;
  private readonly log: fs.WriteStream;

  constructor(spec: ProcessSpec) {
    this.spec = spec;
    this.log = fs.createWriteStream(path.join(spec.logDir, `${spec.name}.log`), { flags: 'a' });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns it and waits for its ready line; fails when it exits first. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, this.spec.args, {
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    this.expectingExit = false;
    this.log.write(`--- start ${this.starts} (pid ${child.pid}) at ${new Date().toISOString()}\n`);
    let seen = '';
    let ready = false;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.spec.name}: not ready after ${readyTimeoutMs} ms`)),
        readyTimeoutMs,
      );
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        this.log.write(text);
        this.countLevels(text);
        if (ready) return;
        seen = (seen + text).slice(-4000);
        if (this.spec.ready.test(seen)) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => {
        this.state = 'down';
        if (!this.expectingExit) this.unexpectedExits.push(`exit ${code ?? signal} (start ${this.starts})`);
        if (!ready) {
          clearTimeout(timer);
          reject(new Error(`${this.spec.name} exited (${code ?? signal}) before it was ready:\n${seen}`));
        }
      });
    });
    this.state = 'running';
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs`). */
  async end(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL', graceMs = 45_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) {
      this.state = 'down';
      return;
    }
    this.expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (this.state === 'paused') child.kill('SIGCONT');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    this.state = 'down';
  }

  pause(): void {
    if (this.state !== 'running') return;
    this.child?.kill('SIGSTOP');
    this.state = 'paused';
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.child?.kill('SIGCONT');
    this.state = 'running';
  }

  async close(): Promise<void> {
    await this.end('SIGTERM');
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }

  private countLevels(text: string): void {
    for (const m of text.matchAll(/"level":(\d+)/g)) {
      const level = Number(m[1]);
      if (level === 40) this.levels.warn += 1;
      else if (level === 50) this.levels.error += 1;
      else if (level >= 60) this.levels.fatal += 1;
    }
  }
}

/** What every service process gets from the environment: nothing of the caller's own settings. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { LOG_LEVEL: 'info' };
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'])
    if (process.env[name]) env[name] = process.env[name]!;
  return env;
}
