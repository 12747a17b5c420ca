import { recordsKeptApart, type SandboxState, saveRecords, saveState, saveUsage } from './state.ts';

/**
 * When the state reaches the data folder (R1, issue 12). A change to records, tokens or
 * settings is saved before the answer that follows it is sent (the app's hook calls
 * `saveChanges`), so a kill never loses what the sandbox acknowledged; a change made outside a
 * request is saved shortly after. The call log and credits grow with every call and are a log,
 * not records (a call is logged once answered): they are saved apart, at most every 200 ms,
 * so a kill may lose the last moment of the log but no record.
 */
export interface Saving {
  /**
   * `orgId`: only that org's records (or workflow runs) changed, with anything in the state file;
   * without it, anything may have: the next save writes every org's records.
   */
  changed(orgId?: string): void;
  logged(): void;
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
  // Orgs whose records changed since the last save; `all`: save every org's.
  let dirty = new Set<string>();
  let all = false;
  // Whether the file on disk keeps records apart: known from the state it was read into.
  let apartOnDisk: boolean | undefined;
  const onDisk = () => (apartOnDisk ??= recordsKeptApart(state()));
  const saved = () => {
    dirty = new Set();
    all = false;
    apartOnDisk = true;
  };
  const later = (ms: number, save: () => void) => {
    const timer = setTimeout(save, ms);
    timer.unref();
    return timer;
  };
  const saving: Saving = {
    changed(orgId) {
      if (!file) return;
      if (orgId === undefined) all = true;
      else dirty.add(orgId);
      if (!recordsTimer) recordsTimer = later(outsideRequestMs, () => saving.saveChanges());
    },
    logged() {
      if (!file || usageTimer) return;
      usageTimer = later(usageMs, () => {
        usageTimer = undefined;
        saveUsage(file, state());
      });
    },
    saveChanges() {
      if (!recordsTimer) return;
      clearTimeout(recordsTimer);
      recordsTimer = undefined;
      // Marked saved only once written: a failed save is tried again whole with the next change.
      saveRecords(file!, state(), all ? undefined : dirty, onDisk());
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
      if (file) saveState(file, state(), onDisk());
      saved();
    },
  };
  return saving;
}
