import { describe, expect, it } from 'vitest';
import type { Database, Queryable } from './port.ts';
import {
  classifyStatement,
  countStatements,
  createStatementCounter,
  inStatementScope,
} from './statements.ts';

describe('classifyStatement', () => {
  it.each([
    ['INSERT INTO sync_claims (connection_id) VALUES ($1)', 'claims'],
    ['SELECT module, zoho_id FROM sync_refs WHERE key = $1', 'references'],
    ['UPDATE zoho_call_slots SET holder = NULL', 'slots'],
    ['SELECT t.* FROM connection_tokens t JOIN connections c ON c.id = t.connection_id', 'tokens'],
    ['INSERT INTO activity (workspace_id) VALUES ($1)', 'activity'],
    ['WITH ins AS (INSERT INTO pgboss.job_common (id) VALUES ($1))', 'queue'],
    ['UPDATE events SET status = $2 WHERE id = $1', 'events'],
    ['SELECT 1', 'other'],
  ])('%s → %s', (sql, kind) => {
    expect(classifyStatement(sql)).toBe(kind);
  });

  it('counts the app tables as intake inside an intake, never the queue or claims', () => {
    inStatementScope('intake', () => {
      expect(classifyStatement('INSERT INTO events (id) VALUES ($1)')).toBe('intake');
      expect(classifyStatement('SELECT id FROM users WHERE id = $1')).toBe('intake');
      expect(classifyStatement('INSERT INTO pgboss.job_common (id) VALUES ($1)')).toBe('queue');
    });
  });
});

describe('countStatements', () => {
  const fake = (): Database => {
    const q: Queryable = { query: async () => ({ rows: [], rowCount: 0 }) };
    return { kind: 'pglite', ...q, transaction: (fn) => fn(q), close: async () => {} };
  };

  it('counts each statement by kind, and BEGIN and COMMIT of a transaction', async () => {
    const counter = createStatementCounter();
    const db = countStatements(fake(), counter);
    await db.query('SELECT module FROM sync_refs');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO activity (message) VALUES ($1)', ['x']);
      await tx.query('DELETE FROM sync_claims');
    });
    expect(counter.totals()).toMatchObject({
      references: 1,
      activity: 1,
      claims: 1,
      transactions: 2,
      other: 0,
    });
  });

  it('keeps the members of the database it wraps', () => {
    const db = countStatements(
      { ...fake(), extra: 'kept' } as Database & { extra: string },
      createStatementCounter(),
    );
    expect(db.kind).toBe('pglite');
    expect(db.extra).toBe('kept');
  });
});
