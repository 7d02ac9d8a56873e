/**
 * A strategy context as the worker host builds it: a real SPSC intent ring (read back by
 * a real consumer, as the oms will), shared books from SharedBookWriter, an in-memory log.
 */
import { SharedBookReader } from '../../src/book/shared-book-reader.js';
import { SharedBookWriter } from '../../src/book/shared-book-writer.js';
import { Side } from '../../src/book/side.js';
import { InstrumentRegistry } from '../../src/core/instruments/registry.js';
import { createLogger } from '../../src/core/log/index.js';
import { SpscRing } from '../../src/core/ring/spsc-ring.js';
import { EventBuffer } from '../../src/core/schema/event-buffer.js';
import { readRecord, type RecordValues } from '../../src/core/schema/record-io.js';
import type { Clock, RunMode } from '../../src/strategy/sdk/context.js';
import { RingStrategyContext } from '../../src/strategy/sdk/ring-context.js';

export const VENUE = 'sim';
export const INSTRUMENTS = InstrumentRegistry.from([
  { venue: VENUE, symbol: 'BTCUSDT', venueSymbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001' },
  { venue: VENUE, symbol: 'ETHUSDT', venueSymbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001' },
  { venue: 'other', symbol: 'SOLUSDT', venueSymbol: 'SOLUSDT', base: 'SOL', quote: 'USDT', tickSize: '0.001', stepSize: '0.01' },
]);
export const BTC = INSTRUMENTS.bySymbol(VENUE, 'BTCUSDT')!;
export const ETH = INSTRUMENTS.bySymbol(VENUE, 'ETHUSDT')!;

export interface Harness<P> {
  ctx: RingStrategyContext<P>;
  ring: SpscRing;
  btcBook: SharedBookWriter;
  logLines: string[];
  /** Every intent published so far, read by a real consumer. */
  drain(): RecordValues[];
}

export function harness<P = Record<string, never>>(opts: { params?: P; clock?: Clock; capacity?: number; mode?: RunMode; firstIntentId?: number; ringTimeoutMs?: number } = {}): Harness<P> {
  const ring = SpscRing.create({ capacity: opts.capacity ?? 64 });
  const consumer = SpscRing.attach(ring.buffer).consumer('backoff');
  const view = new EventBuffer(ring.buffer);
  const btcBook = new SharedBookWriter({ maxLevels: 32 });
  const books = new Map([[BTC.id, new SharedBookReader(btcBook.buffer)]]);
  const logLines: string[] = [];
  const ctx = new RingStrategyContext<P>({
    strategy: 'mm',
    strategyId: 7,
    mode: opts.mode ?? 'paper',
    params: (opts.params ?? {}) as P,
    venue: VENUE,
    instruments: INSTRUMENTS,
    intentRing: ring,
    books: (inst) => books.get(inst.id),
    log: createLogger({ name: 'strategy-test', destination: { write: (l: string) => void logLines.push(l) } }),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.firstIntentId ? { firstIntentId: opts.firstIntentId } : {}),
    ...(opts.ringTimeoutMs ? { ringTimeoutMs: opts.ringTimeoutMs } : {}),
  });
  return {
    ctx,
    ring,
    btcBook,
    logLines,
    drain() {
      const out: RecordValues[] = [];
      consumer.poll((_v, at) => out.push(readRecord(view, at, 'OrderIntent')));
      return out;
    },
  };
}

/** Sets the BTCUSDT book: bids/asks as [price, qty] mantissas. */
export function setBook(w: SharedBookWriter, bids: [number, number][], asks: [number, number][], id = 1): void {
  w.beginBatch();
  w.clearBook();
  for (const [p, q] of bids) w.applyLevel(Side.BID, p, q);
  for (const [p, q] of asks) w.applyLevel(Side.ASK, p, q);
  w.endBatch(id, 1_700_000_000_000 + id, true);
}
