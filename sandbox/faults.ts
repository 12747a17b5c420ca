import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxCore } from './core.ts';
import type { DataCenter } from './dc.ts';
import type { Fault } from './state.ts';

/** The first configured fault matching the call, with one use taken from it. */
export function takeFault(
  core: SandboxCore,
  call: { orgId: string | undefined; dc: DataCenter; method: string; path: string },
): Fault | undefined {
  const fault = core.state.faults.find(
    (f) =>
      f.remaining > 0 &&
      (f.org_id === undefined || f.org_id === call.orgId) &&
      (f.dc === undefined || f.dc === call.dc) &&
      (f.method === undefined || f.method.toUpperCase() === call.method) &&
      (f.path === undefined || new RegExp(f.path).test(call.path)),
  );
  if (!fault) return undefined;
  fault.remaining -= 1;
  fault.served += 1;
  core.changed();
  return fault;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Serves a taken fault: its latency first, then a dropped connection or its status, headers
 * and body (`defaultBody` when it has none). Undefined when the fault is latency only and the
 * call goes on as usual.
 */
export async function serveFault(
  fault: Fault,
  req: FastifyRequest,
  reply: FastifyReply,
  defaultBody: unknown,
): Promise<'dropped' | 'answered' | undefined> {
  if (fault.latency_ms) await sleep(fault.latency_ms);
  if (fault.drop) {
    reply.hijack();
    req.raw.socket.destroy();
    return 'dropped';
  }
  if (!fault.status) return undefined;
  await reply
    .code(fault.status)
    .headers(fault.headers ?? {})
    .send(fault.body ?? defaultBody);
  return 'answered';
}
