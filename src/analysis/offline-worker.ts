import { parentPort } from 'node:worker_threads';
import type { AnalysisInput } from './analysis.ts';
import { createOfflineAnalyzer } from './offline.ts';

/**
 * The offline analyser on a thread of its own (offline-thread.ts is the other end). Importing
 * offline.ts loads the wink-nlp model, once per thread, before `ready` is said; each analysis
 * then runs here, synchronously, while the service's event loop goes on. One analysis at a time
 * (the other end sends the next after the answer); an error comes back with its name and message.
 */
const port = parentPort!;
const analyzer = createOfflineAnalyzer();

port.on('message', async (input: AnalysisInput) => {
  try {
    port.postMessage({ ok: true, analysis: await analyzer.analyze(input) });
  } catch (err) {
    const error =
      err instanceof Error
        ? { name: err.name, message: err.message }
        : { name: 'Error', message: String(err) };
    port.postMessage({ ok: false, error });
  }
});
port.postMessage({ op: 'ready' });
