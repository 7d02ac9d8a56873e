/**
 * WAL append: records/s and per-append latency for each fsync policy, raced in the same
 * run against the naive way to get the same guarantee:
 *   'none'   vs fs.writeSync of each record (no fsync)
 *   'always' vs fs.appendFileSync + fs.fsyncSync per record
 *   'group'  (flusher thread, the default) vs 'always' — the point of group commit —
 *            and vs 'group' flushed inline on the writer's thread (the alternative the
 *            flusher thread was chosen over: compare throughput and the worst appends).
 * Contenders run in interleaved slices (order reversed every round), so drift in a
 * shared disk's speed hits them alike. Plus: commit latency (append → durable) at a
 * paced rate, allocation per append (heap slope and minor GCs over a long run), and
 * CRC-32C TS vs native. Payloads are 100 bytes (128-byte records). Files go to a temp
 * dir under VELOZ_BENCH_WAL_DIR or the OS temp dir (a warning if that is tmpfs, where
 * fsync is free); shipped segments are deleted between slices.
 *
 *   node --expose-gc dist/bench/wal-append.js [--ci]
 */
import { appendFileSync, closeSync, fsyncSync, ftruncateSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LatencyHistogram } from '../src/core/metrics/histogram.js';
import { native } from '../src/native/load-addon.js';
import { crc32cTsUnchecked } from '../src/wal/crc32c-ts.js';
import { deleteSegmentsShippedThrough, WalWriter, type WalWriterOptions } from '../src/wal/index.js';
import { allocationPerOp, stopAllocationObserver } from './lib/alloc.js';
import { isCiRun, markdownTable, writeResults, type BenchFigure } from './lib/results.js';

const ci = isCiRun();
const ROUNDS = ci ? 4 : 8;
const SLICE_MS = ci ? 300 : 600;
// fsync-bound contenders do few records per slice: more, shorter slices keep the
// comparison fair on a disk whose fsync time drifts from second to second.
const ALWAYS_ROUNDS = ci ? 8 : 16;
const ALWAYS_SLICE_MS = ci ? 125 : 190;
const PACED_MS = ci ? 500 : 1500;
const PACED_PER_TICK = 20; // 20 records per ~1 ms tick ≈ 18k records/s
const ALLOC_OPS = ci ? 40_000 : 100_000;
const GC_RUN_OPS = ci ? 1_000_000 : 4_000_000;
const PAYLOAD = new Uint8Array(100).map((_, i) => (i * 37) & 0xff);
const RECORD = new Uint8Array(128).map((_, i) => (i * 11) & 0xff);
const GROUP = { fsync: 'group', groupCommitMaxDelayUs: 200 } as const;

if (!(globalThis as { gc?: unknown }).gc) {
  console.error('run with --expose-gc (bytes per append needs a clean heap)');
  process.exit(2);
}

const root = mkdtempSync(join(process.env['VELOZ_BENCH_WAL_DIR'] ?? tmpdir(), 'veloz-bench-wal-'));
const TMPFS_MAGIC = 0x01021994;
if (statfsSync(root).type === TMPFS_MAGIC) {
  console.warn(`${root} is on tmpfs: fsync costs nothing there, so 'always' and the group-vs-always ratio say little; set VELOZ_BENCH_WAL_DIR to a directory on a real disk`);
}
let dirs = 0;
const freshDir = (): string => join(root, `run-${dirs++}`);

interface Contender {
  name: string;
  records: number;
  ms: number;
  lat: LatencyHistogram;
  /** Runs one slice: appends for `ms`, timing each; returns records done (time includes reaching durability). */
  slice(ms: number): Promise<number>;
  close(): Promise<void>;
}

function timedLoop(ms: number, lat: LatencyHistogram, op: () => void): number {
  const end = performance.now() + ms;
  let n = 0;
  for (;;) {
    const t0 = performance.now();
    op();
    const t1 = performance.now();
    lat.record((t1 - t0) * 1e6);
    n++;
    if (t1 >= end) return n;
  }
}

function naiveContender(name: string, sync: boolean): Contender {
  const path = join(root, `${name}.naive`);
  const fd = openSync(path, 'a');
  const lat = new LatencyHistogram();
  const c: Contender = {
    name,
    records: 0,
    ms: 0,
    lat,
    async slice(ms) {
      ftruncateSync(fd, 0);
      const t0 = performance.now();
      const n = timedLoop(ms, lat, sync ? () => (appendFileSync(fd, RECORD), fsyncSync(fd)) : () => void writeSync(fd, RECORD));
      c.ms += performance.now() - t0;
      c.records += n;
      return n;
    },
    async close() {
      closeSync(fd);
    },
  };
  return c;
}

async function walContender(name: string, opts: Omit<WalWriterOptions, 'dir'>): Promise<Contender & { writer: WalWriter }> {
  const dir = freshDir();
  const writer = await WalWriter.open({ dir, ...opts });
  for (let i = 0; i < (opts.fsync === 'always' ? 50 : 5000); i++) writer.append(1, PAYLOAD); // JIT warm-up
  await writer.flush();
  const lat = new LatencyHistogram();
  const c = {
    name,
    writer,
    records: 0,
    ms: 0,
    lat,
    async slice(ms: number) {
      const t0 = performance.now();
      const n = timedLoop(ms, lat, () => void writer.append(1, PAYLOAD));
      await writer.flush();
      c.ms += performance.now() - t0;
      c.records += n;
      deleteSegmentsShippedThrough(dir, writer.durableSeq);
      return n;
    },
    async close() {
      await writer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return c;
}

/** Commit latency: append at a paced rate, measure append → durable for every record. */
async function pacedSlice(w: WalWriter, ms: number, h: LatencyHistogram): Promise<void> {
  const cap = 1 << 20;
  const appendedAt = new Float64Array(cap);
  let acked = w.durableSeq;
  const off = w.onDurable((d) => {
    const now = performance.now();
    for (let s = acked + 1; s <= d; s++) h.record((now - appendedAt[s & (cap - 1)]!) * 1e6);
    acked = d;
  });
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let k = 0; k < PACED_PER_TICK; k++) {
      const t = performance.now();
      appendedAt[w.append(1, PAYLOAD) & (cap - 1)] = t;
    }
    await sleep(1);
  }
  await w.flush();
  off();
}

/** Minor GCs during `ops` appends: the allocation proof that cannot be hidden by a GC. */
async function minorGcsDuring(w: WalWriter, ops: number): Promise<number> {
  let minor = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === 1) minor++;
  });
  (globalThis as unknown as { gc: () => void }).gc();
  obs.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < ops; i++) w.append(1, PAYLOAD);
  await sleep(20);
  obs.disconnect();
  return minor;
}

function crcThroughput(size: number): { ts: number; native: number } {
  const buf = new Uint8Array(size).map((_, i) => (i * 13) & 0xff);
  const addon = native();
  const reps = Math.max(100, Math.floor((ci ? 2e7 : 1e8) / size));
  const time = (f: () => number): number => {
    let x = 0;
    for (let i = 0; i < Math.min(reps, 2000); i++) x ^= f();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) x ^= f();
    const dt = performance.now() - t0;
    if (x === 0.5) console.log(x); // keeps the result alive
    return (size * reps) / (dt / 1000) / 1e6;
  };
  return { ts: time(() => crc32cTsUnchecked(buf, 0, size, 0)), native: time(() => addon.crc32c(buf, 0, size, 0)) };
}

const rate = (c: Contender): number => (c.records / c.ms) * 1000;

try {
  const naiveNone = naiveContender('naive-none', false);
  const walNone = await walContender('wal-none', { fsync: 'none' });
  const walGroup = await walContender('wal-group', GROUP);
  const walGroupInline = await walContender('wal-group-inline', { ...GROUP, flusher: 'inline' });
  const naiveAlways = naiveContender('naive-always', true);
  const walAlways = await walContender('wal-always', { fsync: 'always' });
  const fast = [naiveNone, walNone, walGroup, walGroupInline];
  const slow = [naiveAlways, walAlways];
  const groupFsyncs0 = walGroup.writer.stats.snapshot();
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of r % 2 === 0 ? fast : [...fast].reverse()) await c.slice(SLICE_MS);
  }
  for (let r = 0; r < ALWAYS_ROUNDS; r++) {
    for (const c of r % 2 === 0 ? slow : [...slow].reverse()) await c.slice(ALWAYS_SLICE_MS);
  }
  const groupFsyncs1 = walGroup.writer.stats.snapshot();
  for (const c of [...fast, ...slow]) {
    const s = c.lat.summary();
    console.log(`${c.name}: ${rate(c).toFixed(0)} records/s; append p50 ${s.p50} p99 ${s.p99} p99.9 ${s.p999} max ${s.max} ns`);
  }

  const commitThread = new LatencyHistogram();
  const commitInline = new LatencyHistogram();
  for (let r = 0; r < 2; r++) {
    await pacedSlice(walGroup.writer, PACED_MS / 2, commitThread);
    await pacedSlice(walGroupInline.writer, PACED_MS / 2, commitInline);
  }
  console.log(`commit latency: thread p50 ${commitThread.percentile(50)} p99 ${commitThread.percentile(99)}; inline p50 ${commitInline.percentile(50)} p99 ${commitInline.percentile(99)} ns`);

  const alloc = await allocationPerOp((n) => {
    for (let i = 0; i < n; i++) walGroup.writer.append(1, PAYLOAD);
  }, ALLOC_OPS);
  stopAllocationObserver();
  await walGroup.writer.flush();
  const minorGcs = await minorGcsDuring(walGroup.writer, GC_RUN_OPS);
  console.log(`allocation per append: ${alloc.bytes.toFixed(3)} B (slope; ${alloc.gcs} GCs in the probe); ${minorGcs} minor GCs in ${GC_RUN_OPS} appends`);

  for (const c of [...fast, ...slow]) await c.close();
  const crcSmall = crcThroughput(128);
  const crcLarge = crcThroughput(65536);

  const figures: BenchFigure[] = [];
  const rps = 'records/s';
  const groupFsyncs = groupFsyncs1.fsyncs - groupFsyncs0.fsyncs;
  figures.push({ metric: 'group-commit throughput vs always', unit: rps, value: rate(walGroup), baseline: { name: "wal fsync 'always'", value: rate(walAlways) } });
  figures.push({ metric: 'group-commit throughput vs 100k/s target', unit: rps, value: rate(walGroup), baseline: { name: 'target', value: 100_000 } });
  figures.push({ metric: 'group-commit (flusher thread) vs group inline throughput', unit: rps, value: rate(walGroup), baseline: { name: 'group flushed on the writer thread', value: rate(walGroupInline) } });
  figures.push({ metric: 'always throughput vs naive appendFileSync+fsync', unit: rps, value: rate(walAlways), baseline: { name: 'appendFileSync + fsyncSync per record', value: rate(naiveAlways) } });
  figures.push({ metric: 'none throughput vs naive writeSync', unit: rps, value: rate(walNone), baseline: { name: 'fs.writeSync per record', value: rate(naiveNone) } });
  const lat = (name: string, c: Contender, base: Contender, baseName: string): void => {
    for (const [label, p] of [['p50', 50], ['p99', 99], ['p999', 99.9], ['p9999', 99.99]] as const) {
      figures.push({ metric: `${name} append latency ${label}`, unit: 'ns', value: c.lat.percentile(p), baseline: { name: baseName, value: base.lat.percentile(p) } });
    }
    figures.push({ metric: `${name} append latency max`, unit: 'ns', value: c.lat.max, baseline: { name: baseName, value: base.lat.max } });
  };
  lat('none', walNone, naiveNone, 'fs.writeSync per record');
  lat('group', walGroup, walGroupInline, 'group flushed on the writer thread');
  lat('always', walAlways, naiveAlways, 'appendFileSync + fsyncSync per record');
  for (const [label, p] of [['p50', 50], ['p99', 99], ['p999', 99.9]] as const) {
    figures.push({
      metric: `group commit latency (append to durable) ${label}`,
      unit: 'ns',
      value: commitThread.percentile(p),
      baseline: { name: 'group flushed on the writer thread', value: commitInline.percentile(p) },
    });
  }
  figures.push({ metric: 'group records per fsync', unit: 'records', value: walGroup.records / Math.max(1, groupFsyncs), baseline: null });
  figures.push({ metric: 'group backpressure waits', unit: 'count', value: groupFsyncs1.backpressureWaits - groupFsyncs0.backpressureWaits, baseline: null });
  // fsync figures are the disk's, for reading the others: commit latency follows them.
  figures.push({ metric: 'fsync latency p50 (group flusher)', unit: 'ns', value: groupFsyncs1.fsyncLatencyNs.p50, baseline: null });
  figures.push({ metric: 'fsync latency p99 (group flusher)', unit: 'ns', value: groupFsyncs1.fsyncLatencyNs.p99, baseline: null });
  figures.push({ metric: 'fsync latency max (group flusher)', unit: 'ns', value: groupFsyncs1.fsyncLatencyNs.max, baseline: null });
  figures.push({ metric: 'bytes allocated per append (group)', unit: 'B/op', value: alloc.bytes, baseline: null });
  figures.push({ metric: `minor GCs during ${GC_RUN_OPS} appends (group)`, unit: 'count', value: minorGcs, baseline: null });
  figures.push({ metric: 'crc32c 128 B native vs ts', unit: 'MB/s', value: crcSmall.native, baseline: { name: 'ts slicing-by-8', value: crcSmall.ts } });
  figures.push({ metric: 'crc32c 64 KiB native vs ts', unit: 'MB/s', value: crcLarge.native, baseline: { name: 'ts slicing-by-8', value: crcLarge.ts } });

  const entries = writeResults('wal-append', figures);
  console.log(markdownTable(entries));
} finally {
  rmSync(root, { recursive: true, force: true });
}
