import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
} from 'openai/resources/chat/completions';

/**
 * A tiny OpenAI-compatible server on a free port: `POST /v1/chat/completions` only. It checks
 * what the real API checks before answering (a bearer key, a JSON body with `model` and
 * `messages`, a strict json_schema carrying a name and a schema when one is asked for) and
 * answers 401/400/404 in OpenAI's error shape otherwise. Valid requests are recorded and
 * answered from a queue of scripted replies, then (for calls whose order is not fixed, such as
 * concurrent ones) by a responder that picks the reply from the request; with neither it
 * answers 500, so a test that makes more calls than it scripted fails loudly instead of hanging.
 */
export type ScriptedReply =
  /** A `chat.completion` whose message content is this value as a JSON string. */
  | { kind: 'json'; value: unknown }
  /** A `chat.completion` whose message content is exactly this text (malformed output). */
  | { kind: 'content'; content: string; finish_reason?: 'stop' | 'length' }
  /** An OpenAI-style error body with this status. */
  | { kind: 'error'; status: number; type?: string; code?: string; message?: string }
  /** The reply, sent only after `ms` (longer than the client's timeout to make it time out). */
  | { kind: 'delay'; ms: number; then: ScriptedReply };

export const reply = {
  json: (value: unknown): ScriptedReply => ({ kind: 'json', value }),
  content: (content: string, finish_reason: 'stop' | 'length' = 'stop'): ScriptedReply => ({
    kind: 'content',
    content,
    finish_reason,
  }),
  error: (status: number, code?: string): ScriptedReply => ({
    kind: 'error',
    status,
    ...(code ? { code } : {}),
  }),
  delay: (ms: number, then: ScriptedReply): ScriptedReply => ({ kind: 'delay', ms, then }),
};

export interface RecordedRequest {
  authorization: string | undefined;
  body: ChatCompletionCreateParamsNonStreaming;
}

export interface FakeOpenAi {
  /** The base URL to give the SDK (`…/v1`). */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Queues replies, answered in order. */
  script(...replies: ScriptedReply[]): void;
  /** Answers requests the queue has no reply for, chosen from the request (undefined: none). */
  respondWith(responder: ((body: ChatCompletionCreateParamsNonStreaming) => ScriptedReply) | undefined): void;
  /** Scripted replies not used yet. */
  pending(): number;
  /** The most valid requests it held unanswered at once since the start or the last reset. */
  maxInFlight(): number;
  reset(): void;
  close(): Promise<void>;
}

const errorTypes: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'invalid_request'],
  401: ['invalid_request_error', 'invalid_api_key'],
  404: ['invalid_request_error', 'not_found'],
  429: ['requests', 'rate_limit_exceeded'],
  500: ['server_error', 'server_error'],
  503: ['server_error', 'service_unavailable'],
};

function completion(model: string, content: string, finish_reason: 'stop' | 'length'): ChatCompletion {
  return {
    id: `chatcmpl-fake-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null },
        finish_reason,
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `req_fake_${Date.now()}` });
  res.end(JSON.stringify(body));
}

function sendError(res: http.ServerResponse, status: number, message: string, code?: string): void {
  const [type, defaultCode] = errorTypes[status] ?? ['server_error', 'server_error'];
  send(res, status, { error: { message, type, param: null, code: code ?? defaultCode } });
}

/** The reason the real API would refuse this body, if any. */
function invalidBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'The body must be a JSON object.';
  const b = body as Record<string, unknown>;
  if (typeof b['model'] !== 'string') return "Missing required parameter: 'model'.";
  if (!Array.isArray(b['messages']) || b['messages'].length === 0)
    return "Missing required parameter: 'messages'.";
  const format = b['response_format'] as { type?: string; json_schema?: Record<string, unknown> } | undefined;
  if (format?.type === 'json_schema') {
    const js = format.json_schema;
    if (typeof js?.['name'] !== 'string' || !/^[\w-]{1,64}$/.test(js['name']))
      return "Invalid 'response_format.json_schema.name'.";
    if (typeof js['schema'] !== 'object') return "Missing 'response_format.json_schema.schema'.";
  }
  return undefined;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  let responder: ((body: ChatCompletionCreateParamsNonStreaming) => ScriptedReply) | undefined;
  let inFlight = 0;
  let maxInFlight = 0;

  function answer(res: http.ServerResponse, model: string, next: ScriptedReply): void {
    if (next.kind === 'json') send(res, 200, completion(model, JSON.stringify(next.value), 'stop'));
    else if (next.kind === 'content')
      send(res, 200, completion(model, next.content, next.finish_reason ?? 'stop'));
    else if (next.kind === 'error')
      sendError(res, next.status, next.message ?? `Scripted error ${next.status}.`, next.code);
    else {
      const timer = setTimeout(() => answer(res, model, next.then), next.ms);
      res.on('close', () => clearTimeout(timer));
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
        return sendError(res, 404, `Unknown request URL: ${req.method} ${req.url}.`);
      if (!req.headers.authorization?.startsWith('Bearer '))
        return sendError(res, 401, "You didn't provide an API key.");
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return sendError(res, 400, 'We could not parse the JSON body of your request.');
      }
      const invalid = invalidBody(body);
      if (invalid) return sendError(res, 400, invalid);
      const params = body as ChatCompletionCreateParamsNonStreaming;
      requests.push({ authorization: req.headers.authorization, body: params });
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      res.once('close', () => inFlight--);
      const next = queue.shift() ?? responder?.(params);
      if (!next) return sendError(res, 500, 'fake-openai: no scripted reply left.');
      answer(res, params.model, next);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...replies) => void queue.push(...replies),
    respondWith: (r) => void (responder = r),
    pending: () => queue.length,
    maxInFlight: () => maxInFlight,
    reset() {
      queue.length = 0;
      requests.length = 0;
      responder = undefined;
      maxInFlight = inFlight;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
