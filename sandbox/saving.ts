import type { ModuleName } from './modules.ts';
import {
  appendJournal,
  appendUsage,
  journalText,
  recordsKeptApart,
  type SandboxState,
  saveRecords,
  saveState,
  saveUsage,
  type UsageEntry,
} from './state.ts';

/**
 * When the state reaches the data folder (R1, issue 12). A change to records, tokens or
 * settings is saved before the answer that follows it is sent (the app's hook calls
 * `saveChanges`), so a kill never loses what the sandbox acknowledged; a change made outside a
 * request is saved shortly after. The call log and credits grow with every call and are a log,
 * not records (a call is logged once answered): they are saved apart, at most every 200 ms,
 * so a kill may lose the last moment of the log but no record. Both are appended to journals
 * where they can be (state.ts): a record written, a call logged, credits charged — rather than
 * written whole each time.
 */
export interface Saving {
  /**
   * `orgId`: only that org's records (or workflow runs) changed, with anything in the state file;
   * without it, anything may have: the next save writes every org's records. `record` too: only
   * that record (and the org's workflow runs, and the id sequence) changed — the save appends it
   * to the org's journal (state.ts) rather than writing the org and the state file again.
   */
  changed(orgId?: string, record?: { module: ModuleName; id: string }): void;
  /** A call logged or credits charged (`entry`: appended to the usage journal); none: anything in the usage may have changed. */
  logged(entry?: UsageEntry): void;
  saveChanges(): void;
  /**
   * Saves the changes made so far before resolving, once for every answer waiting in the same
   * turn of the event loop (group commit: under load one save covers many answers; each is still
   * sent only once what it acknowledged is saved).
   */
  saveChangesTogether(): Promise<void>;
  flush(): void;
}

const outsideRequestMs = 50;
const usageMs = 200;

export function createSaving(file: string | undefined, state: () => SandboxState): Saving {
  let recordsTimer: NodeJS.Timeout | undefined;
  let usageTimer: NodeJS.Timeout | undefined;
  let together: Promise<void> | undefined;
  // Orgs whose records changed since the last save; `all`: save every org's. `touched`: orgs where
  // only the records named changed, for their journals.
  let dirty = new Set<string>();
  let touched = new Map<string, Map<string, { module: ModuleName; id: string }>>();
  let all = false;
  // Calls logged and credits charged since the usage file was last saved; `usageWhole`: write it
  // whole rather than append them to its journal.
  let pendingUsage: UsageEntry[] = [];
  let usageWhole = false;
  // Whether the file on disk keeps records apart: known from the state it was read into.
  let apartOnDisk: boolean | undefined;
  const onDisk = () => (apartOnDisk ??= recordsKeptApart(state()));
  const saved = () => {
    dirty = new Set();
    touched = new Map();
    all = false;
    apartOnDisk = true;
  };
  const later = (ms: number, save: () => void) => {
    const timer = setTimeout(save, ms);
    timer.unref();
    return timer;
  };
  const saving: Saving = {
    changed(orgId, record) {
      if (!file) return;
      if (orgId === undefined) {
        all = true;
        // Anything may have changed, the call log too (cleared): its next save writes it whole.
        usageWhole = true;
      } else if (!record) dirty.add(orgId);
      else {
        let records = touched.get(orgId);
        if (!records) touched.set(orgId, (records = new Map()));
        records.set(`${record.module}\0${record.id}`, record);
      }
      if (!recordsTimer) recordsTimer = later(outsideRequestMs, () => saving.saveChanges());
    },
    logged(entry) {
      if (!file) return;
      if (entry) pendingUsage.push(entry);
      else usageWhole = true;
      if (usageTimer) return;
      usageTimer = later(usageMs, () => {
        usageTimer = undefined;
        const entries = pendingUsage;
        const whole = usageWhole;
        pendingUsage = [];
        usageWhole = false;
        if (whole || !appendUsage(file, entries)) saveUsage(file, state());
      });
    },
    saveChanges() {
      if (!recordsTimer) return;
      clearTimeout(recordsTimer);
      recordsTimer = undefined;
      // Marked saved only once written: a failed save is tried again whole with the next change.
      const now = state();
      if (all || !onDisk()) saveRecords(file!, now, undefined, onDisk());
      else {
        // Orgs whose only changes are named records take journal lines; the others, and those
        // that cannot (journalText), a snapshot with the state file, written first.
        const snapshots = new Set(dirty);
        const lines = new Map<string, string>();
        for (const [orgId, records] of touched) {
          if (snapshots.has(orgId)) continue;
          const text = journalText(file!, now, orgId, records.values());
          if (text === undefined) snapshots.add(orgId);
          else lines.set(orgId, text);
        }
        if (snapshots.size) saveRecords(file!, now, snapshots, true);
        for (const [orgId, text] of lines) appendJournal(file!, now, orgId, text);
      }
      saved();
    },
    saveChangesTogether() {
      if (!recordsTimer) return together ?? Promise.resolve();
      together ??= new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          together = undefined;
          try {
            saving.saveChanges();
            resolve();
          } catch (err) {
            reject(err);
          }
        }),
      );
      return together;
    },
    flush() {
      clearTimeout(recordsTimer);
      clearTimeout(usageTimer);
      recordsTimer = usageTimer = undefined;
      pendingUsage = [];
      usageWhole = false;
      if (file) saveState(file, state(), onDisk());
      saved();
    },
  };
  return saving;
}
