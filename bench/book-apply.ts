/**
 * book-apply: level updates per second into the shared L2 book, per candidate side
 * structure, against a JS Map book that sorts its keys for the top-N on every message
 * (the baseline the issue names), all on the same pre-generated flow (bench/lib/book-flow.ts).
 *
 * Each candidate runs in its own worker thread, so each gets a fresh isolate and
 * monomorphic JIT feedback, as it would in a book worker that uses one layout.
 * Figures: level updates/s (best of several passes), per-message apply p50/p99/p99.9
 * (LatencyHistogram, ns), heap bytes allocated per update and GC count over a full pass
 * after warm-up, snapshot load time, and a top-20 read from the reader side.
 *
 * Two flows: 'dense' (70 % of ticks hold a level, a liquid pair) and 'sparse' (5 %), and
 * a variant reading the int64 words through BigInt (DataView.getBigUint64 + Number) to
 * show what the number-based API saves.
 *
 * Outcome on the 2-core VM (Node 20): window ≈ 20 M updates/s, sorted ≈ 8-12 M, both
 * ≈ 0 bytes and no GC per pass; the Map + sort baseline ≈ 0.1 M. The window was chosen
 * for live books; sorted stays for books without a known tick grid.
 *
 *   node --expose-gc dist/bench/book-apply.js [--ci]
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { LatencyHistogram } from '../src/core/metrics/histogram.js';
import { SharedBookWriter } from '../src/book/shared-book-writer.js';
import { SharedBookReader } from '../src/book/shared-book-reader.js';
import { BookLevels } from '../src/book/book-levels.js';
import { EVENT_WORDS, generateBookFlow } from './lib/book-flow.js';
import { isCiRun, writeResults, type BenchFigure } from './lib/results.js';

type Candidate = 'sorted' | 'window' | 'sorted-bigint-read' | 'map-sort' | 'map-only';
type FlowName = 'dense' | 'sparse';
/** Ticks occupied by a level: a liquid pair vs a thin one (bench/lib/book-flow.ts). */
const OCCUPANCY: Record<FlowName, number> = { dense: 0.7, sparse: 0.05 };
/** Window widths that hold each flow's whole book (dense spans ~3k ticks, sparse ~40k). */
const WINDOW_TICKS: Record<FlowName, number> = { dense: 4096, sparse: 65536 };

interface Job {
  candidate: Candidate;
  flow: FlowName;
  windowTicks: number;
  events: Int32Array;
  messageEnds: Int32Array;
  snapshotBids: number[][];
  snapshotAsks: number[][];
  /** Messages per pass (the slow baselines run a prefix of the flow). */
  messages: number;
  passes: number;
}

interface JobResult {
  candidate: Candidate;
  flow: FlowName;
  levelsPerPass: number;
  updatesPerSec: number;
  p50: number;
  p99: number;
  p999: number;
  bytesPerUpdate: number;
  gcCount: number;
  snapshotLoadUs: number;
  readTop20Ns: number;
}

const TOP_N = 20;
const TWO32 = 4294967296;

/** The apply loop every candidate shares: decode the ring-style words, one batch per message. */
interface Book {
  load(bids: number[][], asks: number[][]): void;
  run(ev: Int32Array, ends: Int32Array, m0: number, m1: number, hist: LatencyHistogram | null): void;
}

class SharedBook implements Book {
  readonly writer: SharedBookWriter;
  constructor(layout: 'sorted' | 'window', windowTicks: number) {
    this.writer = new SharedBookWriter(layout === 'sorted' ? { layout, maxLevels: 5000 } : { layout, windowTicks });
  }
  load(bids: number[][], asks: number[][]): void {
    const w = this.writer;
    w.beginBatch();
    w.clearBook();
    for (const [p, q] of bids) w.applyLevel(0, p!, q!);
    for (const [p, q] of asks) w.applyLevel(1, p!, q!);
    w.endBatch(0, 0, true);
  }
  run(ev: Int32Array, ends: Int32Array, m0: number, m1: number, hist: LatencyHistogram | null): void {
    const w = this.writer;
    let i = m0 === 0 ? 0 : ends[m0 - 1]!;
    for (let m = m0; m < m1; m++) {
      const end = ends[m]!;
      const t0 = hist === null ? 0 : performance.now();
      w.beginBatch();
      for (; i < end; i++) {
        const o = i * EVENT_WORDS;
        w.applyLevel(ev[o]! as 0 | 1, (ev[o + 1]! >>> 0) + ev[o + 2]! * TWO32, (ev[o + 3]! >>> 0) + ev[o + 4]! * TWO32);
      }
      w.endBatch(m + 1, m + 1, true);
      if (hist !== null) hist.record((performance.now() - t0) * 1e6);
    }
  }
}

/** Same book, but the int64 words are read as BigInt (DataView) and converted: the API form not chosen. */
class SharedBookBigIntRead extends SharedBook {
  private view: DataView | null = null;
  override run(ev: Int32Array, ends: Int32Array, m0: number, m1: number, hist: LatencyHistogram | null): void {
    const w = this.writer;
    const dv = (this.view ??= new DataView(ev.buffer, ev.byteOffset, ev.byteLength));
    let i = m0 === 0 ? 0 : ends[m0 - 1]!;
    for (let m = m0; m < m1; m++) {
      const end = ends[m]!;
      const t0 = hist === null ? 0 : performance.now();
      w.beginBatch();
      for (; i < end; i++) {
        const o = i * EVENT_WORDS * 4;
        w.applyLevel(dv.getInt32(o, true) as 0 | 1, Number(dv.getBigUint64(o + 4, true)), Number(dv.getBigUint64(o + 12, true)));
      }
      w.endBatch(m + 1, m + 1, true);
      if (hist !== null) hist.record((performance.now() - t0) * 1e6);
    }
  }
}

/** Baseline: Map<price, qty> per side; `sortTop` sorts all keys for the top-N after each message. */
class MapBook implements Book {
  private readonly bids = new Map<number, number>();
  private readonly asks = new Map<number, number>();
  readonly topBids = new Float64Array(TOP_N * 2);
  readonly topAsks = new Float64Array(TOP_N * 2);
  constructor(private readonly sortTop: boolean) {}
  load(bids: number[][], asks: number[][]): void {
    this.bids.clear();
    this.asks.clear();
    for (const [p, q] of bids) this.bids.set(p!, q!);
    for (const [p, q] of asks) this.asks.set(p!, q!);
  }
  run(ev: Int32Array, ends: Int32Array, m0: number, m1: number, hist: LatencyHistogram | null): void {
    let i = m0 === 0 ? 0 : ends[m0 - 1]!;
    for (let m = m0; m < m1; m++) {
      const end = ends[m]!;
      const t0 = hist === null ? 0 : performance.now();
      for (; i < end; i++) {
        const o = i * EVENT_WORDS;
        const book = ev[o] === 0 ? this.bids : this.asks;
        const price = (ev[o + 1]! >>> 0) + ev[o + 2]! * TWO32;
        const qty = (ev[o + 3]! >>> 0) + ev[o + 4]! * TWO32;
        if (qty === 0) book.delete(price);
        else book.set(price, qty);
      }
      if (this.sortTop) {
        this.top(this.bids, this.topBids, true);
        this.top(this.asks, this.topAsks, false);
      }
      if (hist !== null) hist.record((performance.now() - t0) * 1e6);
    }
  }
  private top(book: Map<number, number>, out: Float64Array, desc: boolean): void {
    const keys = Array.from(book.keys()).sort(desc ? (a, b) => b - a : (a, b) => a - b);
    const n = Math.min(TOP_N, keys.length);
    for (let j = 0; j < n; j++) {
      out[j * 2] = keys[j]!;
      out[j * 2 + 1] = book.get(keys[j]!)!;
    }
  }
}

function makeBook(c: Candidate, windowTicks: number): Book {
  switch (c) {
    case 'sorted':
      return new SharedBook('sorted', windowTicks);
    case 'window':
      return new SharedBook('window', windowTicks);
    case 'sorted-bigint-read':
      return new SharedBookBigIntRead('sorted', windowTicks);
    case 'map-sort':
      return new MapBook(true);
    case 'map-only':
      return new MapBook(false);
  }
}


async function runJob(job: Job): Promise<JobResult> {
  const book = makeBook(job.candidate, job.windowTicks);
  const ends = job.messageEnds;
  const m1 = job.messages;
  const levels = ends[m1 - 1]!;
  const gcFn = (globalThis as { gc?: () => void }).gc;

  // Warm-up: one pass (JIT).
  book.load(job.snapshotBids, job.snapshotAsks);
  book.run(job.events, ends, 0, m1, null);

  const rates: number[] = [];
  for (let p = 0; p < job.passes; p++) {
    book.load(job.snapshotBids, job.snapshotAsks);
    gcFn?.();
    const t0 = performance.now();
    book.run(job.events, ends, 0, m1, null);
    rates.push(levels / ((performance.now() - t0) / 1000));
  }

  // Allocation: heap growth over one pass with no collection in between.
  book.load(job.snapshotBids, job.snapshotAsks);
  let gcs = 0;
  let passStart = Infinity;
  let passEnd = Infinity;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.startTime >= passStart && e.startTime <= passEnd) gcs++;
  });
  obs.observe({ entryTypes: ['gc'] });
  gcFn?.();
  passStart = performance.now();
  const h0 = process.memoryUsage().heapUsed;
  book.run(job.events, ends, 0, m1, null);
  const h1 = process.memoryUsage().heapUsed;
  passEnd = performance.now();
  await new Promise((r) => setTimeout(r, 20));
  obs.disconnect();
  // Exact when no collection ran during the pass; with collections (gc_during_pass > 0)
  // the heap growth is only a lower bound, and the count is the evidence of allocation.
  const bytesPerUpdate = Math.max(0, h1 - h0) / levels;

  const hist = new LatencyHistogram();
  book.load(job.snapshotBids, job.snapshotAsks);
  book.run(job.events, ends, 0, m1, hist);

  const loads = 20;
  const tl = performance.now();
  for (let k = 0; k < loads; k++) book.load(job.snapshotBids, job.snapshotAsks);
  const snapshotLoadUs = ((performance.now() - tl) * 1000) / loads;

  let readTop20Ns = 0;
  if (book instanceof SharedBook) {
    const reader = new SharedBookReader(book.writer.buffer);
    const view = new BookLevels(TOP_N);
    const reads = 200_000;
    for (let k = 0; k < 10_000; k++) reader.readTop(TOP_N, view);
    const tr = performance.now();
    for (let k = 0; k < reads; k++) reader.readTop(TOP_N, view);
    readTop20Ns = ((performance.now() - tr) * 1e6) / reads;
  }

  return {
    candidate: job.candidate,
    flow: job.flow,
    levelsPerPass: levels,
    // Best pass: on a shared VM the least-disturbed pass is the one closest to the code's cost.
    updatesPerSec: Math.max(...rates),
    p50: hist.percentile(50),
    p99: hist.percentile(99),
    p999: hist.percentile(99.9),
    bytesPerUpdate,
    gcCount: gcs,
    snapshotLoadUs,
    readTop20Ns,
  };
}

function inWorker(job: Job): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: job });
    worker.once('message', (r: JobResult) => resolve(r));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${job.candidate} worker exited with ${code}`));
    });
  });
}

async function main(): Promise<void> {
  const ci = isCiRun();
  const totalLevels = ci ? 1_000_000 : 4_000_000;
  const passes = ci ? 5 : 7;
  const flows = new Map<FlowName, { events: Int32Array; messageEnds: Int32Array; snapshotBids: number[][]; snapshotAsks: number[][] }>();
  for (const name of ['dense', 'sparse'] as FlowName[]) {
    const t0 = performance.now();
    const flow = generateBookFlow(totalLevels, OCCUPANCY[name]);
    const events = new Int32Array(new SharedArrayBuffer(flow.events.byteLength));
    events.set(flow.events);
    const messageEnds = new Int32Array(new SharedArrayBuffer(flow.messageEnds.byteLength));
    messageEnds.set(flow.messageEnds);
    flows.set(name, { events, messageEnds, snapshotBids: flow.snapshotBids, snapshotAsks: flow.snapshotAsks });
    console.log(
      `${name} flow: ${totalLevels} level events in ${messageEnds.length} messages, snapshot ${flow.snapshotBids.length}/${flow.snapshotAsks.length} levels ` +
        `(${((performance.now() - t0) / 1000).toFixed(1)} s to generate)`,
    );
  }

  // [candidate, flow, fraction of the flow's messages per pass]: the Map baselines are
  // far slower, so they run a prefix (a rate needs no more).
  const jobs: Array<[Candidate, FlowName, number]> = [
    ['sorted', 'dense', 1],
    ['window', 'dense', 1],
    ['sorted-bigint-read', 'dense', 1],
    ['map-only', 'dense', 1 / 4],
    ['map-sort', 'dense', 1 / 200],
    ['sorted', 'sparse', 1],
    ['window', 'sparse', 1],
    ['map-sort', 'sparse', 1 / 200],
  ];
  const results: JobResult[] = [];
  for (const [candidate, flowName, fraction] of jobs) {
    const flow = flows.get(flowName)!;
    const messages = Math.max(1, Math.floor(flow.messageEnds.length * fraction));
    const r = await inWorker({ candidate, flow: flowName, windowTicks: WINDOW_TICKS[flowName], ...flow, messages, passes });
    results.push(r);
    console.log(
      `${`${candidate}/${flowName}`.padEnd(26)} ${(r.updatesPerSec / 1e6).toFixed(2).padStart(7)} M updates/s  msg p50 ${r.p50.toFixed(0)} ns  p99 ${r.p99.toFixed(0)} ns  p99.9 ${r.p999.toFixed(0)} ns  ` +
        `${r.bytesPerUpdate.toFixed(3)} B/update (${r.gcCount} GC)  snapshot load ${r.snapshotLoadUs.toFixed(0)} µs` +
        (r.readTop20Ns > 0 ? `  readTop(20) ${r.readTop20Ns.toFixed(0)} ns` : '') +
        `  [${r.levelsPerPass} levels/pass]`,
    );
  }

  const figures: BenchFigure[] = [];
  for (const r of results) {
    const tag = `${r.candidate}/${r.flow}`;
    const base = results.find((x) => x.candidate === 'map-sort' && x.flow === r.flow)!;
    const baseline = r.candidate === 'map-sort' ? null : { name: `map-sort-top${TOP_N}/${r.flow}`, value: base.updatesPerSec };
    figures.push({ metric: `level_updates_per_s[${tag}]`, unit: 'updates/s', value: r.updatesPerSec, baseline });
    figures.push({ metric: `message_apply_p50[${tag}]`, unit: 'ns', value: r.p50, baseline: null });
    figures.push({ metric: `message_apply_p99[${tag}]`, unit: 'ns', value: r.p99, baseline: null });
    figures.push({ metric: `message_apply_p999[${tag}]`, unit: 'ns', value: r.p999, baseline: null });
    figures.push({ metric: `heap_bytes_per_update[${tag}]`, unit: 'bytes', value: r.bytesPerUpdate, baseline: null });
    figures.push({ metric: `gc_during_pass[${tag}]`, unit: 'count', value: r.gcCount, baseline: null });
    figures.push({ metric: `snapshot_load[${tag}]`, unit: 'µs', value: r.snapshotLoadUs, baseline: null });
    if (r.readTop20Ns > 0) figures.push({ metric: `read_top20[${tag}]`, unit: 'ns', value: r.readTop20Ns, baseline: null });
  }
  writeResults('book-apply', figures);
}

if (isMainThread) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  runJob(workerData as Job).then(
    (r) => parentPort!.postMessage(r),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
