/**
 * The sandbox's admin API (sandbox/README.md, "Admin API"). In the embedded shape the sandbox
 * lives inside `npm start` and goes down with it, so a call is retried until the deadline.
 */
export interface SandboxAdmin {
  base: string;
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export interface SandboxOrg {
  org_id: string;
  users: Array<{ id: string; email: string }>;
  limits: { credits_used: number };
}

export interface CallEntry {
  at: string;
  method: string;
  path: string;
  status: number;
  code: string | null;
}

export type ZohoRecord = Record<string, unknown> & { id: string };

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function sandboxAdmin(base: string, retryForMs = 60_000): SandboxAdmin {
  return {
    base,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const until = Date.now() + retryForMs;
      for (;;) {
        let res: Response;
        try {
          res = await fetch(`${base}/__sandbox${path}`, {
            method,
            signal: AbortSignal.timeout(30_000),
            ...(body === undefined
              ? {}
              : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
          });
        } catch (err) {
          // Down (killed, restarting) or stalled: the same call again, until the deadline.
          if (Date.now() > until) throw new Error(`sandbox ${method} ${path}: ${(err as Error).message}`);
          await pause(250);
          continue;
        }
        if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
        return (res.status === 204 ? undefined : await res.json()) as T;
      }
    },
  };
}

export async function orgCalls(admin: SandboxAdmin, orgId: string): Promise<CallEntry[]> {
  return (await admin.call<{ calls: CallEntry[] }>('GET', `/orgs/${orgId}/calls`)).calls;
}
