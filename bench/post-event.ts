import http from 'node:http';

/**
 * One signed event POSTed as a webhook sender does, through node:http and `agent`'s kept-alive
 * connections: the bench's senders (bench/send-thread.ts, bench/scaled/load.ts) share this
 * machine's cores with the processes they measure, and fetch (undici, web streams) cost them
 * 1.5–2× the CPU of node:http for the same requests (issue 13, third round).
 */
const REQUEST_TIMEOUT_MS = 60_000;

export function postEvent(
  url: URL,
  agent: http.Agent,
  raw: string,
  signature: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(raw),
          'peposmart-signature': signature,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    // A receiver that never answers fails the run rather than hanging it.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(raw);
  });
}
