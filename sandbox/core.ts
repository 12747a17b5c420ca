import { wallClockIn } from '../src/zone-formats.ts';
import { accountsUrl, apiDomain, type DataCenter } from './dc.ts';
import type { ModuleName } from './modules.ts';
import { createSaving } from './saving.ts';
import type { SandboxState, UsageEntry } from './state.ts';

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
  /**
   * Marks records, tokens or settings changed: saved before the next answer is sent (R1).
   * `orgId` when only that org's records changed (besides the state file): only its are saved;
   * `record` when only that record (with the org's workflow runs and the id sequence) changed: it
   * is appended to the org's journal (saving.ts).
   */
  changed(orgId?: string, record?: { module: ModuleName; id: string }): void;
  /** Marks the call log or credits changed: saved apart, shortly after. */
  logged(entry?: UsageEntry): void;
  /** Saves the changes not saved yet; the app calls it before sending each answer. */
  saveChanges(): void;
  /** saveChanges, once for all the answers of one turn of the event loop (saving.ts). */
  saveChangesTogether(): Promise<void>;
  inflight: Map<string, number>;
  accountsUrl(dc: DataCenter): string;
  apiDomain(dc: DataCenter): string;
  flush(): void;
}

export function createCore(state: SandboxState, options: { dataFile?: string | undefined }): SandboxCore {
  const saving = createSaving(options.dataFile, () => core.state);
  const core: SandboxCore = {
    state,
    baseUrl: '',
    now: () => Date.now() + core.state.clock_offset_ms,
    nextSeq: () => {
      core.state.seq += 1;
      return core.state.seq;
    },
    changed: saving.changed,
    logged: saving.logged,
    saveChanges: saving.saveChanges,
    saveChangesTogether: saving.saveChangesTogether,
    flush: saving.flush,
    inflight: new Map(),
    accountsUrl: (dc) => accountsUrl(core.baseUrl, dc),
    apiDomain: (dc) => apiDomain(core.baseUrl, dc),
  };
  return core;
}

/** Zoho's datetime format: yyyy-MM-ddTHH:mm:ss±HH:mm, no milliseconds, in the org's time zone. */
export function zohoDateTime(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(
    wallClockIn(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const offset =
    parts['timeZoneName'] === 'GMT' ? '+00:00' : String(parts['timeZoneName']).replace('GMT', '');
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}${offset}`;
}
