import { accountsUrl, apiDomain, type DataCenter } from './dc.ts';
import { type SandboxState, saveState } from './state.ts';

/**
 * What every part of the sandbox shares: the state, the sandbox clock (real time plus an
 * offset that the admin API moves), calls in flight, and saving after changes.
 */
export interface SandboxCore {
  state: SandboxState;
  /** Set once the server listens, e.g. http://127.0.0.1:4010 */
  baseUrl: string;
  now(): number;
  nextSeq(): number;
  /** Marks the state changed; it is saved shortly after when the sandbox has a data file. */
  changed(): void;
  inflight: Map<string, number>;
  accountsUrl(dc: DataCenter): string;
  apiDomain(dc: DataCenter): string;
  flush(): void;
}

export function createCore(state: SandboxState, options: { dataFile?: string | undefined }): SandboxCore {
  let timer: NodeJS.Timeout | undefined;
  const core: SandboxCore = {
    state,
    baseUrl: '',
    now: () => Date.now() + core.state.clock_offset_ms,
    nextSeq: () => {
      core.state.seq += 1;
      return core.state.seq;
    },
    changed() {
      if (!options.dataFile || timer) return;
      timer = setTimeout(() => core.flush(), 50);
      timer.unref();
    },
    flush() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (options.dataFile) saveState(options.dataFile, core.state);
    },
    inflight: new Map(),
    accountsUrl: (dc) => accountsUrl(core.baseUrl, dc),
    apiDomain: (dc) => apiDomain(core.baseUrl, dc),
  };
  return core;
}

/** Zoho's datetime format: yyyy-MM-ddTHH:mm:ss±HH:mm, no milliseconds, in the org's time zone. */
export function zohoDateTime(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const offset =
    parts['timeZoneName'] === 'GMT' ? '+00:00' : String(parts['timeZoneName']).replace('GMT', '');
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}${offset}`;
}
