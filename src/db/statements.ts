import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Queryable } from './port.ts';

/**
 * Database statements counted where they leave the process (the database port, and pg-boss's own
 * connection), by what they are for. Every statement is a round trip; on PGlite, whose one
 * connection serves the whole process, each also holds up everything queued behind it. The
 * figures are this process's, for `/metrics` (`peposmart_db_statements_total`) and the bench.
 *
 * The kind comes from the table a statement works on; statements of events, workspaces, users
 * and connections count as `intake` inside an event's intake (inStatementScope) and as `events`
 * elsewhere (a job reading its event and settings, settling it). BEGIN and COMMIT (or ROLLBACK)
 * count as `transactions`.
 */
export const statementKinds = [
  'intake',
  'queue',
  'claims',
  'references',
  'activity',
  'tokens',
  'slots',
  'events',
  'transactions',
  'other',
] as const;
export type StatementKind = (typeof statementKinds)[number];

const scope = new AsyncLocalStorage<StatementKind>();

/** Runs `fn` with the statements it makes on the app's tables counted as `kind`. */
export function inStatementScope<T>(kind: StatementKind, fn: () => T): T {
  return scope.run(kind, fn);
}

const rules: ReadonlyArray<[RegExp, StatementKind]> = [
  [/\bsync_claims\b/, 'claims'],
  [/\bsync_refs\b/, 'references'],
  [/\bzoho_call_slots\b/, 'slots'],
  [/\bconnection_tokens\b/, 'tokens'],
  [/\b(INSERT INTO|FROM)\s+activity\b/i, 'activity'],
  [/\.job\b|\bjob_common\b|\bpg_notify\b/, 'queue'],
];

export function classifyStatement(sql: string): StatementKind {
  for (const [pattern, kind] of rules) if (pattern.test(sql)) return kind;
  const inScope = scope.getStore();
  if (inScope) return inScope;
  return /\b(events|workspaces|users|connections)\b/.test(sql) ? 'events' : 'other';
}

export interface StatementCounter {
  add(kind: StatementKind, n?: number): void;
  /** Counts since the process started, every kind present. */
  totals(): Record<StatementKind, number>;
}

export function createStatementCounter(): StatementCounter {
  const counts = Object.fromEntries(statementKinds.map((k) => [k, 0])) as Record<StatementKind, number>;
  return {
    add(kind, n = 1) {
      counts[kind] += n;
    },
    totals: () => ({ ...counts }),
  };
}

function countedQueryable(q: Queryable, counter: StatementCounter): Queryable {
  return {
    query(text, values) {
      counter.add(classifyStatement(text));
      return q.query(text, values);
    },
  };
}

/** `db` with every statement made through it counted (the object keeps its other members). */
export function countStatements<D extends Database>(db: D, counter: StatementCounter): D {
  return {
    ...db,
    query: countedQueryable(db, counter).query,
    async transaction(fn) {
      counter.add('transactions', 2);
      return db.transaction((tx) => fn(countedQueryable(tx, counter)));
    },
  };
}
