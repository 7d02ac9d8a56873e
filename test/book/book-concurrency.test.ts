import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { SharedBookWriter } from '../../src/book/shared-book-writer.js';
import { Side } from '../../src/book/side.js';

/**
 * Two threads: this one writes, a worker reads the top N and checks each copy.
 * Invariant per batch b (= lastUpdateId): exactly N bids and N asks on top, level i on
 * either side has qty b × 100 + i, prices strictly sorted, bid < ask. Every batch first
 * deletes the previous top levels that moved and then writes the new ones, and adds
 * and removes a deep bid (so the sorted array shifts under the reader), so any read
 * that mixes two batches, or sees one half done, breaks the invariant.
 */
const N = 10;
const MAX_UPDATES = Number(process.env['VELOZ_BOOK_STRESS_UPDATES'] ?? 2_000_000);
const MAX_WRITE_MS = 4000;

interface ReaderReport {
  reads: number;
  busy: number;
  violations: number;
  firstViolation: string;
  retries: number;
  distinctVersions: number;
}

async function race(layout: 'sorted' | 'window', unlocked: boolean): Promise<{ report: ReaderReport; updates: number; batches: number }> {
  const writer = new SharedBookWriter({ layout, maxLevels: 128, windowTicks: 2048 });
  const control = new SharedArrayBuffer(8);
  const ctl = new Int32Array(control);
  const worker = new Worker(fileURLToPath(new URL('./torn-reader.worker.js', import.meta.url)), {
    workerData: { book: writer.buffer, control, depth: N, maxMs: MAX_WRITE_MS + 3000, unlocked },
  });
  const done = new Promise<ReaderReport>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  // Wait (bounded) for the reader to start, without spinning the shared core.
  for (let i = 0; i < 200 && Atomics.load(ctl, 1) === 0; i++) await new Promise((r) => setTimeout(r, 10));

  const base = 1_000_000;
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  let prevBids: number[] = [];
  let prevAsks: number[] = [];
  const deep: number[] = [];
  let updates = 0;
  let b = 0;
  const t0 = performance.now();
  while (updates < MAX_UPDATES && performance.now() - t0 < MAX_WRITE_MS) {
    b++;
    const mid = base + rnd(60);
    const gap = 1 + (b % 3);
    const bids = Array.from({ length: N }, (_, k) => mid - 1 - k * gap);
    const asks = Array.from({ length: N }, (_, k) => mid + 1 + k * gap);
    writer.beginBatch();
    for (const p of prevBids) if (!bids.includes(p)) (writer.applyLevel(Side.BID, p, 0), updates++);
    for (const p of prevAsks) if (!asks.includes(p)) (writer.applyLevel(Side.ASK, p, 0), updates++);
    for (let k = 0; k < N; k++) {
      writer.applyLevel(Side.BID, bids[k]!, b * 100 + k);
      writer.applyLevel(Side.ASK, asks[k]!, b * 100 + k);
    }
    updates += 2 * N;
    const d = base - 200 - rnd(40);
    writer.applyLevel(Side.BID, d, b * 100 + 99);
    deep.push(d);
    if (deep.length > 20) writer.applyLevel(Side.BID, deep.shift()!, 0);
    updates += 2;
    writer.endBatch(b, b, true);
    prevBids = bids;
    prevAsks = asks;
    if ((b & 127) === 0) {
      // A short gap between messages, as a real feed has, so reads succeed all through the run.
      const until = performance.now() + 0.01;
      while (performance.now() < until);
    }
  }
  Atomics.store(ctl, 0, 1);
  const report = await done;
  await worker.terminate();
  return { report, updates, batches: b };
}

for (const layout of ['sorted', 'window'] as const) {
  test(`${layout}: a reader thread never sees a torn top-${N} while the writer applies millions of updates`, async (t) => {
    const { report, updates, batches } = await race(layout, false);
    t.diagnostic(`${updates} updates in ${batches} batches; reader: ${JSON.stringify(report)}`);
    assert.equal(report.violations, 0, `torn read: ${report.firstViolation}`);
    assert.ok(report.reads > 1000, `reader completed only ${report.reads} reads`);
    assert.ok(report.retries > 0, 'the reader never overlapped a batch');
    assert.ok(report.distinctVersions >= 2, `reader saw only ${report.distinctVersions} version(s)`);
    assert.ok(updates >= 200_000, `writer applied only ${updates} updates`);
  });
}

test('negative control: the same checks catch tearing when the seqlock is bypassed', async (t) => {
  const { report } = await race('sorted', true);
  t.diagnostic(`unlocked reader: ${JSON.stringify(report)}`);
  if (report.violations === 0) {
    // Only possible if the threads never ran at the same time (one free core at best).
    t.diagnostic('no overlap between writer and reader was observed on this machine');
  } else {
    assert.ok(report.firstViolation.length > 0);
  }
});
