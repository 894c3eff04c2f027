/**
 * `npm run bench [-- name-filter…]`: runs every dist/tools/bench/*.bench.js (or those whose
 * file name contains one of the filters) one after the other, prints each result and a
 * summary table, and writes all results to tmp/bench-results.json.
 * Exit code 0 even when a target is missed (benchmarks report, they do not gate);
 * 1 when a benchmark throws or a filter matches nothing.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatResult, type Bench, type BenchResult } from './bench';

const ROOT_DIR = path.resolve(__dirname, '..', '..', '..');
const OUT_FILE = path.join(ROOT_DIR, 'tmp', 'bench-results.json');

interface Outcome {
  bench: string;
  seconds: number;
  results: BenchResult[];
  error?: string;
}

function fmtNumber(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: n >= 100 ? 0 : 2 });
}

export function summaryTable(outcomes: readonly Outcome[]): string {
  const rows: string[][] = [['benchmark', 'platform', 'baseline', 'ratio', 'target']];
  for (const o of outcomes) {
    if (o.error) rows.push([`${o.bench}: FAILED`, '-', '-', '-', o.error.split('\n')[0]!.slice(0, 80)]);
    for (const r of o.results) {
      rows.push([r.name, `${fmtNumber(r.platform.value)} ${r.platform.unit}`, `${fmtNumber(r.baseline.value)} ${r.baseline.unit}`, String(r.ratio), r.target ?? '']);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i === 0 || i === 4 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`;
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)].join('\n');
}

async function main(filters: readonly string[]): Promise<number> {
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .sort()
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
  if (files.length === 0) {
    console.error(`no benchmark in ${path.relative(ROOT_DIR, __dirname)} matches ${filters.join(', ') || '*.bench.js'} (did \`npm run build\` run?)`);
    return 1;
  }
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}, ${os.platform()} ${os.release()}`;
  console.log(`Benchmarks: ${files.map((f) => f.replace(/\.bench\.js$/, '')).join(', ')}\nMachine: ${machine}\n`);

  const outcomes: Outcome[] = [];
  for (const file of files) {
    const bench = file.replace(/\.bench\.js$/, '');
    console.log(`── ${bench}`);
    const started = process.hrtime.bigint();
    const seconds = () => Math.round(Number(process.hrtime.bigint() - started) / 1e7) / 100;
    try {
      const mod = (await import(path.join(__dirname, file))) as { default?: Bench | { default?: Bench } };
      // swc's CommonJS output may wrap the default export once more when loaded via import().
      const fn = typeof mod.default === 'function' ? mod.default : mod.default?.default;
      if (typeof fn !== 'function') throw new Error(`${file} has no default export function`);
      const results = await fn();
      for (const r of results) console.log(`${formatResult(r)}\n`);
      outcomes.push({ bench, seconds: seconds(), results });
      console.log(`   (${bench}: ${seconds()} s)\n`);
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      console.error(`${bench} FAILED after ${seconds()} s:\n${error}\n`);
      outcomes.push({ bench, seconds: seconds(), results: [], error });
    }
  }

  console.log('Summary\n');
  console.log(summaryTable(outcomes));
  const missed = outcomes.flatMap((o) => o.results).filter((r) => /TARGET MISSED/.test(r.notes ?? ''));
  if (missed.length > 0) console.log(`\nTargets missed, as flagged by the benches (reported, not failed): ${missed.map((r) => r.name).join('; ')}`);

  mkdirSync(path.dirname(OUT_FILE), { recursive: true });
  writeFileSync(OUT_FILE, `${JSON.stringify({ at: new Date().toISOString(), machine, outcomes }, null, 2)}\n`);
  console.log(`\nResults written to ${path.relative(ROOT_DIR, OUT_FILE)}`);
  return outcomes.some((o) => o.error) ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
