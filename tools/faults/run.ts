/**
 * `npm run faults [-- --short] [name filter…]`: each fault on a platform of its own (own
 * PostgreSQL and NATS, the built services as processes) under a bounded idempotent write
 * load; prints, per fault, accepted writes, stored rows and delivered events reconciled (lost,
 * doubled, stuck in the outbox) and the recovery time; exits 1 when any fault loses, doubles
 * or strands anything. Results: tmp/faults-results.json. Method: docs/reliability.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findRepoRoot } from '../stack/config';
import { runScenario, table, type ScenarioResult } from './runner';
import { SCENARIOS } from './scenarios';

async function main(args: string[]): Promise<number> {
  const short = args.includes('--short');
  const filters = args.filter((a) => !a.startsWith('--'));
  const chosen = SCENARIOS.filter((s) => (!short || s.short) && (filters.length === 0 || filters.some((f) => s.name.includes(f))));
  const writes = short ? 150 : 600;
  console.log(`Faults: ${chosen.length} scenario(s), ${writes} idempotent writes each, ${short ? 'short' : 'full'} durations\n`);
  const results: ScenarioResult[] = [];
  for (const s of chosen) {
    console.log(`── ${s.name}`);
    const r = await runScenario(s, { full: !short, writes, concurrency: 6, log: (m) => console.log(m) });
    results.push(r);
    console.log(r.error ? `  ERROR: ${r.error}` : `  ${r.ok ? 'ok' : 'NOT OK'}: ${JSON.stringify({ ...r, retries: undefined })}\n  retries: ${JSON.stringify(r.retries)}`);
  }
  console.log(`\n${table(results)}`);
  const root = findRepoRoot(__dirname);
  mkdirSync(path.join(root, 'tmp'), { recursive: true });
  writeFileSync(path.join(root, 'tmp', 'faults-results.json'), `${JSON.stringify({ at: new Date().toISOString(), short, results }, null, 2)}\n`);
  return results.every((r) => r.ok && !r.error) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
