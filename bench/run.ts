// `npm run bench [-- platform|inventory|orders|trace] [--seconds N]`: prints tables of throughput and latency
// next to a same-run baseline. Never part of `npm test`.
import { platformBench } from './platform.bench.js';
import { machine } from './lib.js';
import { benches } from './registry.js';

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 10;
const only = args.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

console.log(`# AgriOMS benchmarks — ${new Date().toISOString()} — ${machine()}`);
const all = { platform: platformBench, ...benches };
for (const [name, run] of Object.entries(all)) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n## ${name}\n`);
  await run({ seconds, pgUrl });
}
