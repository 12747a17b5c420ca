import type { Logger } from '../log.ts';
import { type AnalysisInput, type AnalysisResult, type Analyzer, analysisSchema } from './analysis.ts';

/**
 * Runs the configured analyser (OpenAI when a key is set) and validates what it returns with
 * the one schema; when it fails — 429, 5xx, timeout, output that breaks the schema — the
 * offline analyser answers instead and the result says so (the Activity page shows it).
 * Transcripts are never logged: only the analyser's name and the failure's kind.
 */
export function createAnalysisService(deps: {
  primary?: Analyzer | undefined;
  offline: Analyzer;
  logger: Logger;
}) {
  async function run(analyzer: Analyzer, input: AnalysisInput) {
    const raw = await analyzer.analyze(input);
    const parsed = analysisSchema.safeParse(raw);
    if (!parsed.success) throw new Error('its answer did not match the analysis schema');
    return parsed.data;
  }

  return {
    async analyze(input: AnalysisInput): Promise<AnalysisResult> {
      const { primary, offline } = deps;
      if (primary) {
        try {
          return { analysis: await run(primary, input), analyzer: primary.name };
        } catch (err) {
          const reason = (err as Error).message.slice(0, 300);
          deps.logger.warn({ analyzer: primary.name, reason }, 'analysis failed; using the offline analyser');
          return {
            analysis: await run(offline, input),
            analyzer: offline.name,
            fallback: { from: primary.name, reason },
          };
        }
      }
      return { analysis: await run(offline, input), analyzer: offline.name };
    },
  };
}

export type AnalysisService = ReturnType<typeof createAnalysisService>;
