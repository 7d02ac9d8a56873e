/**
 * One runner for all benchmarks: `npm run bench` (full) and `npm run bench:ci` (short,
 * gated). Runs each benchmark in its own process, prints the table, fails on a gross
 * ratio regression, and rewrites the summary in bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, RESULTS_DIR, machineDescription, markdownTable, type BenchEntry } from './lib/results.js';
import { SUITE, type BenchSpec } from './suite.js';

const ci = process.argv.includes('--ci');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const specs = SUITE.filter((s) => (!ci || s.ci) && (only.length === 0 || only.includes(s.name)));

const all: BenchEntry[] = [];
const failures: string[] = [];
const started = Date.now();

function runOne(spec: BenchSpec): void {
  const file = join(REPO_ROOT, 'dist', 'bench', spec.file);
  const args = ['--expose-gc', file, ...(ci ? ['--ci'] : [])];
  console.log(`\n### ${spec.name}: node ${args.join(' ')}`);
  const t0 = Date.now();
  const res = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: REPO_ROOT });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (res.status !== 0) {
    failures.push(`${spec.name}: exited with ${res.status ?? res.signal} after ${secs}s`);
    return;
  }
  const path = join(RESULTS_DIR, `${spec.name}.json`);
  if (!existsSync(path)) {
    failures.push(`${spec.name}: wrote no ${path}`);
    return;
  }
  const entries = JSON.parse(readFileSync(path, 'utf8')) as BenchEntry[];
  all.push(...entries);
  for (const gate of spec.gates) {
    const e = entries.find((x) => x.metric === gate.metric);
    if (!e || e.ratio === null) {
      failures.push(`${spec.name}: gate metric "${gate.metric}" has no ratio`);
    } else if (e.ratio < gate.minRatio) {
      failures.push(
        `${spec.name}: ${gate.metric} ratio ${e.ratio.toFixed(2)} < ${gate.minRatio} (${gate.why})`,
      );
    }
  }
  console.log(`(${spec.name} took ${secs}s)`);
}

for (const spec of specs) runOne(spec);

const table = markdownTable(all);
console.log(`\n${table}\n`);

const readme = join(REPO_ROOT, 'bench', 'README.md');
const BEGIN = '<!-- results:begin -->';
const END = '<!-- results:end -->';
const summary = [
  BEGIN,
  `Latest ${ci ? '`npm run bench:ci`' : '`npm run bench`'} run: ${new Date().toISOString()}, ` +
    `${machineDescription()}, Node ${process.version}, ${((Date.now() - started) / 1000).toFixed(0)} s. ` +
    'Shared, noisy VM: compare the ratios (measured in the same run), not absolute figures.',
  '',
  table,
  END,
].join('\n');
if (existsSync(readme)) {
  const text = readFileSync(readme, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a >= 0 && b > a) writeFileSync(readme, text.slice(0, a) + summary + text.slice(b + END.length));
}

if (failures.length > 0) {
  console.error(`\nbenchmark failures:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`bench: every gate held across ${specs.length} benchmarks`);
