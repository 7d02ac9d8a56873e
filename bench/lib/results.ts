/**
 * The benchmark result format of design §12: every benchmark writes
 * bench/results/<bench>.json, an array with one entry per figure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchBaseline {
  name: string;
  value: number;
}

export interface BenchEntry {
  bench: string;
  metric: string;
  unit: string;
  value: number;
  baseline: BenchBaseline | null;
  /** value / baseline.value, or null without a baseline. */
  ratio: number | null;
  machine: string;
  node: string;
  date: string;
}

export type BenchFigure = Omit<BenchEntry, 'bench' | 'machine' | 'node' | 'date' | 'ratio'> & {
  ratio?: number | null;
};

/** Repository root, from dist/bench/lib/results.js. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');

export function machineDescription(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown cpu';
  return `${list.length} cpu ${model}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}/${process.arch}`;
}

/** Completes figures with machine/node/date and the ratio, and writes the JSON file. */
export function writeResults(bench: string, figures: BenchFigure[]): BenchEntry[] {
  const machine = machineDescription();
  const date = new Date().toISOString();
  const entries: BenchEntry[] = figures.map((f) => ({
    bench,
    metric: f.metric,
    unit: f.unit,
    value: f.value,
    baseline: f.baseline,
    ratio: f.ratio !== undefined ? f.ratio : f.baseline && f.baseline.value !== 0 ? f.value / f.baseline.value : null,
    machine,
    node: process.version,
    date,
  }));
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${bench}.json`), JSON.stringify(entries, null, 2) + '\n');
  return entries;
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  if (a >= 100) return n.toFixed(0);
  if (a >= 1) return n.toFixed(2);
  return n.toPrecision(3);
}

/** A Markdown table of entries, used on stdout and in bench/README.md. */
export function markdownTable(entries: BenchEntry[]): string {
  const rows = ['| bench | metric | value | unit | baseline | ratio |', '|---|---|---:|---|---|---:|'];
  for (const e of entries) {
    const base = e.baseline ? `${e.baseline.name}: ${fmt(e.baseline.value)}` : '';
    const ratio = e.ratio === null ? '' : `${e.ratio.toFixed(2)}×`;
    rows.push(`| ${e.bench} | ${e.metric} | ${fmt(e.value)} | ${e.unit} | ${base} | ${ratio} |`);
  }
  return rows.join('\n');
}

/** Whether the benchmark was asked for its short CI form. */
export function isCiRun(): boolean {
  return process.argv.includes('--ci') || process.env['VELOZ_BENCH_CI'] === '1';
}
