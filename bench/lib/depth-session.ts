/**
 * A recorded Binance spot depth session for benchmarks, made by the sim's own engine,
 * generator and publisher (the code that serves live market data): the REST snapshot
 * body of every symbol at one instant, then `count` diff frames that continue exactly
 * from it (raw or combined-stream form), and each book's final state. Any correct local
 * book fed the snapshots and the frames ends at `final`.
 */
import type { Instrument } from '../../src/core/instruments/instrument.js';
import { InstrumentRegistry } from '../../src/core/instruments/registry.js';
import { SimFaults } from '../../src/venues/sim/faults.js';
import { instrumentDefinition, SIM_CATALOG, type SimSymbolConfig } from '../../src/venues/sim/market/catalog.js';
import { MdConnection, type FrameSocket } from '../../src/venues/sim/market/connection.js';
import { binanceFormat } from '../../src/venues/sim/market/format.js';
import { MarketGenerator } from '../../src/venues/sim/market/generator.js';
import { MarketPublisher } from '../../src/venues/sim/market/publisher.js';
import { MatchingEngine } from '../../src/venues/sim/matching/engine.js';
import { levelsArray } from '../../src/venues/sim/server/market-routes.js';

export interface FinalBook {
  lastUpdateId: number;
  /** Mantissas, best first. */
  bids: [number, number][];
  asks: [number, number][];
}

export interface DepthSession {
  symbols: SimSymbolConfig[];
  instruments: Instrument[];
  /** Symbol → GET /api/v3/depth?limit=1000 body at the session start. */
  snapshots: Map<string, Buffer>;
  frames: Buffer[];
  final: Map<string, FinalBook>;
  meanFrameBytes: number;
}

export function catalogSymbols(names: readonly string[]): SimSymbolConfig[] {
  return names.map((n) => SIM_CATALOG[n]!);
}

export function generateDepthSession(options: { seed: number; symbols: readonly SimSymbolConfig[]; count: number; combined: boolean; warmupSteps?: number }): DepthSession {
  const registry = InstrumentRegistry.from(options.symbols.map((s) => instrumentDefinition(s, 'spot')));
  const instruments = registry.all();
  const engine = new MatchingEngine(instruments);
  let clockMs = 1_700_000_000_000;
  const clock = { nowMs: () => clockMs };
  const frames: Buffer[] = [];
  const capture: FrameSocket = {
    send: (f) => (frames.push(Buffer.from(f)), 1),
    cork: (cb) => cb(),
    getBufferedAmount: () => 0,
    end: () => {},
    close: () => {},
  };
  const format = binanceFormat('spot');
  const publisher = new MarketPublisher(engine, { mode: 'spot', format, clock, faults: new SimFaults(clock.nowMs), depthIntervals: { '': 0, '@100ms': 0 }, close: () => {} });
  const generator = new MarketGenerator(engine, { seed: options.seed, rate: 0, clock, symbols: options.symbols, afterSlice: () => publisher.flush() });
  generator.seedBooks();
  const conn = new MdConnection(1, capture, '/session', options.combined, clockMs);
  publisher.attach(conn);
  for (const s of options.symbols) publisher.subscribe(conn, publisher.parse(`${s.symbol.toLowerCase()}@depth`)!);
  // Let the books reach their steady shape before the recording starts.
  generator.step(options.warmupSteps ?? 2000);
  publisher.flush();
  frames.length = 0;
  const snapshots = new Map<string, Buffer>();
  for (const inst of instruments) {
    const book = engine.book(inst.symbol);
    const body = { lastUpdateId: book.lastUpdateId, bids: levelsArray(inst, format, book.bids.levels, 1000), asks: levelsArray(inst, format, book.asks.levels, 1000) };
    snapshots.set(inst.symbol, Buffer.from(JSON.stringify(body)));
  }
  for (let guard = 0; frames.length < options.count && guard < options.count * 10; guard++) {
    clockMs += 1;
    generator.step(8);
  }
  publisher.flush();
  publisher.stop();
  // Every frame is kept (the last step may overshoot `count`), so `final` is the engine's state after the last one.
  const final = new Map<string, FinalBook>();
  for (const inst of instruments) {
    const book = engine.book(inst.symbol);
    const side = (levels: readonly { price: number; total: number }[]): [number, number][] => {
      const out: [number, number][] = [];
      for (let i = levels.length - 1; i >= 0; i--) out.push([levels[i]!.price, levels[i]!.total]);
      return out;
    };
    final.set(inst.symbol, { lastUpdateId: book.lastUpdateId, bids: side(book.bids.levels), asks: side(book.asks.levels) });
  }
  const meanFrameBytes = frames.reduce((a, f) => a + f.length, 0) / Math.max(1, frames.length);
  return { symbols: [...options.symbols], instruments, snapshots, frames, final, meanFrameBytes };
}
