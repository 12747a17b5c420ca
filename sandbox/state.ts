import fs from 'node:fs';
import path from 'node:path';
import { privateDirMode, privateFileMode } from '../src/files/private-dir.ts';
import type { DataCenter } from './dc.ts';
import type { FieldDef, ModuleName } from './modules.ts';

/**
 * The sandbox's whole state as plain JSON, so it can be saved to the data folder and
 * restored across restarts. Tokens and grant codes are keyed by their SHA-256 hash.
 */
export type Edition = 'free' | 'standard' | 'professional' | 'enterprise' | 'ultimate';
export type Action = 'view' | 'create' | 'edit' | 'delete';

export interface SbUser {
  id: string;
  org_id: string;
  email: string;
  first_name: string;
  last_name: string;
  profile: string;
  role: string;
  status: 'active' | 'disabled';
  /** The person's short Zoho account id (ZUID), as opposed to the CRM user id. */
  zuid?: string;
}

export interface Stage {
  id: string;
  name: string;
  probability: number;
  forecast: 'Open' | 'Closed Won' | 'Closed Lost';
}

export interface Pipeline {
  id: string;
  name: string;
  default: boolean;
  stages: Stage[];
}

export interface Layout {
  id: string;
  name: string;
  pipelines: Pipeline[];
}

export interface Condition {
  field: string;
  operator:
    | 'equals'
    | 'not_equals'
    | 'contains'
    | 'not_contains'
    | 'starts_with'
    | 'is_empty'
    | 'is_not_empty';
  value?: string;
}

export interface ValidationRule {
  id: string;
  module: ModuleName;
  /** The record is refused when the condition holds. */
  condition: Condition;
  message: string;
}

export interface WorkflowRule {
  id: string;
  name: string;
  module: ModuleName;
  on: 'create' | 'edit' | 'create_or_edit';
}

export interface WorkflowRun {
  at: string;
  rule_id: string;
  rule_name: string;
  module: ModuleName;
  record_id: string;
  event: 'create' | 'edit';
}

export interface Blueprint {
  id: string;
  module: 'Deals';
  /** Deals of this pipeline (or these records) are governed; a direct Stage change is refused. */
  pipeline?: string;
  record_ids?: string[];
}

/**
 * What the org's `license_details` report beyond its edition: a bundle's own name for the
 * paid plan (e.g. "zohoone"), or a trial of another edition running until `expires_ms`.
 */
export interface License {
  paid_type?: string;
  trial?: { edition: Edition; started_ms: number; expires_ms: number };
}

export interface SbOrg {
  id: string;
  name: string;
  /** The edition paid for; its limits apply unless a trial is running. */
  edition: Edition;
  /** Zoho's short group id of the org (the `id` is the long CRM org id). */
  zgid?: string;
  license?: License;
  data_center: DataCenter;
  api_access: boolean;
  /** The org's administrator blocks third-party apps: consent is refused (sandbox Guesses). */
  third_party_apps_blocked?: boolean;
  id_prefix: string;
  created_at: string;
  time_zone: string;
  currency: string;
  users: string[];
  /** profile name → module → allowed actions */
  profiles: Record<string, Partial<Record<ModuleName, Action[]>>>;
  /** Overrides of the edition's limits (tests make them small). */
  credits_per_day?: number;
  concurrency_limit?: number;
  /** Added to every API call of the org, as a real network and server would. */
  latency_ms: number;
  /** Each call's latency is drawn from latency_ms ± this (sandbox/latency.ts); absent in older states. */
  latency_jitter_ms?: number;
  /** How long a new or changed record stays invisible to search (Zoho's index lag). */
  search_lag_ms: number;
  unique_fields: Partial<Record<ModuleName, string[]>>;
  mandatory_fields: Partial<Record<ModuleName, string[]>>;
  validation_rules: ValidationRule[];
  workflow_rules: WorkflowRule[];
  blueprints: Blueprint[];
  deal_layouts: Layout[];
  /** Custom fields the org's administrator added, per module (absent in older states). */
  custom_fields?: Partial<Record<ModuleName, FieldDef[]>>;
  /** The org's own values for standard picklists, per module and field (e.g. Lead_Source). */
  picklist_values?: Partial<Record<ModuleName, Record<string, string[]>>>;
}

export interface SbClient {
  client_id: string;
  client_secret: string;
  name: string;
  redirect_uris: string[];
  home_dc: DataCenter;
  multi_dc: boolean;
  self_client: boolean;
}

export interface GrantCode {
  client_id: string;
  user_id: string;
  dc: DataCenter;
  scopes: string[];
  redirect_uri: string | null;
  offline: boolean;
  /** PKCE (RFC 7636), when the authorization request carried a challenge. */
  code_challenge?: string;
  code_challenge_method?: 'S256' | 'plain';
  issued_ms: number;
  expires_ms: number;
  used: boolean;
}

export interface RefreshToken {
  client_id: string;
  user_id: string;
  dc: DataCenter;
  scopes: string[];
  issued_ms: number;
  /** When each access token was minted from it, for the per-10-minutes limit. */
  mints_ms: number[];
}

export interface AccessToken {
  client_id: string;
  user_id: string;
  dc: DataCenter;
  scopes: string[];
  refresh_hash: string | null;
  issued_ms: number;
  expires_ms: number;
}

export interface StoredRecord {
  id: string;
  fields: Record<string, unknown>;
  created_ms: number;
  modified_ms: number;
  /** Search sees the record only from then on. */
  searchable_ms: number;
  /** What search still sees of a changed record until `searchable_ms` (the old index entry). */
  stale_index?: Record<string, unknown>;
}

/** A record gone from its module (converted, merged away or deleted): kept for `converted=true`. */
export interface RemovedRecord extends StoredRecord {
  removed: {
    at_ms: number;
    reason: 'converted' | 'merged' | 'deleted';
    /** converted: the records made from the Lead; merged: the master. */
    into?: Partial<Record<ModuleName, string | null>>;
  };
}

export interface CallLog {
  at: string;
  method: string;
  path: string;
  status: number;
  user_id: string | null;
  dc: DataCenter;
  client_id: string | null;
  /** First 12 hex digits of the SHA-256 of the access or refresh token used, never the token. */
  token_hash: string | null;
  code: string | null;
  credits: number;
}

export interface CallCounts {
  api: Record<string, number>;
  accounts: Record<string, number>;
}

export interface Fault {
  id: string;
  org_id?: string;
  dc?: DataCenter;
  method?: string;
  /** A regular expression matched against the path after the data-centre prefix. */
  path?: string;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  latency_ms?: number;
  drop?: boolean;
  remaining: number;
  served: number;
}

export interface SandboxState {
  version: 1;
  seq: number;
  clock_offset_ms: number;
  cookie_secret: string;
  orgs: Record<string, SbOrg>;
  users: Record<string, SbUser>;
  clients: Record<string, SbClient>;
  codes: Record<string, GrantCode>;
  refresh_tokens: Record<string, RefreshToken>;
  access_tokens: Record<string, AccessToken>;
  /** Revoked or deleted tokens, so calls still made with them are logged against their org. */
  dead_tokens: Record<string, { org_id: string; user_id: string }>;
  records: Record<string, Partial<Record<ModuleName, Record<string, StoredRecord>>>>;
  /** Converted, merged-away and deleted records (Zoho's converted leads and recycle bin). */
  removed_records?: Record<string, Partial<Record<ModuleName, Record<string, RemovedRecord>>>>;
  calls: Record<string, CallLog[]>;
  /**
   * Every call the org received since its log was last cleared, by API or accounts and status:
   * the log keeps only the latest calls (sandbox/calls.ts), these counts all of them.
   */
  call_counts: Record<string, CallCounts>;
  credits: Record<string, Array<{ ms: number; cost: number }>>;
  workflow_runs: Record<string, WorkflowRun[]>;
  faults: Fault[];
}

export function emptyState(cookieSecret: string): SandboxState {
  return {
    version: 1,
    seq: 1000,
    clock_offset_ms: 0,
    cookie_secret: cookieSecret,
    orgs: {},
    users: {},
    clients: {},
    codes: {},
    refresh_tokens: {},
    access_tokens: {},
    dead_tokens: {},
    records: {},
    calls: {},
    call_counts: {},
    credits: {},
    workflow_runs: {},
    faults: [],
  };
}

/**
 * The call log and credits are kept in a file of their own beside the state: they grow with
 * every call, are a log rather than records, and are saved shortly after instead of before each
 * answer (R1), which keeps the save that precedes an answer small.
 */
export function usageFile(file: string): string {
  return file.replace(/\.json$/, '-usage.json');
}

type Usage = Pick<SandboxState, 'calls' | 'call_counts' | 'credits'> & {
  /** The generation of the journal continuing this file (as for an org's records, below). */
  journal?: number;
};

/** The call log keeps at most this many calls per org, oldest dropped first (the counts keep all). */
export const MAX_CALLS_PER_ORG = 20_000;

/**
 * A call logged or credits charged since the usage file was written, appended to its journal
 * (issue 13: writing the whole log and every charge of the day five times a second was the largest
 * part of the sandbox's time under load).
 */
export type UsageEntry =
  | { org: string; call: CallLog }
  | { org: string; charge: { ms: number; cost: number } };

const usageJournalFile = (file: string, gen: number) => file.replace(/\.json$/, `-usage.${gen}.jsonl`);
/** What the data folder holds of the usage, by the state file's path (it outlives a reset's new state). */
const usageLayouts = new Map<string, JournalOnDisk>();

/**
 * A journal's lines, read whole; `torn`: its last line was cut short by a kill (every line is
 * written with its newline) and is left out. None when there is no such file.
 */
function readJournal<T>(at: string): { entries: T[]; bytes: number; torn: boolean } {
  const text = fs.existsSync(at) ? fs.readFileSync(at, 'utf8') : '';
  const lines = text.split('\n');
  const torn = lines.pop() !== '';
  return { entries: lines.map((line) => JSON.parse(line) as T), bytes: text.length, torn };
}

/** What the folder holds of a journal and the file it continues. */
type JournalOnDisk = { gen: number; snapshotBytes: number; journalBytes: number };

/**
 * Whether the next save of what `on` describes must be a snapshot: none yet, or its journal grown
 * past it (or given up after a line cut short, journalBytes then infinite).
 */
const needsSnapshot = (on: JournalOnDisk | undefined): on is undefined =>
  !on || on.journalBytes > Math.max(JOURNAL_MIN_BYTES, on.snapshotBytes);

/** Appends `text` (whole lines) to the journal `on` describes, at `at`. */
function appendLines(at: string, on: JournalOnDisk, text: string): void {
  if (!text) return;
  try {
    fs.appendFileSync(at, text, { mode: privateFileMode });
  } catch (err) {
    // Part of it may be written: the next save makes a snapshot instead.
    on.journalBytes = Number.POSITIVE_INFINITY;
    throw err;
  }
  on.journalBytes += text.length;
}

/** Applies the usage journal's entries to `usage`. */
function replayUsage(usage: Required<Omit<Usage, 'journal'>>, entries: readonly UsageEntry[]): void {
  const charged = new Set<string>();
  for (const entry of entries) {
    if ('call' in entry) {
      const calls = (usage.calls[entry.org] ??= []);
      calls.push(entry.call);
      countCall((usage.call_counts[entry.org] ??= { api: {}, accounts: {} }), entry.call);
      if (calls.length > MAX_CALLS_PER_ORG) calls.splice(0, calls.length - MAX_CALLS_PER_ORG);
    } else {
      (usage.credits[entry.org] ??= []).push(entry.charge);
      charged.add(entry.org);
    }
  }
  // Charges in clock order, as the sandbox keeps them (limits.ts).
  for (const org of charged) usage.credits[org]!.sort((a, b) => a.ms - b.ms);
}

/**
 * Each org's records (live and removed) and workflow runs are kept in a file of their own, in a
 * folder beside the state (issue 13): a save writes the orgs that changed, not every org's records
 * again, which made each save dearer as records piled up. The state file says so
 * (`records_apart`); one saved before holds them itself.
 */
export function recordsDir(file: string): string {
  return file.replace(/\.json$/, '-records');
}

const orgFile = (file: string, orgId: string) =>
  path.join(recordsDir(file), `${encodeURIComponent(orgId)}.json`);
/** The org an org file in recordsDir holds, or undefined for another file. */
const orgOfFile = (name: string) =>
  name.endsWith('.json') ? decodeURIComponent(name.slice(0, -'.json'.length)) : undefined;
/** States read from a file that keeps records apart (see recordsKeptApart). */
const loadedApart = new WeakSet<SandboxState>();

/**
 * An org's file is a snapshot; the writes answered since are appended to a journal beside it
 * (issue 13: rewriting the whole org, and renaming it into place, on every answered write was most
 * of the sandbox's time under load, and grew with the org). The snapshot names the journal that
 * continues it by a generation number: a new snapshot starts a new generation, and the journal of
 * the one before is then deleted — a kill between the two leaves a journal no snapshot names, which
 * is ignored. A line is one record as it stands (or the workflow runs added) with the id sequence.
 */
type OrgRecords = {
  records?: SandboxState['records'][string] | undefined;
  removed_records?: NonNullable<SandboxState['removed_records']>[string] | undefined;
  workflow_runs?: SandboxState['workflow_runs'][string] | undefined;
  /** The generation of the journal continuing this snapshot. */
  journal?: number;
};

interface JournalLine {
  seq: number;
  /** A live record as it now stands, by module and id. */
  put?: [ModuleName, string, StoredRecord];
  /** Workflow runs added: the org's runs from that index on. */
  runs?: [number, WorkflowRun[]];
}

/** What the data folder holds of an org: its snapshot's generation and sizes, its journal's. */
interface OrgOnDisk extends JournalOnDisk {
  /** Workflow runs already saved (snapshot and journal). */
  runs: number;
}

const journalFile = (file: string, orgId: string, gen: number) =>
  path.join(recordsDir(file), `${encodeURIComponent(orgId)}.${gen}.jsonl`);
/** The org and generation of a journal file in recordsDir, or undefined for another file. */
const journalOfFile = (name: string) => {
  const m = /^(.*)\.(\d+)\.jsonl$/.exec(name);
  return m ? { orgId: decodeURIComponent(m[1]!), gen: Number(m[2]) } : undefined;
};
/**
 * What each data folder holds of its orgs, by the state file's path: it describes the folder, so it
 * outlives a state replaced by a reset (whose org ids may come again).
 */
const layouts = new Map<string, Map<string, OrgOnDisk>>();

function orgsOnDisk(file: string): Map<string, OrgOnDisk> {
  let layout = layouts.get(file);
  if (!layout) layouts.set(file, (layout = new Map()));
  return layout;
}

/** Applies an org's journal lines to `state`. */
function replayJournal(state: SandboxState, orgId: string, entries: readonly JournalLine[]): void {
  for (const entry of entries) {
    state.seq = Math.max(state.seq, entry.seq);
    if (entry.put) {
      const [module, id, rec] = entry.put;
      const byModule = (state.records[orgId] ??= {});
      (byModule[module] ??= {})[id] = rec;
    }
    if (entry.runs) {
      const [from, added] = entry.runs;
      state.workflow_runs[orgId] = [...(state.workflow_runs[orgId] ?? []).slice(0, from), ...added];
    }
  }
}

export function loadState(file: string): SandboxState | undefined {
  if (!fs.existsSync(file)) return undefined;
  const state = JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxState & { records_apart?: true };
  if (state.version !== 1) return undefined;
  const disk = new Map<string, OrgOnDisk>();
  const usageAt = usageFile(file);
  // A state saved before the split holds its calls and credits itself.
  const usageText = fs.existsSync(usageAt) ? fs.readFileSync(usageAt, 'utf8') : undefined;
  const usage: Partial<Usage> = usageText !== undefined ? JSON.parse(usageText) : {};
  if (state.records_apart) {
    state.records = {};
    state.removed_records = {};
    state.workflow_runs = {};
    const dir = recordsDir(file);
    for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const orgId = orgOfFile(name);
      if (orgId === undefined) continue;
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const org = JSON.parse(text) as OrgRecords;
      if (org.records) state.records[orgId] = org.records;
      if (org.removed_records) state.removed_records[orgId] = org.removed_records;
      if (org.workflow_runs) state.workflow_runs[orgId] = org.workflow_runs;
      const gen = org.journal ?? 0;
      const journal = readJournal<JournalLine>(journalFile(file, orgId, gen));
      replayJournal(state, orgId, journal.entries);
      disk.set(orgId, {
        gen,
        snapshotBytes: text.length,
        // After a line cut short, nothing more is appended to it: the next save is a snapshot.
        journalBytes: journal.torn ? Number.POSITIVE_INFINITY : journal.bytes,
        runs: state.workflow_runs[orgId]?.length ?? 0,
      });
    }
  }
  const apart = state.records_apart === true;
  delete state.records_apart;
  grantNewModules(state);
  const loaded: SandboxState = {
    ...state,
    calls: usage.calls ?? state.calls ?? {},
    // A state saved before the counts existed: they start at what its log still holds.
    call_counts: usage.call_counts ?? countLoggedCalls(usage.calls ?? state.calls ?? {}),
    credits: usage.credits ?? state.credits ?? {},
  };
  const usageGen = usage.journal ?? 0;
  const journal = readJournal<UsageEntry>(usageJournalFile(file, usageGen));
  replayUsage(loaded, journal.entries);
  if (usageText !== undefined)
    usageLayouts.set(file, {
      gen: usageGen,
      snapshotBytes: usageText.length,
      journalBytes: journal.torn ? Number.POSITIVE_INFINITY : journal.bytes,
    });
  if (apart) loadedApart.add(loaded);
  layouts.set(file, disk);
  return loaded;
}

/**
 * Whether `state` was read from a file that keeps its records apart; otherwise (a state saved
 * before, or a new one) the first save writes every org's records before the state file.
 */
export function recordsKeptApart(state: SandboxState): boolean {
  return loadedApart.has(state);
}

/**
 * Orgs saved before Events existed: their profiles name no Events access, which would read
 * as none. Each profile gets full access to it, as orgs made since do.
 */
function grantNewModules(state: SandboxState): void {
  for (const org of Object.values(state.orgs))
    for (const profile of Object.values(org.profiles))
      profile.Events ??= ['view', 'create', 'edit', 'delete'];
}

function countLoggedCalls(calls: Record<string, CallLog[]>): Record<string, CallCounts> {
  const counts: Record<string, CallCounts> = {};
  for (const [orgId, log] of Object.entries(calls))
    for (const call of log) countCall((counts[orgId] ??= { api: {}, accounts: {} }), call);
  return counts;
}

/** Accounts calls (token grants and refreshes) are logged under /oauth/…; the rest are API calls. */
export function countCall(counts: CallCounts, call: Pick<CallLog, 'path' | 'status'>): void {
  const side = call.path.startsWith('/oauth') ? counts.accounts : counts.api;
  side[call.status] = (side[call.status] ?? 0) + 1;
}

/**
 * Saves orgs, users, clients, tokens and settings (the state file), and the records of `orgs`
 * (every org when not given). `apartOnDisk`: the file on disk already keeps records apart; when
 * it does not (a state saved before, or none), every org's records are written first and the state
 * file last, so a kill in between leaves the earlier state whole. Otherwise the state file goes
 * first: the id sequence in it never falls behind a record saved with one of its ids.
 */
export function saveRecords(
  file: string,
  state: SandboxState,
  orgs?: Iterable<string>,
  apartOnDisk = true,
): void {
  const main = () =>
    writePrivate(
      file,
      JSON.stringify({
        ...state,
        calls: undefined,
        call_counts: undefined,
        credits: undefined,
        records: undefined,
        removed_records: undefined,
        workflow_runs: undefined,
        records_apart: true,
      }),
    );
  const all = orgs === undefined || !apartOnDisk;
  const which = all
    ? new Set([
        ...Object.keys(state.records),
        ...Object.keys(state.removed_records ?? {}),
        ...Object.keys(state.workflow_runs),
      ])
    : new Set(orgs);
  const disk = orgsOnDisk(file);
  if (apartOnDisk) main();
  for (const orgId of which) saveOrg(file, state, orgId, disk);
  // Orgs deleted since: their files go too, and journals no snapshot names (a kill between a
  // snapshot and the removal of the journal before it).
  if (all) {
    const dir = recordsDir(file);
    for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const orgId = orgOfFile(name);
      const journal = journalOfFile(name);
      const stale =
        (orgId !== undefined && !which.has(orgId)) ||
        (journal !== undefined &&
          (!which.has(journal.orgId) || disk.get(journal.orgId)?.gen !== journal.gen));
      if (stale) fs.rmSync(path.join(dir, name), { force: true });
    }
    for (const orgId of disk.keys()) if (!which.has(orgId)) disk.delete(orgId);
  }
  if (!apartOnDisk) main();
}

/** A new snapshot of the org, starting a new journal generation; the journal before it goes. */
function saveOrg(file: string, state: SandboxState, orgId: string, disk: Map<string, OrgOnDisk>): void {
  const before = disk.get(orgId);
  // An org this folder knows no snapshot of may still have journals of its id, named by nothing (a
  // reset whose new orgs take the old ids again, a kill before the org's first snapshot): the new
  // generation comes after theirs, and they go once it is written.
  const strays = before
    ? []
    : (fs.existsSync(recordsDir(file)) ? fs.readdirSync(recordsDir(file)) : []).filter(
        (name) => journalOfFile(name)?.orgId === orgId,
      );
  const gen = Math.max(before?.gen ?? 0, ...strays.map((name) => journalOfFile(name)!.gen)) + 1;
  const org: OrgRecords = {
    records: state.records[orgId],
    removed_records: state.removed_records?.[orgId],
    workflow_runs: state.workflow_runs[orgId],
    journal: gen,
  };
  if (!org.records && !org.removed_records && !org.workflow_runs) {
    fs.rmSync(orgFile(file, orgId), { force: true });
    disk.delete(orgId);
  } else {
    const text = JSON.stringify(org);
    writePrivate(orgFile(file, orgId), text);
    disk.set(orgId, {
      gen,
      snapshotBytes: text.length,
      journalBytes: 0,
      runs: org.workflow_runs?.length ?? 0,
    });
  }
  if (before) fs.rmSync(journalFile(file, orgId, before.gen), { force: true });
  for (const name of strays) fs.rmSync(path.join(recordsDir(file), name), { force: true });
}

/**
 * The org's journal lines for `records` as they now stand and the workflow runs added since its
 * last save; undefined when the org needs a snapshot instead (none on disk yet, a record no longer
 * live, runs removed, or a journal grown past its snapshot).
 */
export function journalText(
  file: string,
  state: SandboxState,
  orgId: string,
  records: Iterable<{ module: ModuleName; id: string }>,
): string | undefined {
  const on = orgsOnDisk(file).get(orgId);
  if (needsSnapshot(on)) return undefined;
  const lines: JournalLine[] = [];
  for (const { module, id } of records) {
    const rec = state.records[orgId]?.[module]?.[id];
    if (!rec) return undefined;
    lines.push({ seq: state.seq, put: [module, id, rec] });
  }
  const runs = state.workflow_runs[orgId] ?? [];
  if (runs.length < on.runs) return undefined;
  if (runs.length > on.runs) lines.push({ seq: state.seq, runs: [on.runs, runs.slice(on.runs)] });
  return lines.map((l) => `${JSON.stringify(l)}\n`).join('');
}

/** Appends `text` (journalText's, for the state as it still stands) to the org's journal. */
export function appendJournal(file: string, state: SandboxState, orgId: string, text: string): void {
  const on = orgsOnDisk(file).get(orgId)!;
  appendLines(journalFile(file, orgId, on.gen), on, text);
  on.runs = state.workflow_runs[orgId]?.length ?? 0;
}

/** A journal is replaced by a new snapshot once larger than this and than the snapshot. */
const JOURNAL_MIN_BYTES = 256 * 1024;

export function saveUsage(file: string, state: SandboxState): void {
  // Every usage journal there is: the one before, and any a kill or a reset left; the new
  // generation comes after them all, and they go once it is written.
  const prefix = path.basename(file).replace(/\.json$/, '-usage.');
  const dir = path.dirname(file);
  const journals = (fs.existsSync(dir) ? fs.readdirSync(dir) : []).filter(
    (name) => name.startsWith(prefix) && /^\d+\.jsonl$/.test(name.slice(prefix.length)),
  );
  const gen =
    Math.max(
      usageLayouts.get(file)?.gen ?? 0,
      ...journals.map((name) => Number.parseInt(name.slice(prefix.length), 10)),
    ) + 1;
  const usage: Usage = {
    calls: state.calls,
    call_counts: state.call_counts,
    credits: state.credits,
    journal: gen,
  };
  const text = JSON.stringify(usage);
  writePrivate(usageFile(file), text);
  usageLayouts.set(file, { gen, snapshotBytes: text.length, journalBytes: 0 });
  for (const name of journals) fs.rmSync(path.join(dir, name), { force: true });
}

/**
 * Appends `entries` to the usage journal; false, writing nothing, when the usage file is to be
 * written whole instead (none written yet, or the journal grown past it).
 */
export function appendUsage(file: string, entries: readonly UsageEntry[]): boolean {
  const on = usageLayouts.get(file);
  if (needsSnapshot(on)) return false;
  appendLines(usageJournalFile(file, on.gen), on, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return true;
}

export function saveState(file: string, state: SandboxState, apartOnDisk = true): void {
  saveUsage(file, state);
  saveRecords(file, state, undefined, apartOnDisk);
}

/**
 * Written to a temporary file and renamed, so a crash never leaves half a state; owner-only,
 * as the state holds OAuth client secrets and the cookie secret (L7).
 */
function writePrivate(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: privateDirMode });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.writeFileSync(tmp, text, { mode: privateFileMode });
  fs.renameSync(tmp, file);
}
