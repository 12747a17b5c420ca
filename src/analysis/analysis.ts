import { z } from 'zod';

/**
 * What an analyser reads and what it must return, for every implementation (OpenAI, offline).
 * One zod schema validates every analysis, whoever produced it; its JSON Schema is what the
 * OpenAI analyser asks the model to follow.
 */
export const priorities = ['Highest', 'High', 'Normal', 'Low', 'Lowest'] as const;
export type Priority = (typeof priorities)[number];

export interface TranscriptTurn {
  speaker: string;
  role?: 'host' | 'attendee' | undefined;
  start_ms?: number | undefined;
  text: string;
}

export interface AnalysisInput {
  meeting: { title: string; start_time: string; end_time: string; timezone: string };
  transcript: TranscriptTurn[];
  /** What the platform's own notes already found, when it sent them. */
  upstream?: {
    summary?: string | undefined;
    action_items?:
      | Array<{
          text: string;
          priority?: string | undefined;
          due?: string | undefined;
          owner?: string | undefined;
        }>
      | undefined;
  };
  /** The deal's pipeline, when there is one: the stages in order and where the deal is. */
  pipeline?: { stages: string[]; current_stage: string | null };
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a local date YYYY-MM-DD');

export const actionItemSchema = z.object({
  text: z.string().min(1).max(255).describe('The task, as an imperative a sales rep can act on'),
  owner: z.enum(['host', 'attendee']).describe('Which side committed to it'),
  priority: z.enum(priorities),
  due: isoDate.describe("Due date in the meeting's local calendar"),
  due_inferred: z.boolean().describe('True when no date was said and the due date follows urgency'),
  quote: z.string().describe('The words in the transcript it comes from'),
});
export type ActionItem = z.infer<typeof actionItemSchema>;

/** The most an analysis holds: a longer list is cut to this, earliest first, by the analyser. */
export const MAX_ACTION_ITEMS = 50;
export const MAX_NEXT_STEPS = 20;

export const analysisSchema = z.object({
  summary: z.string().min(1).max(4000),
  action_items: z.array(actionItemSchema).max(MAX_ACTION_ITEMS),
  sentiment: z.enum(['positive', 'neutral', 'negative', 'mixed']),
  buyer_intent: z.enum(['high', 'medium', 'low']),
  next_steps: z.array(z.string().min(1)).max(MAX_NEXT_STEPS),
  stage_suggestion: z
    .object({
      stage: z
        .string()
        .min(1)
        .describe('One of the pipeline stages given; the current one when nothing should change'),
      confidence: z.number().min(0).max(1),
      rationale: z.string(),
      evidence: z.array(z.string()).max(10).describe('Quotes from the transcript'),
    })
    .nullable()
    .describe('Null when no pipeline was given'),
});
export type Analysis = z.infer<typeof analysisSchema>;

export interface AnalysisResult {
  analysis: Analysis;
  /** Which analyser produced it, and why a fallback happened when one did. */
  analyzer: string;
  fallback?: { from: string; reason: string };
}

export interface Analyzer {
  readonly name: string;
  analyze(input: AnalysisInput): Promise<Analysis>;
}
