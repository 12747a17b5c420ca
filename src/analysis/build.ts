import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createOfflineAnalyzer } from './offline.ts';
import { createOpenAiAnalyzer } from './openai.ts';
import { type AnalysisService, createAnalysisService } from './service.ts';

/** OpenAI first when a key is configured, the offline analyser otherwise and as the fallback. */
export function buildAnalysis(openai: Config['openai'], logger: Logger): AnalysisService {
  return createAnalysisService({
    primary: openai ? createOpenAiAnalyzer({ ...openai, logger }) : undefined,
    offline: createOfflineAnalyzer(),
    logger,
  });
}
