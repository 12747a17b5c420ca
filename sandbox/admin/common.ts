import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { SandboxCore } from '../core.ts';
import type { SbOrg } from '../state.ts';

export class AdminError extends Error {
  readonly status: number;
  readonly details: unknown[];

  constructor(status: number, message: string, details: unknown[] = []) {
    super(message);
    this.status = status;
    this.details = details;
  }
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new AdminError(
      400,
      'invalid request body',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return parsed.data;
}

export function orgOr404(core: SandboxCore, id: string | undefined): SbOrg {
  const org = id ? core.state.orgs[id] : undefined;
  if (!org) throw new AdminError(404, `no org with id ${id}`);
  return org;
}

export function sendAdminError(err: unknown, reply: FastifyReply): boolean {
  if (!(err instanceof AdminError)) return false;
  void reply.code(err.status).send({ error: { message: err.message, details: err.details } });
  return true;
}
