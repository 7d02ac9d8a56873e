/**
 * Proof that the ring hot path allocates nothing: 10M events through an SPSC ring and
 * through a broadcast ring (producer and two consumers interleaved in one thread), with
 * the JS heap measured in chunks and every GC counted. A control loop that allocates one
 * small object per event shows that the method sees allocation when there is some.
 *
 * Bytes per event = sum over chunks of the growth of the used heap / events, less what
 * the heap reads themselves allocate (a no-op run of the same chunks); a chunk in which
 * a GC ran shows a drop and adds nothing, so the GC count is reported next to it (a
 * young-generation scavenge comes every few MB of allocation: none over 10M events
 * means well under a byte per event).
 *
 * Exits non-zero when a ring path allocates more than ALLOC_LIMIT_BYTES per event or
 * sets off more than GC_LIMIT collections, or when the control does not show its
 * allocation (the measurement would be blind).
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { BroadcastRing, SpscRing, type RecordHandler } from '../src/core/ring/index.js';
import { isCiRun, markdownTable, writeResults, type BenchFigure } from './lib/results.js';

const ci = isCiRun();
const EVENTS = 10_000_000;
const CHUNK = 100_000;
const BATCH = 64;
const ALLOC_LIMIT_BYTES = 0.5;
/** A ring path allocating even 1 B/event would scavenge a dozen times over 10M events. */
const GC_LIMIT = 3;
const CONTROL_EVENTS = ci ? 1_000_000 : 3_000_000;
/**
 * Positions start below 2^32 so the measured run covers low words outside V8's
 * small-integer range (a long-running ring's normal state) and the 2^32 wrap.
 */
const START_POSITION = 2 ** 32 - 6_000_000;

const gcs = { minor: 0, major: 0, other: 0 };
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gcs.minor++;
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gcs.major++;
    else gcs.other++;
  }
});
observer.observe({ entryTypes: ['gc'] });

const gc = (globalThis as { gc?: () => void }).gc;
const heapUsed = (): number => process.memoryUsage().heapUsed;
/** Lets the observer deliver the GC entries queued during a synchronous loop. */
const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

interface Measured {
  events: number;
  bytesPerEvent: number;
  heapBefore: number;
  heapAfter: number;
  minorGcs: number;
  majorGcs: number;
  ms: number;
}

async function measure(events: number, step: (n: number) => void, chunk = CHUNK): Promise<Measured> {
  step(200_000); // warm up: compile the loop before counting
  gc?.();
  await flush();
  const g0 = { ...gcs };
  const heapBefore = heapUsed();
  let grown = 0;
  const t0 = performance.now();
  for (let done = 0; done < events; done += chunk) {
    const before = heapUsed();
    step(chunk);
    const after = heapUsed();
    if (after > before) grown += after - before;
  }
  const ms = performance.now() - t0;
  const heapAfter = heapUsed();
  await flush();
  return {
    events,
    bytesPerEvent: grown / events,
    heapBefore,
    heapAfter,
    minorGcs: gcs.minor - g0.minor,
    majorGcs: gcs.major + gcs.other - g0.major - g0.other,
    ms,
  };
}

function spscStep(): (n: number) => void {
  const ring = SpscRing.create({ capacity: 1024, initialPosition: START_POSITION });
  const p = ring.producer('spin');
  const c = ring.consumer('spin');
  const v = p.view;
  let seq = 0;
  let sum = 0;
  const handler: RecordHandler = (view, off) => {
    // XOR keeps the checksum a small integer: a `+=` that outgrew V8's small-integer
    // range would box a heap number per event in this closure and count against the ring.
    sum ^= view.getInt32(off + 16, true);
  };
  return (n) => {
    for (let done = 0; done < n; done += BATCH) {
      for (let i = 0; i < BATCH; i++) {
        const off = p.tryClaim();
        v.setInt32(off, seq, true);
        v.setInt32(off + 16, seq & 0xff, true);
        v.setInt32(off + 24, seq ^ 0x5a5a, true);
        seq++;
      }
      p.commit();
      c.poll(handler);
    }
    if (sum < 0) console.log(sum);
  };
}

function broadcastStep(): (n: number) => void {
  const ring = BroadcastRing.create({ capacity: 1024, consumers: 2, initialPosition: START_POSITION });
  const p = ring.producer();
  const a = ring.subscribe(0, 'spin');
  const b = ring.subscribe(1, 'spin');
  const v = p.view;
  let seq = 0;
  let sum = 0;
  const handler: RecordHandler = (view, off) => {
    // XOR keeps the checksum a small integer: a `+=` that outgrew V8's small-integer
    // range would box a heap number per event in this closure and count against the ring.
    sum ^= view.getInt32(off + 16, true);
  };
  return (n) => {
    for (let done = 0; done < n; done += BATCH) {
      p.reserve(BATCH);
      for (let i = 0; i < BATCH; i++) {
        const off = p.claim();
        v.setInt32(off, seq, true);
        v.setInt32(off + 16, seq & 0xff, true);
        seq++;
      }
      p.commit();
      a.poll(handler);
      if ((done & 127) === 0) b.poll(handler); // b drains every other batch
    }
    if (sum < 0) console.log(sum);
  };
}

/** What a transport that hands over an object per event costs (postMessage's receiving side does worse). */
function controlStep(): (n: number) => void {
  let keep: { seq: number; price: number } | null = null;
  let seq = 0;
  return (n) => {
    for (let i = 0; i < n; i++) keep = { seq: seq++, price: seq * 0.5 };
    if (keep !== null && keep.seq < 0) console.log(keep);
  };
}

if (gc === undefined) console.log('note: run with --expose-gc for a clean heap at the start of each measurement');
// What the chunked heap reads cost by themselves, subtracted from every figure.
const overhead = await measure(EVENTS, () => {});
const net = (m: Measured): Measured => ({ ...m, bytesPerEvent: Math.max(0, m.bytesPerEvent - overhead.bytesPerEvent) });
const spsc = net(await measure(EVENTS, spscStep()));
const broadcast = net(await measure(EVENTS, broadcastStep()));
// Small chunks, so that most of them fit between two scavenges and show their growth.
const control = net(await measure(CONTROL_EVENTS, controlStep(), 2_000));
observer.disconnect();

const figures: BenchFigure[] = [];
for (const [name, m] of [['SPSC', spsc], ['broadcast 1→2', broadcast], ['control: one object per event', control]] as const) {
  figures.push(
    { metric: `${name}: heap allocated per event`, unit: 'B/event', value: m.bytesPerEvent, baseline: null },
    { metric: `${name}: GCs during ${m.events / 1e6}M events`, unit: 'count', value: m.minorGcs + m.majorGcs, baseline: null },
    { metric: `${name}: heap used after - before`, unit: 'bytes', value: m.heapAfter - m.heapBefore, baseline: null },
  );
}
figures.push(
  { metric: 'SPSC single-thread events/s (claim+commit+poll)', unit: 'events/s', value: spsc.events / (spsc.ms / 1000), baseline: null },
  { metric: 'broadcast 1→2 single-thread events/s', unit: 'events/s', value: broadcast.events / (broadcast.ms / 1000), baseline: null },
);
console.log(markdownTable(writeResults('ring-alloc', figures)));
for (const [name, m] of [['measurement', overhead], ['spsc', spsc], ['broadcast', broadcast], ['control', control]] as const) {
  console.log(
    `${name}: ${m.events} events in ${m.ms.toFixed(0)} ms; heap ${m.heapBefore} -> ${m.heapAfter}; ` +
      `${m.bytesPerEvent.toFixed(4)} B/event; GCs minor ${m.minorGcs} major ${m.majorGcs}`,
  );
}

const failures: string[] = [];
for (const [name, m] of [['SPSC', spsc], ['broadcast', broadcast]] as const) {
  if (m.bytesPerEvent > ALLOC_LIMIT_BYTES) failures.push(`${name} allocates ${m.bytesPerEvent.toFixed(3)} B/event (limit ${ALLOC_LIMIT_BYTES})`);
  if (m.minorGcs + m.majorGcs > GC_LIMIT) failures.push(`${name}: ${m.minorGcs + m.majorGcs} GCs during ${m.events} events (limit ${GC_LIMIT})`);
}
if (control.bytesPerEvent < 8 && control.minorGcs === 0) failures.push('the control shows no allocation: the measurement is blind');
if (failures.length > 0) {
  console.error(`ring-alloc gate failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`ring-alloc: ring paths below ${ALLOC_LIMIT_BYTES} B/event and ${GC_LIMIT} GCs per ${EVENTS} events`);
