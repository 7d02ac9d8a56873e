/**
 * Second thread of book-concurrency.test.ts: reads the top N of a shared book as fast as
 * it can until told to stop, and checks every copy against the invariant the writer
 * keeps per batch (see the test). `unlocked` copies without the seqlock (negative control).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SharedBookReader } from '../../src/book/shared-book-reader.js';
import { BookLevels } from '../../src/book/book-levels.js';
import { TWO32 } from '../../src/book/int64-words.js';
import { W_ASK_META, W_BID_META, META_COUNT, META_START, W_LAST_UPDATE_ID, sideRegions, LayoutKind } from '../../src/book/book-descriptor.js';

interface Job {
  book: SharedArrayBuffer;
  control: SharedArrayBuffer;
  depth: number;
  maxMs: number;
  unlocked: boolean;
}

const job = workerData as Job;
const control = new Int32Array(job.control);
const reader = new SharedBookReader(job.book, 64);
const view = new BookLevels(job.depth);
const n = job.depth;
let reads = 0;
let busy = 0;
let violations = 0;
let firstViolation = '';
const versions = new Set<number>();

function check(): void {
  const id = view.lastUpdateId;
  if (id === 0) return;
  let bad = '';
  if (!view.valid) bad = 'invalid';
  else if (view.bidCount !== n || view.askCount !== n) bad = `counts ${view.bidCount}/${view.askCount}`;
  else if (view.bidPrice(0) >= view.askPrice(0)) bad = `crossed ${view.bidPrice(0)} >= ${view.askPrice(0)}`;
  else {
    for (let i = 0; i < n && bad === ''; i++) {
      if (view.bidQty(i) !== id * 100 + i) bad = `bid ${i} qty ${view.bidQty(i)} in batch ${id}`;
      else if (view.askQty(i) !== id * 100 + i) bad = `ask ${i} qty ${view.askQty(i)} in batch ${id}`;
      else if (i > 0 && !(view.bidPrice(i) < view.bidPrice(i - 1) && view.askPrice(i) > view.askPrice(i - 1))) bad = `unsorted at ${i}`;
    }
  }
  if (bad !== '') {
    violations++;
    if (firstViolation === '') firstViolation = bad;
  }
}

/** Plain copy of the sorted layout with no version check: what a reader without the seqlock would see. */
const words = new Uint32Array(job.book);
const regions = sideRegions(LayoutKind.SORTED, reader.capacity * 2);
function copyUnlocked(): void {
  for (const [meta, region, out, isBid] of [
    [W_BID_META, regions.bidRegion, view.bidWords, true],
    [W_ASK_META, regions.askRegion, view.askWords, false],
  ] as const) {
    const count = words[meta + META_COUNT]!;
    const start = words[meta + META_START]!;
    const m = Math.min(n, count);
    for (let j = 0; j < m; j++) {
      const src = region + (start + count - 1 - j) * 4;
      for (let k = 0; k < 4; k++) out[j * 4 + k] = words[src + k]!;
    }
    if (isBid) view.bidCount = m;
    else view.askCount = m;
  }
  view.valid = true;
  view.lastUpdateId = words[W_LAST_UPDATE_ID]! + words[W_LAST_UPDATE_ID + 1]! * TWO32;
}

Atomics.store(control, 1, 1);
const deadline = performance.now() + job.maxMs;
while (Atomics.load(control, 0) === 0 && performance.now() < deadline) {
  for (let k = 0; k < 64; k++) {
    if (job.unlocked) {
      copyUnlocked();
    } else if (!reader.readTop(n, view)) {
      busy++;
      continue;
    }
    reads++;
    if (versions.size < 100_000) versions.add(view.version);
    check();
  }
}
parentPort!.postMessage({ reads, busy, violations, firstViolation, retries: reader.retries, distinctVersions: versions.size });
