import http from 'node:http';
import { parentPort } from 'node:worker_threads';
import { signEvent } from '../src/sync/signature.ts';
import { postEvent } from './post-event.ts';

/**
 * The bench's webhook sender, on a thread of its own (bench/burst.ts starts it): a burst's
 * requests are built, sent and read here, as a scheduling platform sends them from its own
 * machines, so the service's event loop does only the service's work. Each request's send and
 * 202 times are Date.now() here, the same clock as the main thread's.
 * Requests go through node:http rather than fetch (bench/post-event.ts says why).
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

async function send(order: SendOrder): Promise<SendReply> {
  const url = new URL('/api/v1/events', order.url);
  const times = await Promise.all(
    order.events.map(async ({ id, raw }) => {
      const sentAt = Date.now();
      const res = await postEvent(
        url,
        agent,
        raw,
        signEvent(order.secret, raw, Math.floor(Date.now() / 1000)),
      );
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
