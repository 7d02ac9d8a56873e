/**
 * The strategy worker's per-event path: BOOK_CHANGED and TRADE records through an SPSC
 * ring into StrategyDriver, which decodes them into the reused event views and calls the
 * handlers. Three strategies:
 *
 *   noop       handlers that return at once: the driver's own cost
 *   readInto   onBook copies the top 5 levels of the shared book into its own
 *              BookLevels and compares prices as numbers: the allocation-free way to
 *              read a book (onTrade reads aggressor)
 *   bigint     onBook reads ev.bidPrice / ev.askPrice: a bigint each, the control that
 *              shows the measurement sees allocation when there is some
 *
 * Reports ns per event (best of 3 runs; baseline: the same ring traffic handed to an
 * empty function) and bytes allocated per event (slope of heap growth, lib/alloc).
 * Exits non-zero when noop or readInto allocate more than ALLOC_LIMIT_BYTES per event or
 * set off a GC inside the measurement, or when the control shows no allocation (neither
 * bytes nor GCs: the measurement would be blind). A loop that allocates a lot is
 * undercounted in bytes (its GCs free memory mid-run), hence the GC count.
 *
 *   node --expose-gc dist/bench/strategy-dispatch.js [--ci]
 */
import { BookLevels } from '../src/book/book-levels.js';
import { SharedBookReader } from '../src/book/shared-book-reader.js';
import { SharedBookWriter } from '../src/book/shared-book-writer.js';
import { Side } from '../src/book/side.js';
import { InstrumentRegistry } from '../src/core/instruments/registry.js';
import { createLogger } from '../src/core/log/index.js';
import { SpscRing } from '../src/core/ring/spsc-ring.js';
import { BookFlag, EventType, MdFlag, Source } from '../src/core/schema/constants.js';
import { EventBuffer } from '../src/core/schema/event-buffer.js';
import { writeRecord } from '../src/core/schema/record-io.js';
import { defineStrategy, RingStrategyContext, StrategyDriver, type AnyStrategy } from '../src/strategy/sdk/index.js';
import { allocationPerOp, stopAllocationObserver } from './lib/alloc.js';
import { isCiRun, markdownTable, writeResults, type BenchFigure } from './lib/results.js';

const ci = isCiRun();
const EVENTS = ci ? 1_000_000 : 10_000_000;
const ALLOC_EVENTS = 100_000;
const BATCH = 64;
const ALLOC_LIMIT_BYTES = 0.5;
const CONTROL_MIN_BYTES = 8;

if (!(globalThis as { gc?: unknown }).gc) {
  console.error('run with --expose-gc');
  process.exit(2);
}

const instruments = InstrumentRegistry.from([
  { venue: 'sim', symbol: 'BTCUSDT', venueSymbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001' },
]);
const BTC = instruments.bySymbol('sim', 'BTCUSDT')!;
const book = new SharedBookWriter({ maxLevels: 64 });
book.beginBatch();
for (let i = 0; i < 20; i++) {
  book.applyLevel(Side.BID, 6_500_000 - i, 10_000 + i);
  book.applyLevel(Side.ASK, 6_500_001 + i, 10_000 + i);
}
book.endBatch(1, 1_700_000_000_000, true);
const reader = new SharedBookReader(book.buffer);

/** Two record templates the producer copies into the ring: a book change and a trade. */
const templates = new EventBuffer(new ArrayBuffer(128));
writeRecord(templates, 0, 'BookChanged', {
  type: EventType.BOOK_CHANGED,
  source: Source.VENUE_STREAM,
  flags: BookFlag.VALID | BookFlag.TOP_CHANGED,
  instrument: BTC.id,
  bookVersion: 2n,
  seq: 99n,
  exchTimeNs: 1_700_000_000_000_000_000n,
  recvTimeNs: 123_456_789_000n,
  publishTimeNs: 123_456_790_000n,
  bidPrice: 6_500_000n,
  askPrice: 6_500_001n,
});
writeRecord(templates, 64, 'MdTrade', {
  type: EventType.TRADE,
  source: Source.VENUE_STREAM,
  flags: MdFlag.BUY,
  instrument: BTC.id,
  seq: 100n,
  exchTimeNs: 1_700_000_000_000_000_000n,
  recvTimeNs: 123_456_789_500n,
  price: 6_500_001n,
  qty: 5_000n,
  tradeId: 77n,
});

let sink = 0;
let lastBid: bigint | null = null;
let lastAsk: bigint | null = null;
const levels = new BookLevels(5);

/** Marks the baseline run: the same ring traffic, records handed to an empty function. */
const RING_ONLY = defineStrategy({ name: 'ring-only' });

const STRATEGIES: Record<string, AnyStrategy> = {
  ringOnly: RING_ONLY,
  noop: defineStrategy({ name: 'noop', onBook() {}, onTrade() {} }),
  readInto: defineStrategy({
    name: 'read-into',
    onBook(_ctx, ev) {
      if (ev.book.readInto(levels, 5) && levels.bidCount > 0 && levels.bidPrice(0) < levels.askPrice(0)) sink++;
    },
    onTrade(_ctx, ev) {
      if (ev.aggressor === 'buy') sink++;
    },
  }),
  bigint: defineStrategy({
    name: 'bigint',
    onBook(_ctx, ev) {
      // Kept, so V8 must materialise the bigints (a bigint only compared may stay unboxed).
      lastBid = ev.bidPrice;
      lastAsk = ev.askPrice;
    },
    onTrade() {},
  }),
};

function rig(strategy: AnyStrategy) {
  const intents = SpscRing.create({ capacity: 64 });
  const ctx = new RingStrategyContext({
    strategy: strategy.name,
    strategyId: 1,
    mode: 'paper',
    params: {},
    venue: 'sim',
    instruments,
    intentRing: intents,
    books: () => reader,
    log: createLogger({ name: 'bench', destination: { write: () => {} } }),
  });
  const driver = new StrategyDriver(strategy, ctx, instruments);
  const events = SpscRing.create({ capacity: 1024 });
  const producer = events.producer('backoff');
  const consumer = SpscRing.attach(events.buffer).consumer('backoff');
  const ringBuf = new EventBuffer(events.buffer);
  const onRecord = strategy === RING_ONLY ? (): void => {} : driver.onRecord;
  /** n events: claim + copy a template + commit per batch, then one poll per batch. */
  function run(n: number): void {
    for (let i = 0; i < n; ) {
      const end = Math.min(n, i + BATCH);
      for (; i < end; i++) {
        const at = producer.tryClaim();
        templates.copySlot((i & 1) << 6, at, 64, ringBuf);
      }
      producer.commit();
      consumer.poll(onRecord);
    }
  }
  return { driver, run };
}

const figures: BenchFigure[] = [];
const summary: Record<string, { nsPerEvent: number; bytes: number; gcs: number }> = {};
for (const [name, strategy] of Object.entries(STRATEGIES)) {
  const { driver, run } = rig(strategy);
  await driver.start();
  run(200_000); // warm up (optimise)
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = process.hrtime.bigint();
    run(EVENTS);
    const ns = Number(process.hrtime.bigint() - t0) / EVENTS;
    if (ns < best) best = ns;
  }
  const alloc = await allocationPerOp(run, ALLOC_EVENTS);
  summary[name] = { nsPerEvent: best, bytes: alloc.bytes, gcs: alloc.gcs };
  const stats = driver.stats();
  if (strategy !== RING_ONLY && (stats.handlerErrors !== 0 || stats.books === 0)) throw new Error(`${name}: driver stats ${JSON.stringify(stats)}`);
  const ringNs = summary['ringOnly']?.nsPerEvent;
  figures.push({
    metric: `ns/event [${name}]`,
    unit: 'ns',
    value: best,
    baseline: ringNs === undefined ? null : { name: 'ring only, no driver', value: ringNs },
  });
  figures.push({ metric: `allocated bytes/event [${name}]`, unit: 'B', value: alloc.bytes, baseline: null });
  figures.push({ metric: `GCs while measuring allocation [${name}]`, unit: 'count', value: alloc.gcs, baseline: null });
}
stopAllocationObserver();

const entries = writeResults('strategy-dispatch', figures);
console.log(markdownTable(entries));
console.log(`(gcs inside the allocation windows: ${Object.entries(summary).map(([k, v]) => `${k} ${v.gcs}`).join(', ')}; sink ${sink > 0 && lastBid !== lastAsk ? 'ok' : 0})`);

let failed = false;
for (const name of ['noop', 'readInto']) {
  if (summary[name]!.bytes > ALLOC_LIMIT_BYTES || summary[name]!.gcs > 0) {
    console.error(`FAIL: ${name} allocates ${summary[name]!.bytes.toFixed(2)} B/event with ${summary[name]!.gcs} GCs (limit ${ALLOC_LIMIT_BYTES} B, 0 GCs)`);
    failed = true;
  }
}
if (summary['bigint']!.bytes < CONTROL_MIN_BYTES && summary['bigint']!.gcs === 0) {
  console.error(`FAIL: the bigint control shows ${summary['bigint']!.bytes.toFixed(2)} B/event and no GC: the measurement does not see allocation`);
  failed = true;
}
if (failed) process.exitCode = 1;
