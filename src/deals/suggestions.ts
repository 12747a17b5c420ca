import crypto from 'node:crypto';
import type { Analysis } from '../analysis/analysis.ts';
import type { Database, Queryable } from '../db/port.ts';
import type { Deal } from '../zoho/deals.ts';
import type { DealWithStages } from './context.ts';

/**
 * Deal-stage suggestions: made from a meeting's analysis when it proposes another stage of the
 * deal's pipeline with enough confidence; kept with everything the user needs to decide.
 */
export const MIN_CONFIDENCE = 0.6;

/**
 * What tells a deal from another of the same name, as Zoho CRM gave it when the suggestion was
 * made (kept, so the pages never ask Zoho again to show it).
 */
export interface DealFacts {
  closingDate: string | null;
  amount: number | null;
  owner: string | null;
}

/** A deal the user may move instead of the suggested one: another open deal of the contact. */
export interface OtherDeal {
  id: string;
  name: string;
  stage: string;
  pipeline: string;
  stages: Array<{ name: string; closed: boolean }>;
  facts: DealFacts;
}

export const factsOf = (deal: Deal): DealFacts => ({
  closingDate: deal.closingDate,
  amount: deal.amount,
  owner: deal.owner,
});

/** Facts as stored; rows written before they were kept have none. */
const storedFacts = (v: unknown): DealFacts => {
  const f = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const text = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : null);
  return {
    closingDate: text('closingDate'),
    amount: typeof f['amount'] === 'number' ? f['amount'] : null,
    owner: text('owner'),
  };
};

export interface Suggestion {
  id: string;
  workspaceId: string;
  userId: string;
  connectionId: string;
  eventId: string;
  bookingId: string;
  meetingTitle: string;
  contactId: string;
  contactEmail: string;
  dealId: string;
  dealName: string;
  dealFacts: DealFacts;
  pipeline: string;
  stages: Array<{ name: string; closed: boolean }>;
  fromStage: string;
  suggestedStage: string;
  confidence: number;
  rationale: string;
  evidence: string[];
  intent: string;
  sentiment: string;
  nextSteps: string[];
  otherDeals: OtherDeal[];
  status: 'open' | 'deciding' | 'approved' | 'rejected' | 'conflict' | 'failed';
  outcome: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  ownerName: string | null;
}

/** Whether the analysis proposes a move of `deal`: another stage of its pipeline, confidently. */
export function proposedMove(analysis: Analysis, deal: DealWithStages): string | undefined {
  const s = analysis.stage_suggestion;
  if (!s || s.confidence < MIN_CONFIDENCE) return undefined;
  const stage = deal.stages.find((x) => x.name.toLowerCase() === s.stage.toLowerCase())?.name;
  return stage && stage !== deal.stage ? stage : undefined;
}

export async function createSuggestion(
  q: Queryable,
  input: {
    workspaceId: string;
    userId: string;
    connectionId: string;
    eventId: string;
    bookingId: string;
    meetingTitle: string;
    contact: { id: string; email: string };
    deal: DealWithStages;
    others: DealWithStages[];
    stage: string;
    analysis: Analysis;
  },
): Promise<{ id: string; created: boolean }> {
  const s = input.analysis.stage_suggestion!;
  const id = `sug_${crypto.randomBytes(8).toString('hex')}`;
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO suggestions (id, workspace_id, user_id, connection_id, event_id, booking_id, meeting_title,
        contact_id, contact_email, deal_id, deal_name, pipeline, stages, from_stage, suggested_stage, confidence,
        rationale, evidence, intent, sentiment, next_steps, other_deals, deal_facts, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, 'open')
     ON CONFLICT (event_id, workspace_id, contact_id) DO NOTHING RETURNING id`,
    [
      id,
      input.workspaceId,
      input.userId,
      input.connectionId,
      input.eventId,
      input.bookingId,
      input.meetingTitle,
      input.contact.id,
      input.contact.email,
      input.deal.id,
      input.deal.name,
      input.deal.pipelineName,
      JSON.stringify(input.deal.stages),
      input.deal.stage,
      input.stage,
      s.confidence,
      s.rationale,
      JSON.stringify(s.evidence),
      input.analysis.buyer_intent,
      input.analysis.sentiment,
      JSON.stringify(input.analysis.next_steps),
      JSON.stringify(
        input.others.map(
          (d): OtherDeal => ({
            id: d.id,
            name: d.name,
            stage: d.stage,
            pipeline: d.pipelineName,
            stages: d.stages,
            facts: factsOf(d),
          }),
        ),
      ),
      JSON.stringify(factsOf(input.deal)),
    ],
  );
  return { id: rows[0]?.id ?? id, created: Boolean(rows[0]) };
}

const select = `SELECT s.*, u.name AS owner_name FROM suggestions s LEFT JOIN users u ON u.id = s.user_id`;

function toSuggestion(r: Record<string, unknown>): Suggestion {
  const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
  return {
    id: String(r['id']),
    workspaceId: String(r['workspace_id']),
    userId: String(r['user_id']),
    connectionId: String(r['connection_id']),
    eventId: String(r['event_id']),
    bookingId: String(r['booking_id']),
    meetingTitle: String(r['meeting_title']),
    contactId: String(r['contact_id']),
    contactEmail: String(r['contact_email']),
    dealId: String(r['deal_id']),
    dealName: String(r['deal_name']),
    dealFacts: storedFacts(json(r['deal_facts'])),
    pipeline: String(r['pipeline']),
    stages: json(r['stages']),
    fromStage: String(r['from_stage']),
    suggestedStage: String(r['suggested_stage']),
    confidence: Number(r['confidence']),
    rationale: String(r['rationale']),
    evidence: json(r['evidence']),
    intent: String(r['intent']),
    sentiment: String(r['sentiment']),
    nextSteps: json(r['next_steps']),
    otherDeals: json<Array<Omit<OtherDeal, 'facts'> & { facts?: unknown }>>(r['other_deals']).map((d) => ({
      ...d,
      facts: storedFacts(d.facts),
    })),
    status: r['status'] as Suggestion['status'],
    outcome: (r['outcome'] as string | null) ?? null,
    createdAt: new Date(String(r['created_at'])),
    decidedAt: r['decided_at'] ? new Date(String(r['decided_at'])) : null,
    ownerName: (r['owner_name'] as string | null) ?? null,
  };
}

export interface Viewer {
  workspaceId: string;
  userId: string;
  admin: boolean;
}

/** A member sees the suggestions of their own connection; an admin those of the workspace. */
export async function listSuggestions(db: Database, v: Viewer): Promise<Suggestion[]> {
  const { rows } = await db.query(
    `${select} WHERE s.workspace_id = $1 AND ($2 OR s.user_id = $3)
      ORDER BY (s.status = 'open') DESC, s.created_at DESC LIMIT 100`,
    [v.workspaceId, v.admin, v.userId],
  );
  return rows.map(toSuggestion);
}

export async function findSuggestion(db: Queryable, v: Viewer, id: string): Promise<Suggestion | undefined> {
  const { rows } = await db.query(
    `${select} WHERE s.workspace_id = $1 AND s.id = $2 AND ($3 OR s.user_id = $4)`,
    [v.workspaceId, id, v.admin, v.userId],
  );
  return rows[0] ? toSuggestion(rows[0]) : undefined;
}

export interface Decision {
  action: 'approve' | 'reject';
  userId: string;
  /** Who decided, by name; null once that user is gone from PepoSmart. */
  userName: string | null;
  dealId: string;
  fromStage: string;
  toStage: string | null;
  outcome: 'written' | 'conflict' | 'failed' | 'rejected';
  detail: string | null;
  at: Date;
}

export async function decisionsOf(
  db: Queryable,
  workspaceId: string,
  suggestionId: string,
): Promise<Decision[]> {
  const { rows } = await db.query(
    `SELECT d.user_id, u.name AS user_name, d.action, d.deal_id, d.from_stage, d.to_stage, d.outcome, d.detail, d.at
       FROM suggestion_decisions d LEFT JOIN users u ON u.id = d.user_id AND u.workspace_id = d.workspace_id
      WHERE d.workspace_id = $1 AND d.suggestion_id = $2 ORDER BY d.id`,
    [workspaceId, suggestionId],
  );
  return rows.map((r) => ({
    action: r['action'] as Decision['action'],
    userId: String(r['user_id']),
    userName: (r['user_name'] as string | null) ?? null,
    dealId: String(r['deal_id']),
    fromStage: String(r['from_stage']),
    toStage: (r['to_stage'] as string | null) ?? null,
    outcome: r['outcome'] as Decision['outcome'],
    detail: (r['detail'] as string | null) ?? null,
    at: new Date(String(r['at'])),
  }));
}
