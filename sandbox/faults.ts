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
