import type { Instrument } from '../core/instruments/instrument.js';
import { BookError, BookErrorCode } from './errors.js';

export type BookLayoutName = 'sorted' | 'window';

/**
 * How one instrument's shared book is sized. Capacity is fixed at creation: the
 * SharedArrayBuffer never grows, and what does not fit is dropped and counted.
 */
export interface BookConfig {
  /**
   * 'window' (chosen by bench/book-apply: 2-2.5× the update rate of 'sorted') needs the
   * instrument's tick grid, so it is the default only when `tickMantissa` is given;
   * without it the default is 'sorted', which takes any price. Use
   * bookConfigForInstrument() to get this right from the instrument registry.
   */
  layout?: BookLayoutName;
  /**
   * sorted: most levels kept per side. When a side is full, a new level better than its
   * worst evicts the worst; a new level worse than all is not stored. Either way
   * `droppedFar` counts it. Binance snapshots carry up to 5000 (spot) / 1000 (USD-M).
   */
  maxLevels?: number;
  /**
   * window: width in ticks of the dense price window per side (power of two). Levels
   * farther than this from the best price are dropped (counted).
   */
  windowTicks?: number;
  /** window: the price increment as a mantissa (prices must be multiples of it). */
  tickMantissa?: number;
}

export interface ResolvedBookConfig {
  layout: BookLayoutName;
  maxLevels: number;
  windowTicks: number;
  tickMantissa: number;
}

export const DEFAULT_MAX_LEVELS = 5000;
/** 16384 ticks (128 KiB of quantities per side): ±$163 around the touch for BTCUSDT at 0.01. */
export const DEFAULT_WINDOW_TICKS = 16384;
/** Hard upper bound on per-side slots (keeps word indices far below 2^31). */
const MAX_SLOTS = 1 << 22;

export function resolveBookConfig(config: BookConfig = {}): ResolvedBookConfig {
  const layout = config.layout ?? (config.tickMantissa !== undefined ? 'window' : 'sorted');
  if (layout !== 'sorted' && layout !== 'window') {
    throw new BookError(BookErrorCode.CONFIG, `book layout ${JSON.stringify(layout)} is not 'sorted' or 'window'`);
  }
  const maxLevels = config.maxLevels ?? DEFAULT_MAX_LEVELS;
  if (!Number.isInteger(maxLevels) || maxLevels < 1 || maxLevels > MAX_SLOTS / 2) {
    throw new BookError(BookErrorCode.CONFIG, `book maxLevels ${maxLevels} must be an integer in 1..${MAX_SLOTS / 2}`);
  }
  const windowTicks = config.windowTicks ?? DEFAULT_WINDOW_TICKS;
  if (!Number.isInteger(windowTicks) || windowTicks < 32 || windowTicks > MAX_SLOTS || (windowTicks & (windowTicks - 1)) !== 0) {
    throw new BookError(BookErrorCode.CONFIG, `book windowTicks ${windowTicks} must be a power of two in 32..${MAX_SLOTS}`);
  }
  const tickMantissa = config.tickMantissa ?? 1;
  if (!Number.isSafeInteger(tickMantissa) || tickMantissa < 1) {
    throw new BookError(BookErrorCode.CONFIG, `book tickMantissa ${tickMantissa} must be a positive safe integer`);
  }
  return { layout, maxLevels, windowTicks, tickMantissa };
}

/**
 * The book config for an instrument: the window layout on the instrument's tick grid
 * (tickSize at priceScale). `windowTicks` should cover the depth strategies need; levels
 * beyond it are dropped and counted. A tick size change on the venue means the
 * instrument (and its book) must be reloaded, or off-grid prices are rejected.
 */
export function bookConfigForInstrument(instrument: Instrument, overrides: BookConfig = {}): ResolvedBookConfig {
  if (instrument.tickSize <= 0n || instrument.tickSize > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new BookError(BookErrorCode.CONFIG, `instrument ${instrument.venue}:${instrument.symbol} tickSize ${instrument.tickSize} is not a usable tick mantissa`);
  }
  return resolveBookConfig({ layout: 'window', tickMantissa: Number(instrument.tickSize), ...overrides });
}
