/**
 * WAL append: records/s and per-append latency for each fsync policy, raced in the same
 * run against the naive way to get the same guarantee:
 *   'none'   vs fs.writeSync of each record (no fsync)
 *   'always' vs fs.appendFileSync + fs.fsyncSync per record
 *   'group'  (flusher thread, the default) vs 'always' — the point of group commit —
 *            and vs 'group' flushed inline on the writer's thread (the alternative the
 *            flusher thread was chosen over: compare the p99.9 append latency).
 * Plus: commit latency (append → durable) at a paced rate, bytes allocated per append,
 * and CRC-32C TS vs native. Payloads are 100 bytes (128-byte records). Files go to a
 * temp dir on the same disk as the OS temp dir and are removed.
 *
 *   node --expose-gc dist/bench/wal-append.js [--ci]
 */
import { appendFileSync, closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LatencyHistogram } from '../src/core/metrics/histogram.js';
import { native } from '../src/native/load-addon.js';
import { crc32cTsUnchecked } from '../src/wal/crc32c-ts.js';
import { WalWriter, type WalWriterOptions } from '../src/wal/index.js';
import { allocationPerOp, stopAllocationObserver } from './lib/alloc.js';
import { isCiRun, markdownTable, writeResults, type BenchFigure } from './lib/results.js';

const ci = isCiRun();
const RUN_MS = ci ? 1200 : 4000;
const ALWAYS_MS = ci ? 1000 : 3000;
const PACED_MS = ci ? 800 : 3000;
const PACED_PER_MS = 20; // 20 records per ~1 ms tick ≈ 18k records/s
const ALLOC_OPS = ci ? 40_000 : 100_000;
const PAYLOAD = new Uint8Array(100).map((_, i) => (i * 37) & 0xff);
const RECORD = new Uint8Array(128).map((_, i) => (i * 11) & 0xff);

if (!(globalThis as { gc?: unknown }).gc) {
  console.error('run with --expose-gc (bytes per append needs a clean heap)');
  process.exit(2);
}

const root = mkdtempSync(join(tmpdir(), 'veloz-bench-wal-'));
let dirs = 0;
const freshDir = (): string => join(root, `run-${dirs++}`);

interface Measured {
  recordsPerSec: number;
  lat: ReturnType<LatencyHistogram['summary']>;
  records: number;
}

function summaryOf(h: LatencyHistogram): ReturnType<LatencyHistogram['summary']> {
  return h.summary();
}

/** Appends as fast as possible for `ms`, timing each call; throughput counts until all is durable. */
async function walSaturated(opts: Omit<WalWriterOptions, 'dir'>, ms: number): Promise<Measured & { fsyncs: number; backpressure: number }> {
  const dir = freshDir();
  const w = await WalWriter.open({ dir, ...opts });
  const h = new LatencyHistogram();
  for (let i = 0; i < 2000; i++) w.append(1, PAYLOAD); // warm up the JIT
  await w.flush();
  h.reset();
  const before = w.stats.snapshot();
  const start = performance.now();
  const end = start + ms;
  let n = 0;
  for (;;) {
    const t0 = performance.now();
    w.append(1, PAYLOAD);
    const t1 = performance.now();
    h.record((t1 - t0) * 1e6);
    n++;
    if (t1 >= end) break;
  }
  await w.flush();
  const elapsed = performance.now() - start;
  const after = w.stats.snapshot();
  await w.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    recordsPerSec: (n / elapsed) * 1000,
    lat: summaryOf(h),
    records: n,
    fsyncs: after.fsyncs - before.fsyncs,
    backpressure: after.backpressureWaits - before.backpressureWaits,
  };
}

function naive(ms: number, sync: boolean): Measured {
  const dir = freshDir();
  const path = join(dir + '.naive');
  const fd = openSync(path, 'a');
  const h = new LatencyHistogram();
  const start = performance.now();
  const end = start + ms;
  let n = 0;
  for (;;) {
    const t0 = performance.now();
    if (sync) {
      appendFileSync(fd, RECORD);
      fsyncSync(fd);
    } else {
      writeSync(fd, RECORD);
    }
    const t1 = performance.now();
    h.record((t1 - t0) * 1e6);
    n++;
    if (t1 >= end) break;
  }
  const elapsed = performance.now() - start;
  closeSync(fd);
  rmSync(path, { force: true });
  return { recordsPerSec: (n / elapsed) * 1000, lat: summaryOf(h), records: n };
}

/** Commit latency: append at a paced rate, measure append → durable for every record. */
async function pacedDurability(opts: Omit<WalWriterOptions, 'dir'>, ms: number): Promise<ReturnType<LatencyHistogram['summary']>> {
  const dir = freshDir();
  const w = await WalWriter.open({ dir, ...opts });
  const h = new LatencyHistogram();
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
    for (let k = 0; k < PACED_PER_MS; k++) {
      const t = performance.now();
      appendedAt[w.append(1, PAYLOAD) & (cap - 1)] = t;
    }
    await sleep(1);
  }
  await w.flush();
  off();
  await w.close();
  rmSync(dir, { recursive: true, force: true });
  return summaryOf(h);
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
    if (x === 0.5) console.log(x); // keep the result alive
    return (size * reps) / (dt / 1000) / 1e6;
  };
  return {
    ts: time(() => crc32cTsUnchecked(buf, 0, size, 0)),
    native: time(() => addon.crc32c(buf, 0, size, 0)),
  };
}

const GROUP = { fsync: 'group', groupCommitMaxDelayUs: 200 } as const;

try {
  const naiveNone = naive(RUN_MS, false);
  console.log(`naive writeSync: ${naiveNone.recordsPerSec.toFixed(0)} rec/s`);
  const walNone = await walSaturated({ fsync: 'none' }, RUN_MS);
  console.log(`wal none: ${walNone.recordsPerSec.toFixed(0)} rec/s, p99 ${walNone.lat.p99} ns`);
  const walGroup = await walSaturated(GROUP, RUN_MS);
  console.log(`wal group: ${walGroup.recordsPerSec.toFixed(0)} rec/s, ${walGroup.fsyncs} fsyncs, p99.9 ${walGroup.lat.p999} ns`);
  const walGroupInline = await walSaturated({ ...GROUP, flusher: 'inline' }, RUN_MS);
  console.log(`wal group inline: ${walGroupInline.recordsPerSec.toFixed(0)} rec/s, p99.9 ${walGroupInline.lat.p999} ns`);
  const naiveAlways = naive(ALWAYS_MS, true);
  console.log(`naive appendFileSync+fsync: ${naiveAlways.recordsPerSec.toFixed(0)} rec/s`);
  const walAlways = await walSaturated({ fsync: 'always' }, ALWAYS_MS);
  console.log(`wal always: ${walAlways.recordsPerSec.toFixed(0)} rec/s, p50 ${walAlways.lat.p50} ns`);

  const commitThread = await pacedDurability(GROUP, PACED_MS);
  const commitInline = await pacedDurability({ ...GROUP, flusher: 'inline' }, PACED_MS);
  console.log(`commit latency thread p50 ${commitThread.p50} p99 ${commitThread.p99}; inline p50 ${commitInline.p50} p99 ${commitInline.p99}`);

  const allocDir = freshDir();
  const allocWriter = await WalWriter.open({ dir: allocDir, ...GROUP });
  const alloc = await allocationPerOp((n) => {
    for (let i = 0; i < n; i++) allocWriter.append(1, PAYLOAD);
  }, ALLOC_OPS);
  await allocWriter.close();
  rmSync(allocDir, { recursive: true, force: true });
  stopAllocationObserver();
  console.log(`alloc per append: ${alloc.bytes.toFixed(3)} B (${alloc.gcs} GCs while probing)`);

  const crcSmall = crcThroughput(128);
  const crcLarge = crcThroughput(65536);

  const figures: BenchFigure[] = [];
  const rps = 'records/s';
  figures.push({ metric: 'group-commit throughput vs always', unit: rps, value: walGroup.recordsPerSec, baseline: { name: "wal fsync 'always'", value: walAlways.recordsPerSec } });
  figures.push({ metric: 'group-commit throughput vs 100k/s target', unit: rps, value: walGroup.recordsPerSec, baseline: { name: 'target', value: 100_000 } });
  figures.push({ metric: 'group-commit (thread) vs group inline throughput', unit: rps, value: walGroup.recordsPerSec, baseline: { name: 'group flushed on the writer thread', value: walGroupInline.recordsPerSec } });
  figures.push({ metric: 'always throughput vs naive appendFileSync+fsync', unit: rps, value: walAlways.recordsPerSec, baseline: { name: 'appendFileSync + fsyncSync per record', value: naiveAlways.recordsPerSec } });
  figures.push({ metric: 'none throughput vs naive writeSync', unit: rps, value: walNone.recordsPerSec, baseline: { name: 'fs.writeSync per record', value: naiveNone.recordsPerSec } });
  const lat = (name: string, m: Measured, base: Measured | null, baseName: string): void => {
    for (const [p, key] of [['p50', 'p50'], ['p99', 'p99'], ['p999', 'p999']] as const) {
      figures.push({
        metric: `${name} append latency ${p}`,
        unit: 'ns',
        value: m.lat[key],
        baseline: base ? { name: baseName, value: base.lat[key] } : null,
      });
    }
  };
  lat('none', walNone, naiveNone, 'fs.writeSync per record');
  lat('group', walGroup, walGroupInline, 'group flushed on the writer thread');
  lat('always', walAlways, naiveAlways, 'appendFileSync + fsyncSync per record');
  for (const [p, key] of [['p50', 'p50'], ['p99', 'p99'], ['p999', 'p999']] as const) {
    figures.push({ metric: `group commit latency (append to durable) ${p}`, unit: 'ns', value: commitThread[key], baseline: { name: 'group flushed on the writer thread', value: commitInline[key] } });
  }
  figures.push({ metric: 'group fsyncs per second', unit: 'fsyncs/s', value: (walGroup.fsyncs / RUN_MS) * 1000, baseline: null });
  figures.push({ metric: 'group records per fsync', unit: 'records', value: walGroup.records / Math.max(1, walGroup.fsyncs), baseline: null });
  figures.push({ metric: 'group backpressure waits', unit: 'count', value: walGroup.backpressure, baseline: null });
  figures.push({ metric: 'bytes allocated per append (group)', unit: 'B/op', value: alloc.bytes, baseline: null });
  figures.push({ metric: 'gcs in alloc probe', unit: 'count', value: alloc.gcs, baseline: null });
  figures.push({ metric: 'crc32c 128 B native vs ts', unit: 'MB/s', value: crcSmall.native, baseline: { name: 'ts slicing-by-8', value: crcSmall.ts } });
  figures.push({ metric: 'crc32c 64 KiB native vs ts', unit: 'MB/s', value: crcLarge.native, baseline: { name: 'ts slicing-by-8', value: crcLarge.ts } });

  const entries = writeResults('wal-append', figures);
  console.log(markdownTable(entries));
} finally {
  rmSync(root, { recursive: true, force: true });
}
