import type { FastifyInstance } from 'fastify';
import type { SandboxCore } from '../core.ts';
import { parseBody } from './common.ts';
import { clockSchema, faultSchema } from './schemas.ts';

/** Faults, the sandbox clock and reset. */
export function registerControlAdmin(app: FastifyInstance, core: SandboxCore, reset: () => void): void {
  app.post('/__sandbox/faults', (req, reply) => {
    const { count, ...input } = parseBody(faultSchema, req.body);
    const fault = { id: `flt_${core.nextSeq()}`, ...input, remaining: count, served: 0 };
    core.state.faults.push(fault as (typeof core.state.faults)[number]);
    core.changed();
    return reply.code(201).send(fault);
  });

  app.get('/__sandbox/faults', () => ({ faults: core.state.faults }));

  app.delete('/__sandbox/faults', (_req, reply) => {
    core.state.faults = [];
    core.changed();
    return reply.code(204).send();
  });

  app.get('/__sandbox/clock', () => ({
    now: new Date(core.now()).toISOString(),
    offset_seconds: core.state.clock_offset_ms / 1000,
  }));

  app.post('/__sandbox/clock', (req) => {
    const input = parseBody(clockSchema, req.body);
    core.state.clock_offset_ms =
      'advance_seconds' in input
        ? core.state.clock_offset_ms + input.advance_seconds * 1000
        : input.offset_seconds * 1000;
    core.changed();
    return { now: new Date(core.now()).toISOString(), offset_seconds: core.state.clock_offset_ms / 1000 };
  });

  app.post('/__sandbox/reset', () => {
    reset();
    return { status: 'reset' };
  });
}
