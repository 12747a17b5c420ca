import type { SandboxCore } from './core.ts';
import type { DataCenter } from './dc.ts';
import { hashToken } from './ids.ts';
import { type CallLog, countCall, MAX_CALLS_PER_ORG } from './state.ts';

export function tokenFingerprint(token: string | undefined): string | null {
  return token ? hashToken(token).slice(0, 12) : null;
}

export function logCall(
  core: SandboxCore,
  orgId: string,
  entry: Omit<CallLog, 'at' | 'dc' | 'credits' | 'code' | 'client_id'> &
    Partial<Pick<CallLog, 'credits' | 'code' | 'client_id'>> & { dc: DataCenter },
): void {
  const calls = (core.state.calls[orgId] ??= []);
  const call: CallLog = {
    at: new Date(core.now()).toISOString(),
    method: entry.method,
    path: entry.path,
    status: entry.status,
    user_id: entry.user_id,
    dc: entry.dc,
    client_id: entry.client_id ?? null,
    token_hash: entry.token_hash,
    code: entry.code ?? null,
    credits: entry.credits ?? 0,
  };
  calls.push(call);
  countCall((core.state.call_counts[orgId] ??= { api: {}, accounts: {} }), call);
  if (calls.length > MAX_CALLS_PER_ORG) calls.splice(0, calls.length - MAX_CALLS_PER_ORG);
  core.logged({ org: orgId, call });
}
