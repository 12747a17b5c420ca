import http from 'node:http';
import { parentPort } from 'node:worker_threads';
import { signEvent } from '../src/sync/signature.ts';

/**
 * The bench's webhook sender, on a thread of its own (bench/burst.ts starts it): a burst's
 * requests are built, sent and read here, as a scheduling platform sends them from its own
 * machines, so the service's event loop does only the service's work. Each request's send and
 * 202 times are Date.now() here, the same clock as the main thread's.
 *
 * Requests go through node:http rather than fetch: on this 2-core machine the sender shares the
 * cores with the service it measures, and fetch (undici, web streams) cost it 1.5–2× the CPU of
 * node:http for the same 500 requests (issue 13, third round), time taken from the service.
 */
export interface SendOrder {
  url: string;
  secret: string;
  events: Array<{ id: string; raw: string }>;
}

export type SendReply =
  | { ok: true; times: Array<{ sentAt: number; acceptedAt: number }> }
  | { ok: false; message: string };

// As a platform's sender keeps connections to the same receiver open between deliveries.
const agent = new http.Agent({ keepAlive: true });
const REQUEST_TIMEOUT_MS = 60_000;

function post(url: URL, raw: string, signature: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        // "[::1]" in a URL is "::1" to a socket.
        host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port,
        path: '/api/v1/events',
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

async function send(order: SendOrder): Promise<SendReply> {
  const url = new URL(order.url);
  const times = await Promise.all(
    order.events.map(async ({ id, raw }) => {
      const sentAt = Date.now();
      const res = await post(url, raw, signEvent(order.secret, raw, Math.floor(Date.now() / 1000)));
      const acceptedAt = Date.now();
      if (res.status !== 202) throw new Error(`event ${id}: ${res.status} ${res.body}`);
      return { sentAt, acceptedAt };
    }),
  );
  return { ok: true, times };
}

parentPort?.on('message', (order: SendOrder) => {
  send(order).then(
    (reply) => parentPort?.postMessage(reply),
    (err: unknown) =>
      parentPort?.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) }),
  );
});
