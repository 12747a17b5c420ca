import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { undiciHttp } from '../src/zoho/http.ts';
import type { ApiAuth } from '../src/zoho/transport.ts';
import { type Planned, sendBurst } from './burst.ts';

/**
 * The baseline: the CRM calls a booking needs, made bare — one at a time with the service's own
 * HTTP client (zoho/http.ts) and the app's access token, no queue, database or transport in between — against the same
 * sandbox org. What the service adds on top of these is what the benchmark reports.
 */
export interface BareTimes {
  search: number[];
  insert: number[];
  note: number[];
  /** Calls per second when made back to back. */
  callsPerSecond: number;
}

export async function measureBareCalls(auth: ApiAuth, rounds: number): Promise<BareTimes> {
  const times: BareTimes = { search: [], insert: [], note: [], callsPerSecond: 0 };
  const call = async (list: number[], method: string, path: string, body?: unknown) => {
    const started = performance.now();
    const { status, text } = await undiciHttp(new URL(`${auth.apiDomain}/crm/v8${path}`), {
      method,
      headers: {
        authorization: `Zoho-oauthtoken ${auth.accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      timeoutMs: 30_000,
    });
    list.push(performance.now() - started);
    if (status < 200 || status > 299) throw new Error(`bare ${method} ${path}: ${status} ${text}`);
    return text ? (JSON.parse(text) as { data: Array<{ details: { id: string } }> }) : undefined;
  };
  const started = performance.now();
  for (let i = 0; i < rounds; i++) {
    const email = `bare.${i}.${crypto.randomBytes(3).toString('hex')}@baseline.example`;
    await call(times.search, 'GET', `/Contacts/search?email=${encodeURIComponent(email)}`);
    const created = await call(times.insert, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Baseline', Email: email }],
      trigger: [],
    });
    const id = created!.data[0]!.details.id;
    await call(times.note, 'POST', '/Notes', {
      trigger: [],
      data: [
        {
          Note_Title: 'Meeting booked: Discovery call',
          Note_Content: 'Baseline note',
          Parent_Id: { module: { api_name: 'Contacts' }, id },
        },
      ],
    });
  }
  times.callsPerSecond = (rounds * 3) / ((performance.now() - started) / 1000);
  return times;
}

/**
 * Intake's floor: the same burst sent the same way (bench/send-thread.ts) to a bare node:http
 * server on the service's thread that reads each body and answers 202 at once — no framework,
 * signature, schema or database. What the service's time to 202 adds on top of this is its own.
 */
export async function measureBareIntake(planned: Planned[]): Promise<{ p50: number; p99: number }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"status":"accepted"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const sent = await sendBurst(`http://127.0.0.1:${port}`, 'bare', planned);
    const times = sent.map((s) => s.acceptedAt - s.sentAt);
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The nearest-rank percentile (p in 0–100) of `values`; NaN when empty. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
