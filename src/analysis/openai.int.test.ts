import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeOpenAi,
  reply,
  type ScriptedReply,
  startFakeOpenAi,
} from '../../test/helpers/fake-openai.ts';
import { captureLines, registerSecret } from '../../test/helpers/logs.ts';
import { createLogger } from '../log.ts';
import { type Analysis, type AnalysisInput, analysisSchema } from './analysis.ts';
import { createOfflineAnalyzer } from './offline.ts';
import { chunkLines, createOpenAiAnalyzer } from './openai.ts';
import { createAnalysisService } from './service.ts';

const apiKey = 'sk-fake-3b9d0c1e7a2f4b6d8e0a';
registerSecret(apiKey);

/** Lines this file's analysers logged, also fed to the suite-wide secret scan. */
const logLines: string[] = [];
const logger = createLogger(
  { level: 'debug' },
  {
    write(line: string) {
      logLines.push(line);
      captureLines(line);
    },
  },
);

const input: AnalysisInput = {
  meeting: {
    title: 'Acme rollout review',
    start_time: '2026-11-24T15:00:00Z',
    end_time: '2026-11-24T15:30:00Z',
    timezone: 'America/New_York',
  },
  pipeline: {
    stages: ['Qualification', 'Needs Analysis', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won'],
    current_stage: 'Needs Analysis',
  },
  transcript: [
    {
      speaker: 'Sam',
      role: 'host',
      text: 'Thanks for joining. Last time we covered the Denver pilot results.',
    },
    {
      speaker: 'Dana',
      role: 'attendee',
      text: 'The pilot went well; we want to roll it out to all forty reps.',
    },
    { speaker: 'Sam', role: 'host', text: "I'll send the revised quote for forty seats by Friday." },
    { speaker: 'Dana', role: 'attendee', text: 'Procurement needs your SOC 2 report before we can sign.' },
  ],
};
for (const turn of input.transcript) registerSecret(turn.text);

const analysis = (overrides: Partial<Analysis> = {}): Analysis => ({
  summary: 'Acme wants to roll out to forty reps; a revised quote is due Friday.',
  action_items: [
    {
      text: 'Send the revised quote for forty seats',
      owner: 'host',
      priority: 'High',
      due: '2026-11-27',
      due_inferred: false,
      quote: "I'll send the revised quote for forty seats by Friday.",
    },
  ],
  sentiment: 'positive',
  buyer_intent: 'high',
  next_steps: ['Send the revised quote', 'Share the SOC 2 report'],
  stage_suggestion: {
    stage: 'Proposal/Price Quote',
    confidence: 0.8,
    rationale: 'A quote was requested for a full rollout.',
    evidence: ['we want to roll it out to all forty reps'],
  },
  ...overrides,
});

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const openAi = (options: { timeoutMs?: number; maxTranscriptChars?: number } = {}) =>
  createOpenAiAnalyzer({
    apiKey,
    model: 'gpt-test',
    baseURL: fake.baseURL,
    maxRetries: 0,
    logger,
    ...options,
  });

const userMessage = (i: number) => {
  const message = fake.requests[i]?.body.messages.find((m) => m.role === 'user');
  return typeof message?.content === 'string' ? message.content : '';
};

type JsonSchemaNode = { [key: string]: unknown };
function* schemaNodes(node: unknown): Generator<JsonSchemaNode> {
  if (Array.isArray(node)) for (const n of node) yield* schemaNodes(n);
  else if (typeof node === 'object' && node !== null) {
    yield node as JsonSchemaNode;
    for (const value of Object.values(node)) yield* schemaNodes(value);
  }
}

describe('OpenAI analyser against an OpenAI-compatible server', () => {
  it('asks for the strict meeting_analysis schema with the meeting and transcript, and returns the parsed answer', async () => {
    fake.script(reply.json(analysis()));
    const analyzer = openAi();

    const result = await analyzer.analyze(input);

    expect(analyzer.name).toBe('openai:gpt-test');
    expect(result).toEqual(analysis());
    expect(fake.requests).toHaveLength(1);
    const { body, authorization } = fake.requests[0]!;
    expect(authorization).toBe(`Bearer ${apiKey}`);
    expect(body.model).toBe('gpt-test');
    const format = body.response_format;
    expect(format?.type).toBe('json_schema');
    if (format?.type !== 'json_schema') throw new Error('no json_schema response format');
    expect(format.json_schema).toMatchObject({ name: 'meeting_analysis', strict: true });
    const schema = format.json_schema.schema as JsonSchemaNode;
    expect(schema['required']).toEqual(Object.keys(analysisSchema.shape));
    for (const node of schemaNodes(schema)) {
      expect(node).not.toHaveProperty('minLength');
      expect(node).not.toHaveProperty('maxLength');
      if (node['type'] === 'object') {
        expect(node['additionalProperties']).toBe(false);
        expect(node['required']).toEqual(Object.keys(node['properties'] as object));
      }
    }

    const user = userMessage(0);
    expect(user).toContain('Meeting: Acme rollout review');
    expect(user).toContain('Local start: Tuesday 2026-11-24 10:00');
    expect(user).toContain('Time zone: America/New_York');
    expect(user).toContain('Proposal/Price Quote');
    expect(user).toContain('Current stage: Needs Analysis');
    for (const t of input.transcript) expect(user).toContain(`${t.speaker} (${t.role}): ${t.text}`);
  });

  it('keeps a stage the model spelled differently as the pipeline spells it, and drops one when no pipeline was given', async () => {
    const suggestion = { ...analysis().stage_suggestion!, stage: 'proposal / price quote' };
    fake.script(reply.json(analysis({ stage_suggestion: suggestion })), reply.json(analysis()));
    const { pipeline: _omit, ...withoutPipeline } = input;

    expect((await openAi().analyze(input)).stage_suggestion?.stage).toBe('Proposal/Price Quote');
    expect((await openAi().analyze(withoutPipeline)).stage_suggestion).toBeNull();
    expect(userMessage(1)).toContain('Pipeline: none given');
  });
});

describe('falling back to the offline analyser', () => {
  const cases: Array<[string, ScriptedReply, RegExp, { timeoutMs?: number }?]> = [
    ['a 429', reply.error(429), /^OpenAI answered 429 \(rate_limit_exceeded\)$/],
    ['a 500', reply.error(500), /^OpenAI answered 500/],
    ['output that is not JSON', reply.content(`Sure! ${input.transcript[1]!.text}`), /^output was not JSON$/],
    [
      'output that fails the schema',
      reply.json({ ...analysis(), action_items: [{ ...analysis().action_items[0], priority: 'Urgent' }] }),
      /^output failed the schema: action_items\.0\.priority$/,
    ],
    [
      'a stage outside the pipeline',
      reply.json(analysis({ stage_suggestion: { ...analysis().stage_suggestion!, stage: 'Won' } })),
      /stage_suggestion\.stage$/,
    ],
    ['output cut off at the token limit', reply.content('{"summary": "Acme', 'length'), /cut off/],
    [
      'no answer within the timeout',
      reply.delay(2_000, reply.json(analysis())),
      /^OpenAI timed out$/,
      { timeoutMs: 150 },
    ],
  ];

  it.each(cases)('%s falls back with the reason', async (_name, scripted, reason, options) => {
    fake.script(scripted);
    const service = createAnalysisService({
      primary: openAi(options),
      offline: createOfflineAnalyzer(),
      logger,
    });

    const result = await service.analyze(input);

    expect(result.analyzer).toBe('offline');
    expect(result.fallback?.from).toBe('openai:gpt-test');
    expect(result.fallback?.reason).toMatch(reason);
    expect(analysisSchema.safeParse(result.analysis).success).toBe(true);
    expect(fake.requests).toHaveLength(1);
    for (const t of input.transcript) expect(result.fallback?.reason).not.toContain(t.text);
  });
});

describe('long transcripts', () => {
  const long: AnalysisInput = {
    ...input,
    transcript: [
      {
        speaker: 'Sam',
        role: 'host',
        text: 'Welcome back. I will send the pilot report from Denver to you today.',
      },
      {
        speaker: 'Dana',
        role: 'attendee',
        text: 'Good. Our team liked the scheduling links and the reminders a lot.',
      },
      {
        speaker: 'Sam',
        role: 'host',
        text: 'For the rollout I will send the revised quote for forty seats by Friday.',
      },
      {
        speaker: 'Dana',
        role: 'attendee',
        text: 'Fine, and please resend the pilot report, I lost the first email.',
      },
      {
        speaker: 'Dana',
        role: 'attendee',
        text: 'Procurement also needs your SOC 2 report before we can sign anything.',
      },
      {
        speaker: 'Sam',
        role: 'host',
        text: "Understood, I'll share the SOC 2 report with procurement on Monday.",
      },
    ],
  };
  const item = (text: string, due: string) => ({ ...analysis().action_items[0]!, text, due, quote: text });
  const stage = (name: string, confidence: number) => ({
    ...analysis().stage_suggestion!,
    stage: name,
    confidence,
  });
  const parts: Analysis[] = [
    analysis({
      summary: 'Part one: the pilot went well.',
      action_items: [item('Send the pilot report', '2026-11-24')],
      sentiment: 'neutral',
      buyer_intent: 'medium',
      next_steps: ['Send the pilot report'],
      stage_suggestion: stage('Needs Analysis', 0.4),
    }),
    analysis({
      summary: 'Part two: a quote for forty seats is due Friday.',
      action_items: [
        item('Send the revised quote', '2026-11-27'),
        item('send the pilot report!', '2026-11-24'),
      ],
      sentiment: 'positive',
      next_steps: ['Send the revised quote', 'send the pilot report'],
      stage_suggestion: stage('Proposal/Price Quote', 0.8),
    }),
    analysis({
      summary: 'Part three: procurement needs the SOC 2 report.',
      action_items: [item('Share the SOC 2 report with procurement', '2026-11-30')],
      sentiment: 'mixed',
      buyer_intent: 'high',
      next_steps: ['Share the SOC 2 report'],
      stage_suggestion: stage('Negotiation/Review', 0.6),
    }),
  ];

  it('is analysed in chunks of whole turns, one request each, and the merged analysis holds every chunk’s items', async () => {
    fake.script(...parts.map((p) => reply.json(p)));

    const result = await openAi({ maxTranscriptChars: 200 }).analyze(long);

    expect(fake.requests).toHaveLength(3);
    expect(fake.pending()).toBe(0);
    const sent = [0, 1, 2].map(userMessage);
    long.transcript.forEach((t, i) => {
      const holders = sent.filter((m) => m.includes(`${t.speaker} (${t.role}): ${t.text}`));
      expect(holders, `turn ${i} sent exactly once`).toHaveLength(1);
      expect(sent.indexOf(holders[0]!)).toBe(Math.floor(i / 2));
    });
    expect(sent[0]).toContain('part 1 of 3');
    expect(sent[2]).toContain('part 3 of 3');

    expect(analysisSchema.safeParse(result).success).toBe(true);
    expect(result.action_items.map((i) => i.text)).toEqual([
      'Send the pilot report',
      'Send the revised quote',
      'Share the SOC 2 report with procurement',
    ]);
    expect(result.next_steps).toEqual([
      'Send the pilot report',
      'Send the revised quote',
      'Share the SOC 2 report',
    ]);
    for (const p of parts) expect(result.summary).toContain(p.summary);
    expect(result.sentiment).toBe('mixed');
    expect(result.buyer_intent).toBe('high');
    expect(result.stage_suggestion).toMatchObject({ stage: 'Proposal/Price Quote', confidence: 0.8 });
  });

  it('falls back when one chunk fails, without using the others', async () => {
    fake.script(reply.json(parts[0]), reply.error(503));
    const service = createAnalysisService({
      primary: openAi({ maxTranscriptChars: 200 }),
      offline: createOfflineAnalyzer(),
      logger,
    });

    const result = await service.analyze(long);

    expect(fake.requests).toHaveLength(2);
    expect(result.fallback).toEqual({
      from: 'openai:gpt-test',
      reason: 'OpenAI answered 503 (service_unavailable)',
    });
  });

  it('cuts a single turn longer than the limit at spaces', () => {
    const chunks = chunkLines(['short', `Dana (attendee): ${'word '.repeat(30).trim()}`], 40);
    expect(chunks.every((c) => c.join('\n').length <= 40)).toBe(true);
    expect(chunks.flat().join(' ').replace(/\s+/g, ' ')).toBe(
      `short Dana (attendee): ${'word '.repeat(30).trim()}`,
    );
  });
});

describe('logs', () => {
  it('never carry the transcript, on success, on failure or in chunks', async () => {
    logLines.length = 0;
    fake.script(
      reply.json(analysis()),
      reply.content(`Here you go: ${input.transcript.map((t) => t.text).join(' ')}`),
      reply.json(analysis()),
      reply.json(analysis()),
    );
    const service = createAnalysisService({ primary: openAi(), offline: createOfflineAnalyzer(), logger });

    await service.analyze(input);
    await service.analyze(input);
    await openAi({ maxTranscriptChars: 200 }).analyze(input);

    expect(fake.pending()).toBe(0);
    expect(logLines.some((l) => l.includes('"chunks":2'))).toBe(true);
    expect(logLines.some((l) => l.includes('"failure":"not_json"'))).toBe(true);
    for (const t of input.transcript) {
      expect(logLines.filter((l) => l.includes(t.text))).toEqual([]);
      expect(logLines.filter((l) => l.includes(t.text.slice(0, 20)))).toEqual([]);
    }
    expect(logLines.filter((l) => l.includes(apiKey))).toEqual([]);
  });
});
