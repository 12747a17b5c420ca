import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { Logger } from '../log.ts';
import { type Analysis, type AnalysisInput, type Analyzer, analysisSchema } from './analysis.ts';
import { floatingLocal, localDate } from './due-dates.ts';

/**
 * The OpenAI analyser: one Chat Completions call with Structured Outputs (strict JSON Schema
 * made from `analysisSchema`), its answer parsed and validated with that same zod schema.
 *
 * Strict schema: `zodResponseFormat` (openai/helpers/zod, works with zod 4) already makes every
 * property required, sets `additionalProperties: false` and writes nullable as `anyOf [.., null]`.
 * We then drop `minLength`/`maxLength`, which strict mode does not accept, and put the limit in
 * the description instead; zod still enforces it on the answer.
 *
 * Long transcripts: above `maxTranscriptChars` the transcript is cut into chunks of whole turns
 * (one turn longer than the limit is cut at word boundaries), analysed one after the other
 * (sequentially, to stay inside rate limits) with the same schema, and merged without a further
 * call: the part summaries are joined in order (each capped so the whole fits 4,000 chars);
 * action items and next steps are concatenated and de-duplicated by normalised text; sentiment
 * and buyer intent come from the last chunk, where the buyer's position lands; the stage
 * suggestion is the one with the highest confidence (a later chunk wins a tie). The platform's
 * own notes go with the first chunk only, so every chunk does not repeat their items.
 *
 * Failures throw `OpenAiAnalysisError` with a short reason (status, timeout, which schema path
 * failed) — never the transcript or the model's text, since the reason is logged and shown on
 * the Activity page. Logs carry the model, chunk count, duration and failure kind only, and the
 * SDK's own logging is off (at debug it would print request bodies, transcripts included).
 */
export interface OpenAiAnalyzerOptions {
  apiKey: string;
  model: string;
  baseURL?: string | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  maxTranscriptChars?: number | undefined;
  logger: Logger;
  /** The SDK client's fetch function, the global one unless given; the evaluation meters tokens through it. */
  fetch?: typeof fetch | undefined;
}

/** Where the analyser sends its calls when OPENAI_BASE_URL is not set. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export type OpenAiFailure =
  | 'http'
  | 'timeout'
  | 'unreachable'
  | 'refused'
  | 'truncated'
  | 'empty'
  | 'not_json'
  | 'schema'
  | 'unexpected';

export class OpenAiAnalysisError extends Error {
  readonly kind: OpenAiFailure;
  constructor(kind: OpenAiFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OpenAiAnalysisError';
    this.kind = kind;
  }
}

const SUMMARY_MAX = 4000;

export const analysisResponseFormat = {
  type: 'json_schema',
  json_schema: {
    name: 'meeting_analysis',
    strict: true,
    schema: withoutLengthKeywords(zodResponseFormat(analysisSchema, 'meeting_analysis').json_schema.schema),
  },
} as const;

function withoutLengthKeywords(node: unknown): Record<string, unknown> {
  if (Array.isArray(node)) return node.map(withoutLengthKeywords) as unknown as Record<string, unknown>;
  if (typeof node !== 'object' || node === null) return node as Record<string, unknown>;
  const { minLength, maxLength, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) out[key] = withoutLengthKeywords(value);
  if (typeof maxLength === 'number') {
    const limit = `At most ${maxLength} characters.`;
    out['description'] = typeof rest['description'] === 'string' ? `${rest['description']}. ${limit}` : limit;
  }
  return out;
}

const systemPrompt = `You analyse one B2B sales meeting between a seller (the host) and a buyer (the attendees), from its transcript, for a CRM.
Return JSON following the schema:
- summary: a few factual sentences on what was discussed and agreed.
- action_items: every task someone committed to. text: an imperative a sales rep can act on ("Send the revised quote"). owner: "host" or "attendee", the side that committed. priority: the Zoho priority Highest, High, Normal, Low or Lowest, from the urgency said. due: a local date YYYY-MM-DD in the meeting's time zone; when a date was said ("by Friday", "tomorrow", "next week"), read it relative to the meeting's local date and set due_inferred false; otherwise set due_inferred true and pick by urgency: High or Highest the next business day, Normal 3 business days, Low or Lowest 7 calendar days (business days skip Saturday and Sunday). quote: the words of the transcript it comes from.
- sentiment: the buyer's: positive, neutral, negative or mixed.
- buyer_intent: high, medium or low, from the buyer's words and commitments.
- next_steps: short phrases of what happens next.
- stage_suggestion: when pipeline stages are given, the stage the deal should be in after this meeting, exactly as spelled in the list (the current stage when nothing should change), with confidence 0 to 1, a one-sentence rationale and evidence quotes from the transcript; null when no pipeline is given.
Use only what the transcript and the notes given say; do not invent tasks, dates or people.`;

const weekday = (date: string) =>
  new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' });

function meetingLines(input: AnalysisInput): string[] {
  const { title, start_time, timezone } = input.meeting;
  const day = localDate(start_time, timezone);
  const time = floatingLocal(start_time, timezone).toISOString().slice(11, 16);
  return [`Meeting: ${title}`, `Local start: ${weekday(day)} ${day} ${time}`, `Time zone: ${timezone}`];
}

function pipelineLines(input: AnalysisInput): string[] {
  if (!input.pipeline) return ['Pipeline: none given (stage_suggestion must be null).'];
  return [
    `Pipeline stages, in order: ${input.pipeline.stages.join(' | ')}`,
    `Current stage: ${input.pipeline.current_stage ?? 'unknown'}`,
  ];
}

function upstreamLines(input: AnalysisInput): string[] {
  const { summary, action_items = [] } = input.upstream ?? {};
  if (!summary && action_items.length === 0) return [];
  const items = action_items.map(
    (i) =>
      `- ${i.text}${[i.owner, i.priority, i.due].some(Boolean) ? ` (${[i.owner, i.priority, i.due].filter(Boolean).join(', ')})` : ''}`,
  );
  return [
    "The meeting platform's own notes (may be incomplete or wrong; the transcript decides):",
    ...(summary ? [`Summary: ${summary}`] : []),
    ...(items.length ? ['Action items:', ...items] : []),
  ];
}

interface Part {
  index: number;
  count: number;
  lines: string[];
}

function userMessage(input: AnalysisInput, part: Part): string {
  const scope =
    part.count === 1
      ? ['Transcript:']
      : [
          `Transcript, part ${part.index + 1} of ${part.count} (in order). Analyse only this part; keep the summary under ${partSummaryLimit(part.count)} characters.`,
        ];
  return [
    ...meetingLines(input),
    ...pipelineLines(input),
    ...(part.index === 0 ? upstreamLines(input) : []),
    '',
    ...scope,
    ...part.lines,
  ].join('\n');
}

const turnLine = (t: AnalysisInput['transcript'][number]) =>
  `${t.speaker}${t.role ? ` (${t.role})` : ''}: ${t.text.replace(/\s+/g, ' ').trim()}`;

/** Lines grouped into chunks of at most `max` chars (newlines included); one over-long line is cut at spaces. */
export function chunkLines(lines: readonly string[], max: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines.flatMap((l) => cutLine(l, max))) {
    if (current.length > 0 && size + 1 + line.length > max) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    size += (current.length > 0 ? 1 : 0) + line.length;
    current.push(line);
  }
  chunks.push(current);
  return chunks;
}

function cutLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const at = space > max / 2 ? space : max;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

// --- Merging chunk analyses -----------------------------------------------------------------

const partSummaryLimit = (count: number) => Math.floor((SUMMARY_MAX - 2 * (count - 1)) / count);
const normalised = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function mergeAnalyses(parts: readonly Analysis[]): Analysis {
  const last = parts[parts.length - 1];
  if (!last) throw new Error('no analyses to merge');
  const limit = partSummaryLimit(parts.length);
  const cap = (s: string) => (s.length > limit ? `${s.slice(0, limit - 1).trimEnd()}…` : s);
  const stages = parts.flatMap((p) => (p.stage_suggestion ? [p.stage_suggestion] : []));
  return {
    summary: parts.map((p) => cap(p.summary)).join('\n\n'),
    action_items: uniqueBy(
      parts.flatMap((p) => p.action_items),
      (i) => normalised(i.text),
    ).slice(0, 50),
    sentiment: last.sentiment,
    buyer_intent: last.buyer_intent,
    next_steps: uniqueBy(
      parts.flatMap((p) => p.next_steps),
      normalised,
    ).slice(0, 20),
    stage_suggestion: stages.reduce<Analysis['stage_suggestion']>(
      (best, s) => (!best || s.confidence >= best.confidence ? s : best),
      null,
    ),
  };
}

// --- One call -------------------------------------------------------------------------------

function failureOf(err: unknown): OpenAiAnalysisError {
  if (err instanceof OpenAiAnalysisError) return err;
  if (err instanceof APIConnectionTimeoutError)
    return new OpenAiAnalysisError('timeout', 'OpenAI timed out', { cause: err });
  if (err instanceof APIConnectionError)
    return new OpenAiAnalysisError('unreachable', 'OpenAI could not be reached', { cause: err });
  if (err instanceof APIError) {
    const code = typeof err.code === 'string' ? ` (${err.code.slice(0, 40)})` : '';
    return new OpenAiAnalysisError('http', `OpenAI answered ${err.status ?? 'an error'}${code}`, {
      cause: err,
    });
  }
  return new OpenAiAnalysisError(
    'unexpected',
    `OpenAI call failed: ${(err as Error)?.name ?? 'unknown error'}`,
  );
}

/** The answer's content as an Analysis; the reason never quotes the content (it echoes the transcript). */
function parseAnswer(completion: OpenAI.Chat.Completions.ChatCompletion, input: AnalysisInput): Analysis {
  const choice = completion.choices[0];
  if (choice?.message.refusal) throw new OpenAiAnalysisError('refused', 'OpenAI refused to answer');
  if (choice?.finish_reason === 'length')
    throw new OpenAiAnalysisError('truncated', 'OpenAI output was cut off');
  const content = choice?.message.content;
  if (!content) throw new OpenAiAnalysisError('empty', 'OpenAI returned no content');
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new OpenAiAnalysisError('not_json', 'output was not JSON');
  }
  const parsed = analysisSchema.safeParse(json);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.join('.') || '(root)';
    throw new OpenAiAnalysisError('schema', `output failed the schema: ${path}`);
  }
  return withPipelineStage(parsed.data, input);
}

/** The stage must be one of the deal's stages, spelled as Zoho spells it; none without a pipeline. */
function withPipelineStage(analysis: Analysis, input: AnalysisInput): Analysis {
  const suggestion = analysis.stage_suggestion;
  if (!suggestion) return analysis;
  if (!input.pipeline) return { ...analysis, stage_suggestion: null };
  const stage = input.pipeline.stages.find((s) => normalised(s) === normalised(suggestion.stage));
  if (!stage) throw new OpenAiAnalysisError('schema', 'output failed the schema: stage_suggestion.stage');
  return { ...analysis, stage_suggestion: { ...suggestion, stage } };
}

export function createOpenAiAnalyzer(options: OpenAiAnalyzerOptions): Analyzer {
  const { model, logger } = options;
  const maxChars = options.maxTranscriptChars ?? 60_000;
  const client = new OpenAI({
    apiKey: options.apiKey,
    // Explicit, so the SDK does not pick up OPENAI_* variables behind config.ts's back.
    baseURL: options.baseURL ?? OPENAI_DEFAULT_BASE_URL,
    organization: null,
    project: null,
    timeout: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 1,
    logLevel: 'off',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const name = `openai:${model}`;

  async function analysePart(input: AnalysisInput, part: Part): Promise<Analysis> {
    const completion = await client.chat.completions.create({
      model,
      response_format: analysisResponseFormat,
      messages: [
        { role: 'system', content: systemPrompt },
        { role: 'user', content: userMessage(input, part) },
      ],
    });
    return parseAnswer(completion, input);
  }

  return {
    name,
    async analyze(input) {
      const started = Date.now();
      const chunks = chunkLines(input.transcript.map(turnLine), maxChars);
      try {
        const parts: Analysis[] = [];
        for (const [index, lines] of chunks.entries())
          parts.push(await analysePart(input, { index, count: chunks.length, lines }));
        const analysis = parts.length === 1 ? parts[0]! : mergeAnalyses(parts);
        logger.debug(
          { analyzer: name, chunks: chunks.length, duration_ms: Date.now() - started },
          'analysed',
        );
        return analysis;
      } catch (err) {
        const failure = failureOf(err);
        logger.warn(
          { analyzer: name, chunks: chunks.length, duration_ms: Date.now() - started, failure: failure.kind },
          'OpenAI analysis failed',
        );
        throw failure;
      }
    },
  };
}
