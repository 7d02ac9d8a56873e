/**
 * Cost of recording a metric from a hot path: shared-memory counters, gauges and HDR
 * histograms (src/core/metrics) against prom-client's own in-process metrics, in the
 * same run. Reports throughput, ns per record and bytes allocated per record (≈0 for
 * ours: the handle writes a word in a SharedArrayBuffer), plus the cost of one scrape.
 *
 *   node --expose-gc dist/bench/metrics-record.js [--ci]
 */
import { Counter as PromCounter, Gauge as PromGauge, Histogram as PromHistogram, Registry } from 'prom-client';
import { MetricsRegistry, PrometheusExporter, type MetricDefinition } from '../src/core/metrics/index.js';
import { allocationPerOp, stopAllocationObserver } from './lib/alloc.js';
import { isCiRun, markdownTable, writeResults, type BenchFigure } from './lib/results.js';

const ci = isCiRun();
const OPS = ci ? 2_000_000 : 20_000_000;
const ROUNDS = ci ? 3 : 7;
const ALLOC_OPS = 200_000;

if (!(globalThis as { gc?: unknown }).gc) {
  console.error('run with --expose-gc (bytes per record needs a clean heap)');
  process.exit(2);
}

const DEFS: MetricDefinition[] = [
  { name: 'veloz_bench_events_total', help: 'Bench counter.', type: 'counter', writer: 'bench' },
  { name: 'veloz_bench_shared_total', help: 'Bench multi-writer counter.', type: 'counter', writer: '*' },
  { name: 'veloz_bench_depth', help: 'Bench gauge.', type: 'gauge', writer: 'bench' },
  { name: 'veloz_bench_latency_seconds', help: 'Bench histogram.', type: 'histogram', unit: 'seconds', writer: 'bench' },
];

const metrics = MetricsRegistry.attach(MetricsRegistry.create(DEFS).sab, DEFS, { writer: 'bench' });
const counter = metrics.counter('veloz_bench_events_total');
const shared = metrics.counter('veloz_bench_shared_total');
const gauge = metrics.gauge('veloz_bench_depth');
const histogram = metrics.histogram('veloz_bench_latency_seconds');

const promRegistry = new Registry();
const promCounter = new PromCounter({ name: 'bench_events_total', help: 'x', registers: [promRegistry] });
const promGauge = new PromGauge({ name: 'bench_depth', help: 'x', registers: [promRegistry] });
const promHistogram = new PromHistogram({
  name: 'bench_latency_seconds',
  help: 'x',
  registers: [promRegistry],
  buckets: [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1],
});

/** Latency-like values in ns spread over many HDR buckets. */
function valueNs(i: number): number {
  return 200 + (i & 1023) * 97;
}

type Body = (n: number) => void;
const cases: Record<string, Body> = {
  'counter-inc': (n) => {
    for (let i = 0; i < n; i++) counter.inc();
  },
  'shared-counter-inc': (n) => {
    for (let i = 0; i < n; i++) shared.inc();
  },
  'gauge-set': (n) => {
    for (let i = 0; i < n; i++) gauge.set(i);
  },
  'histogram-record': (n) => {
    for (let i = 0; i < n; i++) histogram.record(valueNs(i));
  },
  'prom-counter-inc': (n) => {
    for (let i = 0; i < n; i++) promCounter.inc();
  },
  'prom-gauge-set': (n) => {
    for (let i = 0; i < n; i++) promGauge.set(i);
  },
  'prom-histogram-observe': (n) => {
    for (let i = 0; i < n; i++) promHistogram.observe(valueNs(i) / 1e9);
  },
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Median ns per op over ROUNDS timed runs of `ops` operations. */
function nsPerOp(body: Body, ops: number): number {
  body(Math.min(ops, 200_000)); // warm up / optimise
  const runs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    body(ops);
    runs.push(Number(process.hrtime.bigint() - t0) / ops);
  }
  return median(runs);
}

const ns: Record<string, number> = {};
const alloc: Record<string, { bytes: number; gcs: number }> = {};
for (const [name, body] of Object.entries(cases)) {
  ns[name] = nsPerOp(body, name.startsWith('prom-') ? Math.ceil(OPS / 10) : OPS);
  alloc[name] = await allocationPerOp(body, ALLOC_OPS);
  console.log(`${name}: ${ns[name]!.toFixed(2)} ns/op, ${alloc[name]!.bytes.toFixed(3)} B/op (${alloc[name]!.gcs} GCs while probing)`);
}
stopAllocationObserver();

const exporter = new PrometheusExporter(MetricsRegistry.attach(metrics.sab, DEFS), { sampleIntervalMs: 0 });
await exporter.metrics();
const scrapes = ci ? 20 : 100;
const t0 = process.hrtime.bigint();
for (let i = 0; i < scrapes; i++) await exporter.metrics();
const scrapeMs = Number(process.hrtime.bigint() - t0) / 1e6 / scrapes;
exporter.close();

const mops = (x: number) => 1e3 / x;
const pairs: [string, string, string][] = [
  ['counter-inc', 'prom-counter-inc', 'prom-client Counter.inc'],
  ['gauge-set', 'prom-gauge-set', 'prom-client Gauge.set'],
  ['histogram-record', 'prom-histogram-observe', 'prom-client Histogram.observe'],
];
const figures: BenchFigure[] = [];
for (const [ours, theirs, label] of pairs) {
  figures.push({
    metric: `${ours}-throughput`,
    unit: 'Mops/s',
    value: mops(ns[ours]!),
    baseline: { name: label, value: mops(ns[theirs]!) },
  });
}
figures.push({ metric: 'shared-counter-inc-throughput', unit: 'Mops/s', value: mops(ns['shared-counter-inc']!), baseline: null });
for (const name of ['counter-inc', 'shared-counter-inc', 'gauge-set', 'histogram-record']) {
  figures.push({ metric: `${name}-ns`, unit: 'ns/op', value: ns[name]!, baseline: null });
}
for (const [ours, theirs, label] of pairs) {
  // Both sides can be ≈0, so a ratio would be noise: the baseline is shown for context.
  figures.push({
    metric: `${ours}-alloc`,
    unit: 'B/op',
    value: alloc[ours]!.bytes,
    baseline: { name: label, value: alloc[theirs]!.bytes },
    ratio: null,
  });
  figures.push({ metric: `${ours}-gcs-in-alloc-probe`, unit: 'count', value: alloc[ours]!.gcs, baseline: null });
}
figures.push({ metric: 'scrape', unit: 'ms', value: scrapeMs, baseline: null });

const entries = writeResults('metrics-record', figures);
console.log(markdownTable(entries));
