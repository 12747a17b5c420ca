import type { StatementKind } from '../../src/db/statements.ts';
import { type Cluster, startCluster } from './cluster.ts';
import { type HostCpu, watchHostCpu } from './host-cpu.ts';
import { connectHosts, type Host, sandboxAdmin } from './hosts.ts';
import { planLoad, type Sent, type Settled, sendLoad, waitDrained } from './load.ts';
import { type InFlightSamples, type Scrape, sampleInFlight, scrape, scrapeCost } from './metrics.ts';

/**
 * One run of phase C: a fresh database, sandbox and orgs, one web process and `workers` worker
 * processes; the hosts connect, the burst is sent and drained, and what each process and org
 * did is read back.
 */
export interface RunOptions {
  serverUrl: string;
  workers: number;
  orgs: number;
  bookings: number;
  latencyMs: number;
  jitterMs: number;
  senderInFlight: number;
  sampleEveryMs: number;
  timeoutMs: number;
  dir: string;
}

export interface OrgResult {
  host: Host;
  bookings: { new: number; repeat: number };
  /** API calls by status, counted by the sandbox (not capped like its log). */
  byStatus: Record<string, number>;
  served: number;
  tooManyRequests: number;
  /** Served calls by what they were, from the org's call log. */
  kinds: { search: number; insert: number; note: number; other: number };
  duplicates: number;
}

export interface RunResult {
  options: RunOptions;
  sent: Sent[];
  settled: Settled[];
  timedOut: boolean;
  firstSend: number;
  orgs: OrgResult[];
  inFlight: InFlightSamples;
  /** Per process (web, then workers): /metrics before the burst and after the drain. */
  web: { before: Scrape; after: Scrape; scrapeCost: Record<StatementKind, number> };
  workers: Array<{ before: Scrape; after: Scrape }>;
  workerScrapeCost: Record<StatementKind, number>;
  /** Jobs each worker takes at once (SYNC_CONCURRENCY), as its banner says. */
  workerConcurrency: number;
  sandboxCpuSeconds: number | undefined;
  /** The bench's own process over the burst and drain: the sender, the sampling and the polls. */
  benchCpuSeconds: number;
  /** The machine's and PostgreSQL's CPU over the burst and drain (the server's too when it is local). */
  hostCpu: HostCpu;
}

/** Set while a run's processes are up, so a signal to the bench can end them. */
export let current: Cluster | undefined;

export async function runScaled(options: RunOptions): Promise<RunResult> {
  const cluster = await startCluster(options);
  current = cluster;
  try {
    return await measure(cluster, options);
  } finally {
    await cluster.close();
    current = undefined;
  }
}

async function measure(cluster: Cluster, options: RunOptions): Promise<RunResult> {
  const hosts = await connectHosts(cluster, options);
  // Connecting made calls (the org, the user): only the burst's count.
  for (const h of hosts) await sandboxAdmin(cluster, 'DELETE', `/orgs/${h.orgId}/calls`);
  const planned = planLoad(hosts, options.bookings);
  const token = cluster.metricsToken;
  const webUrl = `${cluster.appUrl}/metrics`;
  const workerUrls = cluster.workers.map((w) => w.metricsUrl);
  const web = { scrapeCost: await scrapeCost(webUrl, token) };
  const workerScrapeCost = await scrapeCost(workerUrls[0]!, token);
  const webBefore = await scrape(webUrl, token);
  const workersBefore = await Promise.all(workerUrls.map((u) => scrape(u, token)));
  const sandboxCpu = cluster.sandbox.cpuSeconds();

  const inFlight = sampleInFlight(workerUrls, token, options.sampleEveryMs);
  const host = watchHostCpu(options.sampleEveryMs);
  const benchCpu = process.cpuUsage();
  const firstSend = Date.now();
  let drained: Awaited<ReturnType<typeof waitDrained>>;
  let sent: Sent[];
  let hostCpu: HostCpu;
  try {
    sent = await sendLoad(cluster, planned, options.senderInFlight);
    drained = await waitDrained(cluster, options.timeoutMs);
  } finally {
    hostCpu = host.stop();
    await inFlight.stop();
  }
  const benchCpuUsed = process.cpuUsage(benchCpu);
  const webAfter = await scrape(webUrl, token);
  const workersAfter = await Promise.all(workerUrls.map((u) => scrape(u, token)));
  const sandboxCpuAfter = cluster.sandbox.cpuSeconds();

  const orgs: OrgResult[] = [];
  for (const host of hosts) orgs.push(await readOrg(cluster, host, sent));
  return {
    options,
    sent,
    ...drained,
    firstSend,
    orgs,
    inFlight,
    web: { ...web, before: webBefore, after: webAfter },
    workers: workersBefore.map((before, i) => ({ before, after: workersAfter[i]! })),
    workerScrapeCost,
    workerConcurrency: Number(/(\d+) jobs at once/.exec(cluster.workers[0]!.process.banner)?.[1]),
    sandboxCpuSeconds:
      sandboxCpu === undefined || sandboxCpuAfter === undefined ? undefined : sandboxCpuAfter - sandboxCpu,
    benchCpuSeconds: (benchCpuUsed.user + benchCpuUsed.system) / 1e6,
    hostCpu,
  };
}

interface LoggedCall {
  method: string;
  path: string;
  status: number;
}

async function readOrg(cluster: Cluster, host: Host, sent: Sent[]): Promise<OrgResult> {
  const counts = await sandboxAdmin<{ api: Record<string, number> }>(
    cluster,
    'GET',
    `/orgs/${host.orgId}/calls/count`,
  );
  const all = Object.values(counts.api).reduce((a, b) => a + b, 0);
  const tooMany = counts.api['429'] ?? 0;
  const { calls } = await sandboxAdmin<{ calls: LoggedCall[] }>(cluster, 'GET', `/orgs/${host.orgId}/calls`);
  const served = calls.filter((c) => !c.path.startsWith('/oauth') && c.status !== 429);
  if (served.length !== all - tooMany)
    throw new Error(
      `org ${host.orgId}: its call log holds ${served.length} of ${all - tooMany} served calls`,
    );
  const kinds = { search: 0, insert: 0, note: 0, other: 0 };
  for (const c of served) {
    if (c.path.endsWith('/search')) kinds.search += 1;
    else if (c.method === 'POST' && /\/(Contacts|Leads)$/.test(c.path)) kinds.insert += 1;
    else if (c.method === 'POST' && c.path.endsWith('/Notes')) kinds.note += 1;
    else kinds.other += 1;
  }
  const mine = sent.filter((s) => s.host.id === host.id);
  return {
    host,
    bookings: {
      new: mine.filter((s) => s.kind === 'new').length,
      repeat: mine.filter((s) => s.kind === 'repeat').length,
    },
    byStatus: counts.api,
    served: all - tooMany,
    tooManyRequests: tooMany,
    kinds,
    duplicates: await duplicatePeople(cluster, host),
  };
}

/** Contacts or Leads sharing an email within the org: the same attendee created twice. */
async function duplicatePeople(cluster: Cluster, host: Host): Promise<number> {
  const emails: string[] = [];
  for (const module of ['Contacts', 'Leads']) {
    const { records } = await sandboxAdmin<{ records: Record<string, Array<Record<string, unknown>>> }>(
      cluster,
      'GET',
      `/orgs/${host.orgId}/records?module=${module}`,
    );
    for (const r of records[module] ?? []) if (r['Email']) emails.push(String(r['Email']).toLowerCase());
  }
  return emails.length - new Set(emails).size;
}
