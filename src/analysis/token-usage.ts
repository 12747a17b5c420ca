import { z } from 'zod';

/**
 * Token counts as an OpenAI-compatible server reports them on its Chat Completions answers
 * (`usage`), read from the HTTP answers by wrapping `fetch`: the OpenAI analyser keeps the
 * completion to itself, and the counts are what a provider bills, so an operator comparing
 * models sees them next to the scores. Every request is counted, retries included (each is
 * billed); an answer without `usage` (some compatible servers, errors) adds no tokens.
 */
export interface TokenUsage {
  requests: number;
  /** Answers that carried a usage object. */
  reported: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

const usageSchema = z.object({
  usage: z.object({
    prompt_tokens: z.number().int().min(0),
    completion_tokens: z.number().int().min(0),
    total_tokens: z.number().int().min(0).optional(),
  }),
});

const urlOf = (input: Parameters<typeof fetch>[0]) =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

export function meteredFetch(inner: typeof fetch): {
  fetch: typeof fetch;
  /** The counts once every answer seen so far has been read. */
  usage(): Promise<TokenUsage>;
} {
  const totals: TokenUsage = {
    requests: 0,
    reported: 0,
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
  };
  const reading: Array<Promise<void>> = [];

  function count(body: unknown): void {
    const parsed = usageSchema.safeParse(body);
    if (!parsed.success) return;
    const u = parsed.data.usage;
    totals.reported++;
    totals.prompt_tokens += u.prompt_tokens;
    totals.completion_tokens += u.completion_tokens;
    totals.total_tokens += u.total_tokens ?? u.prompt_tokens + u.completion_tokens;
  }

  const metered: typeof fetch = async (input, init) => {
    const completions = new URL(urlOf(input)).pathname.endsWith('/chat/completions');
    if (completions) totals.requests++;
    const res = await inner(input, init);
    const json = res.headers.get('content-type')?.includes('application/json');
    // A clone, read on the side: the caller reads the answer as if nothing were in between.
    if (completions && res.ok && json)
      reading.push(
        res
          .clone()
          .json()
          .then(count, () => undefined),
      );
    return res;
  };

  return {
    fetch: metered,
    async usage() {
      await Promise.all(reading);
      return { ...totals };
    },
  };
}
