import { phaseA, phaseI } from './bench/phases.ts';
import { startStack } from './bench/stack.ts';
const stack = await startStack();
const a = await phaseA(stack, { bookings: 200, bareRounds: 20, idleBookings: 5, timeoutMs: 60_000 });
for (let r = 0; r < 3; r++) {
  (globalThis as any).__batches = [];
  const i = await phaseI(stack, a.orgId, { bookings: 500, latencyMs: 50, timeoutMs: 120_000, label: `i${r}` });
  const t0 = Math.min(...i.sent.map((s) => s.sentAt));
  const acc = i.sent.map((s) => s.acceptedAt - t0).sort((x, y) => x - y);
  console.log(`run ${r}: p50 ${i.acceptP50} p99 ${i.acceptP99}; accepted at (from first send) p10 ${acc[50]} p50 ${acc[250]} p99 ${acc[495]}`);
  console.log('batches [start from first send, size, ms]:', JSON.stringify((globalThis as any).__batches.map((b: number[]) => [b[0]! - t0, b[1], b[2]])));
}
await stack.close();
process.exit(0);
