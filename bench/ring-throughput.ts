/**
 * One-to-one throughput, producer worker → main thread, 64-byte events, same run:
 *  - SPSC ring, batched publication (producer commits per 64, consumer publishes its
 *    cursor once per poll),
 *  - SPSC ring, per-event publication (commit and poll one event at a time),
 *  - broadcast ring with one consumer, batched,
 *  - worker postMessage of a small object (the baseline).
 * Both ring sides use the backoff strategy: under saturation it never sleeps, and on a
 * 2-core machine shared with other work it does not starve the other side.
 */
import { Worker } from 'node:worker_threads';
import { BroadcastRing, SpscRing, type RecordHandler } from '../src/core/ring/index.js';
import { isCiRun, markdownTable, writeResults, type BenchFigure } from './lib/results.js';
import type { ThroughputProducerConfig } from './workers/throughput-producer.js';

const ci = isCiRun();
const RING_EVENTS = ci ? 5_000_000 : 30_000_000;
const PER_EVENT_EVENTS = ci ? 1_000_000 : 5_000_000;
const PM_EVENTS = ci ? 300_000 : 1_500_000;
const RUNS = 3;
const PRODUCER = new URL('./workers/throughput-producer.js', import.meta.url);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function startProducer(cfg: ThroughputProducerConfig): { worker: Worker; done: Promise<void> } {
  const worker = new Worker(PRODUCER, { workerData: cfg });
  const done = new Promise<void>((resolve, reject) => {
    worker.on('message', (m) => m === 'done' && resolve());
    worker.once('error', reject);
  });
  return { worker, done };
}

async function ringRun(count: number, batch: number, pollLimit: number): Promise<number> {
  const ring = SpscRing.create({ capacity: 16384 });
  const control = new Int32Array(new SharedArrayBuffer(8));
  const { worker, done } = startProducer({ transport: 'ring', control: control.buffer as SharedArrayBuffer, ring: ring.buffer, count, batch });
  const c = ring.consumer('backoff');
  let received = 0;
  let sum = 0;
  const handler: RecordHandler = (v, off) => {
    sum ^= v.getInt32(off + 16, true);
    received++;
  };
  await new Promise((r) => setTimeout(r, 50));
  const t0 = performance.now();
  Atomics.store(control, 0, 1);
  Atomics.notify(control, 0);
  const deadline = t0 + 60_000;
  while (received < count) {
    c.idle(c.poll(handler, pollLimit));
    if (performance.now() > deadline) throw new Error(`ring: ${received} of ${count} after 60 s`);
  }
  const secs = (performance.now() - t0) / 1000;
  await done;
  await worker.terminate();
  if (sum < 0) console.log(sum);
  return count / secs;
}

async function broadcastRun(count: number): Promise<number> {
  const ring = BroadcastRing.create({ capacity: 16384, consumers: 1 });
  const control = new Int32Array(new SharedArrayBuffer(8));
  const c = ring.subscribe(0, 'backoff');
  const { worker, done } = startProducer({ transport: 'broadcast', control: control.buffer as SharedArrayBuffer, ring: ring.buffer, count, batch: 64 });
  let received = 0;
  let sum = 0;
  const handler: RecordHandler = (v, off) => {
    sum ^= v.getInt32(off + 16, true);
    received++;
  };
  await new Promise((r) => setTimeout(r, 50));
  const t0 = performance.now();
  Atomics.store(control, 0, 1);
  Atomics.notify(control, 0);
  const deadline = t0 + 60_000;
  while (received < count) {
    const n = c.poll(handler);
    if (n < 0) throw new Error(`broadcast poll returned ${n}`);
    c.idle(n);
    if (performance.now() > deadline) throw new Error(`broadcast: ${received} of ${count} after 60 s`);
  }
  const secs = (performance.now() - t0) / 1000;
  await done;
  await worker.terminate();
  if (sum < 0) console.log(sum);
  return count / secs;
}

async function postMessageRun(count: number): Promise<number> {
  const control = new Int32Array(new SharedArrayBuffer(8));
  const { worker } = startProducer({ transport: 'postMessage', control: control.buffer as SharedArrayBuffer, count, batch: 1 });
  let received = 0;
  let sum = 0;
  let t0 = 0;
  const finished = new Promise<number>((resolve) => {
    worker.on('message', (m: { price: number } | string) => {
      if (typeof m === 'string') return;
      sum ^= m.price;
      received++;
      if ((received & 1023) === 0) Atomics.store(control, 1, received);
      if (received === count) resolve(performance.now());
    });
  });
  await new Promise((r) => setTimeout(r, 50));
  t0 = performance.now();
  Atomics.store(control, 0, 1);
  Atomics.notify(control, 0);
  const t1 = await finished;
  await worker.terminate();
  if (sum < 0) console.log(sum);
  return count / ((t1 - t0) / 1000);
}

const batched: number[] = [];
const perEvent: number[] = [];
const broadcast: number[] = [];
const pm: number[] = [];
for (let r = 0; r < RUNS; r++) {
  pm.push(await postMessageRun(PM_EVENTS));
  batched.push(await ringRun(RING_EVENTS, 64, 16384));
  perEvent.push(await ringRun(PER_EVENT_EVENTS, 1, 1));
  broadcast.push(await broadcastRun(RING_EVENTS));
}

const pmRate = median(pm);
const base = { name: 'postMessage', value: pmRate };
const figures: BenchFigure[] = [
  { metric: 'SPSC ring throughput, batched publication', unit: 'events/s', value: median(batched), baseline: base },
  { metric: 'SPSC ring throughput, per-event publication', unit: 'events/s', value: median(perEvent), baseline: base },
  { metric: 'broadcast ring throughput, 1 consumer, batched', unit: 'events/s', value: median(broadcast), baseline: base },
  { metric: 'postMessage throughput', unit: 'events/s', value: pmRate, baseline: null },
];
console.log(markdownTable(writeResults('ring-throughput', figures)));
