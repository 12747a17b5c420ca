import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { DEFAULT_ANALYSIS_TIME_BUDGET_MS, startOfflineThread } from './offline-thread.ts';
import { createOpenAiAnalyzer } from './openai.ts';
import { type AnalysisService, createAnalysisService } from './service.ts';

export interface BuiltAnalysis extends AnalysisService {
  /** Ends the offline analyser's thread: after the sync's jobs have stopped. */
  close(): Promise<void>;
}

/**
 * OpenAI first when a key is configured, the offline analyser otherwise and as the fallback. The
 * offline analyser runs on a thread of its own (offline-thread.ts), each analysis within
 * `timeBudgetMs` (ANALYSIS_TIME_BUDGET_MS): the service's event loop stays free.
 */
export function buildAnalysis(
  openai: Config['openai'],
  logger: Logger,
  options: { timeBudgetMs?: number } = {},
): BuiltAnalysis {
  const offline = startOfflineThread({
    timeBudgetMs: options.timeBudgetMs ?? DEFAULT_ANALYSIS_TIME_BUDGET_MS,
    logger,
  });
  const service = createAnalysisService({
    primary: openai ? createOpenAiAnalyzer({ ...openai, logger }) : undefined,
    offline,
    logger,
  });
  return { analyze: service.analyze, close: offline.close };
}
