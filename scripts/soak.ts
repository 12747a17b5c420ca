import { parseArgs } from 'node:util';
import { seededRandom } from './soak/random.ts';
import { failures, machine, table } from './soak/report.ts';
import { runShape, type ShapeResult } from './soak/run.ts';
import type { ShapeName } from './soak/shapes.ts';

/**
 * `npm run soak [-- --shape scaled|embedded|both] [--events N] [--seed S] [--minutes M]`
 * (also `--users`, `--load-seconds`, `--keep` to keep the run's folder, logs and schema):
 * bookings sent to the service for a minute while its processes are SIGKILLed and stalled,
 * bursts of 429s come back and every access token expires at once, twice; about one CRM call
 * in ten is answered with a 5xx or a dropped connection until the backlog has drained. Then
 * it counts, in the app's database and in the sandbox's saved state: events accepted, done,
 * lost, duplicate people and Notes, refreshes per connection per storm, time to drain. Exits
 * 1 on any loss or duplicate, or when the backlog does not drain within the bound (M minutes
 * for the whole run). Not part of `npm test`. The scaled shape needs PostgreSQL
 * (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test): a schema of its own,
 * dropped at the end.
 */
const { values } = parseArgs({
  options: {
    shape: { type: 'string', default: 'both' },
    events: { type: 'string', default: '600' },
    users: { type: 'string', default: '4' },
    'load-seconds': { type: 'string', default: '60' },
    seed: { type: 'string' },
    minutes: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});

function positive(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${raw}`);
  return n;
}

async function main(): Promise<number> {
  if (!['scaled', 'embedded', 'both'].includes(values.shape))
    throw new Error(`--shape must be scaled, embedded or both, not ${values.shape}`);
  const shapes: ShapeName[] = values.shape === 'both' ? ['scaled', 'embedded'] : [values.shape as ShapeName];
  const seed =
    values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : positive('seed', values.seed);
  const options = {
    events: Math.floor(positive('events', values.events)),
    users: Math.floor(positive('users', values.users)),
    loadSeconds: positive('load-seconds', values['load-seconds']),
    databaseUrl: process.env['TEST_DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test',
    keep: values.keep,
  };
  const started = Date.now();
  const end = started + positive('minutes', values.minutes) * 60_000;
  const say = (line: string) =>
    process.stdout.write(`[${Math.round((Date.now() - started) / 1000)} s] ${line}\n`);
  say(
    `soak seed ${seed}, ${options.events} events per shape, ${options.users} users, bound ${values.minutes} min; ${machine()}`,
  );
  const rng = seededRandom(seed);
  const results: ShapeResult[] = [];
  for (const [i, name] of shapes.entries()) {
    // Each shape gets an equal share of what is left of the bound.
    const deadline = Date.now() + (end - Date.now()) / (shapes.length - i);
    results.push(await runShape(name, options, rng, deadline, say));
  }
  process.stdout.write(`\n${results.map(table).join('\n\n')}\n\n`);
  const failed = results.flatMap(failures);
  process.stdout.write(
    `Soak ${failed.length ? 'FAILED' : 'passed'} in ${Math.round((Date.now() - started) / 1000)} s (seed ${seed}; ${machine()}; ${new Date().toISOString().slice(0, 10)})\n`,
  );
  process.stdout.write(`${JSON.stringify({ seed, machine: machine(), results })}\n`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
