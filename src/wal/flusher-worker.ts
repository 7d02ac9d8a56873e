/**
 * The flusher thread: group commit off the oms thread.
 *
 * Duty cycle: park until records are published (the writer wakes it only when it is
 * parked, one notify per park); then, for the bounded delay, let more records gather
 * unless the size bound is already reached; then one batch = write + fdatasync +
 * publish durable. While a batch is being synced the writer keeps appending into the
 * ring, so under load batches grow by themselves and the delay never applies.
 * Every wait has a timeout, so a lost wake-up costs at most IDLE_WAIT_MS.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { AppendRing, Ctl, FlusherState } from './append-ring.js';
import { DurablePosition } from './durable-position.js';
import { FlushAgent } from './flush-agent.js';
import type { FlusherFailure, FlusherMessage, FlusherWorkerData } from './flusher-protocol.js';
import { SegmentAppender } from './segment-appender.js';
import { WalStats } from './wal-stats.js';
import { WalError } from './errors.js';

const IDLE_WAIT_MS = 250;

const data = workerData as FlusherWorkerData;
if (parentPort === null || data === null || typeof data !== 'object') {
  throw new Error('flusher-worker.js runs only as the WAL flusher thread');
}
const port = parentPort;
const post = (m: FlusherMessage): void => port.postMessage(m);

const ring = new AppendRing(data.ringSab);
const ctl = ring.ctl;
const durable = DurablePosition.attach(data.durableSab);
const stats = new WalStats(data.statsSab);
const delayMs = data.maxDelayUs / 1000;
const maxBatch = data.maxBatchBytes;

function stopRequested(): boolean {
  return Atomics.load(ctl, Ctl.STOP) !== 0;
}

function hurried(): boolean {
  return Atomics.load(ctl, Ctl.STOP) !== 0 || Atomics.load(ctl, Ctl.FLUSH_NOW) !== 0;
}

/** Parks in `state` for up to `timeoutMs` unless `stillIdle()` turns false first. */
function park(state: number, timeoutMs: number, stillIdle: () => boolean): void {
  const nudges = Atomics.load(ctl, Ctl.NUDGE);
  Atomics.store(ctl, Ctl.STATE, state);
  // Re-checked after publishing the state: either the writer sees us parked and nudges,
  // or we see its commit here (both sides use sequentially consistent atomics).
  if (stillIdle()) Atomics.wait(ctl, Ctl.NUDGE, nudges, timeoutMs);
  Atomics.store(ctl, Ctl.STATE, FlusherState.RUNNING);
}

let appender: SegmentAppender | null = null;
try {
  appender = new SegmentAppender(data.dir, data.segment, data.syncing, stats);
  const agent = new FlushAgent(ring, appender, durable, stats, maxBatch);
  post({ kind: 'ready' });
  let posted = durable.seq;
  for (;;) {
    if (agent.available() === 0) {
      if (stopRequested()) break;
      park(FlusherState.PARKED_IDLE, IDLE_WAIT_MS, () => agent.available() === 0 && !stopRequested());
      continue;
    }
    if (delayMs > 0 && agent.available() < maxBatch && !hurried()) {
      const deadline = performance.now() + delayMs;
      for (;;) {
        const left = deadline - performance.now();
        if (left <= 0 || agent.available() >= maxBatch || hurried()) break;
        park(FlusherState.PARKED_DELAY, left, () => agent.available() < maxBatch && !hurried());
      }
    }
    // Cleared before draining: everything committed before a flush() request is taken now.
    Atomics.store(ctl, Ctl.FLUSH_NOW, 0);
    agent.drainBatch();
    if (Atomics.load(ctl, Ctl.WANT_DURABLE) !== 0) {
      const seq = durable.seq;
      if (seq !== posted) {
        posted = seq;
        post({ kind: 'durable', seq });
      }
    }
  }
  appender.close();
  post({ kind: 'closed', durableSeq: durable.seq });
} catch (err) {
  appender?.abandon();
  const e = err as Error & { code?: string };
  const failure: FlusherFailure = {
    code: typeof e.code === 'string' && e.code.startsWith('WAL_') ? e.code : 'WAL_IO',
    message: e.message ?? String(err),
    file: err instanceof WalError ? err.file : undefined,
  };
  // Details first, then the flag: a writer that sees ERROR finds them on the port.
  data.errorPort.postMessage(failure);
  Atomics.store(ctl, Ctl.ERROR, 1);
  Atomics.notify(ctl, Ctl.READ_POS);
  post({ kind: 'error', ...failure });
}
