/**
 * replayBook: runs a recorded Binance REST snapshot and diff stream through the same
 * sync state machine and shared book the engine uses, and reports the resulting book.
 * `veloz book replay` wraps it. The snapshot is handed over the first time the sync asks
 * for one (as a REST reply would arrive after the first buffered diff); later requests
 * (after a gap, or because the snapshot is too old) cannot be served from a recording
 * and are reported, leaving the book invalid.
 */
import { formatDecimal, parseDecimal } from '../../core/fixed/decimal.js';
import { DecimalError } from '../../core/fixed/errors.js';
import { BookLevels } from '../book-levels.js';
import type { BookConfig } from '../book-config.js';
import { BookError, BookErrorCode } from '../errors.js';
import { MAX_U53 } from '../int64-words.js';
import { SharedBookReader } from '../shared-book-reader.js';
import { SharedBookWriter } from '../shared-book-writer.js';
import { Side } from '../side.js';
import { BinanceBookSync } from '../sync/binance-book-sync.js';
import { SnapshotReasonName, SyncStateName, type BookSyncCounters, type SnapshotReason } from '../sync/sync-types.js';
import { parseDepthDiff, parseDepthSnapshot, writtenScale, type DepthDiffJson, type RawLevel } from './binance-depth-json.js';

export type ReplayVenue = 'binance' | 'binance-usdm';

export interface ReplayBookInput {
  venue: ReplayVenue;
  /** Body of GET /api/v3/depth (spot) or /fapi/v1/depth (USD-M). */
  snapshot: string;
  /** Diff messages as received, raw or combined-stream form. */
  messages: readonly string[];
  /** Book sizing; maxLevels defaults to max(5000, snapshot side size). */
  book?: BookConfig;
}

export interface ReplayGap {
  /** Index in `messages` of the diff that revealed the gap. */
  messageIndex: number;
  expected: number;
  received: number;
}

export interface ReplayBookResult {
  symbol: string | null;
  lastUpdateId: number;
  valid: boolean;
  state: string;
  gaps: ReplayGap[];
  /** Every snapshot request, in order, by reason; only the first is served. */
  snapshotRequests: string[];
  priceScale: number;
  qtyScale: number;
  counters: BookSyncCounters & { skippedMessages: number; droppedFarLevels: number };
  bids: RawLevel[];
  asks: RawLevel[];
}

function toMantissa(text: string, scale: number, where: string): number {
  let m: bigint;
  try {
    m = parseDecimal(text, scale);
  } catch (e) {
    if (e instanceof DecimalError) throw new BookError(BookErrorCode.REPLAY_VALUE, `${where}: ${e.message}`, { cause: e });
    throw e;
  }
  if (m > BigInt(MAX_U53)) throw new BookError(BookErrorCode.REPLAY_VALUE, `${where}: ${text} at scale ${scale} does not fit 53 bits`);
  return Number(m);
}

export function replayBook(input: ReplayBookInput): ReplayBookResult {
  if (input.venue !== 'binance' && input.venue !== 'binance-usdm') {
    throw new BookError(BookErrorCode.REPLAY_INPUT, `venue ${JSON.stringify(input.venue)} is not 'binance' or 'binance-usdm'`);
  }
  if (!Array.isArray(input.messages)) throw new BookError(BookErrorCode.REPLAY_INPUT, 'messages must be an array of JSON texts');
  const snapshot = parseDepthSnapshot(input.snapshot);
  const diffs: Array<DepthDiffJson | null> = input.messages.map((m, i) => parseDepthDiff(m, `message ${i}`));

  let symbol: string | null = null;
  let priceScale = 0;
  let qtyScale = 0;
  const scan = (ls: RawLevel[]): void => {
    for (const [p, q] of ls) {
      priceScale = Math.max(priceScale, writtenScale(p));
      qtyScale = Math.max(qtyScale, writtenScale(q));
    }
  };
  scan(snapshot.bids);
  scan(snapshot.asks);
  diffs.forEach((d, i) => {
    if (d === null) return;
    if (symbol !== null && d.symbol !== symbol) {
      throw new BookError(BookErrorCode.REPLAY_INPUT, `message ${i}: symbol ${d.symbol} differs from ${symbol} in earlier messages`);
    }
    symbol = d.symbol;
    scan(d.bids);
    scan(d.asks);
  });

  const maxLevels = Math.max(5000, snapshot.bids.length, snapshot.asks.length);
  const writer = new SharedBookWriter({ maxLevels, ...input.book });
  const gaps: ReplayGap[] = [];
  const requests: string[] = [];
  let current = -1;
  let wantSnapshot = false;
  const sync = new BinanceBookSync(
    writer,
    {
      requestSnapshot(reason: SnapshotReason) {
        requests.push(SnapshotReasonName[reason]);
        if (requests.length === 1) wantSnapshot = true;
      },
      gap(expected, received) {
        gaps.push({ messageIndex: current, expected, received });
      },
      dropStale() {},
    },
    { market: input.venue === 'binance' ? 'spot' : 'usdm', maxBufferedMessages: Math.max(2048, diffs.length + 1), maxBufferedLevels: 1 << 20 },
  );

  // Values are parsed before the sync sees the message, so a bad number is an error
  // about the input rather than a half-applied diff.
  const deliverSnapshot = (): void => {
    wantSnapshot = false;
    const bids = snapshot.bids.map(([p, q], k) => [toMantissa(p, priceScale, `snapshot bids[${k}] price`), toMantissa(q, qtyScale, `snapshot bids[${k}] qty`)] as const);
    const asks = snapshot.asks.map(([p, q], k) => [toMantissa(p, priceScale, `snapshot asks[${k}] price`), toMantissa(q, qtyScale, `snapshot asks[${k}] qty`)] as const);
    if (!sync.beginSnapshot(snapshot.lastUpdateId, snapshot.time)) return;
    for (const [p, q] of bids) sync.snapshotLevel(Side.BID, p, q);
    for (const [p, q] of asks) sync.snapshotLevel(Side.ASK, p, q);
    sync.endSnapshot();
  };

  let skipped = 0;
  let delivered = false;
  diffs.forEach((d, i) => {
    current = i;
    if (d === null) {
      skipped++;
      return;
    }
    const bids = d.bids.map(([p, q], k) => [toMantissa(p, priceScale, `message ${i} b[${k}] price`), toMantissa(q, qtyScale, `message ${i} b[${k}] qty`)] as const);
    const asks = d.asks.map(([p, q], k) => [toMantissa(p, priceScale, `message ${i} a[${k}] price`), toMantissa(q, qtyScale, `message ${i} a[${k}] qty`)] as const);
    sync.beginDiff(d.firstUpdateId, d.finalUpdateId, d.prevFinalUpdateId, d.time);
    for (const [p, q] of bids) sync.level(Side.BID, p, q);
    for (const [p, q] of asks) sync.level(Side.ASK, p, q);
    sync.endDiff();
    if (wantSnapshot && !delivered) {
      delivered = true;
      deliverSnapshot();
    }
  });
  if (!delivered) {
    // No diff ever asked (no diffs at all): show the snapshot, not yet bridged, so not valid.
    delivered = true;
    deliverSnapshot();
  }

  const reader = new SharedBookReader(writer.buffer);
  const view = new BookLevels(writer.geometry.capacity);
  if (!reader.readFull(view)) throw new Error('replayBook: the book was busy with no writer running (bug)');
  const fmt = (m: number, scale: number): string => formatDecimal(BigInt(m), scale, scale);
  const bids: RawLevel[] = [];
  const asks: RawLevel[] = [];
  for (let k = 0; k < view.bidCount; k++) bids.push([fmt(view.bidPrice(k), priceScale), fmt(view.bidQty(k), qtyScale)]);
  for (let k = 0; k < view.askCount; k++) asks.push([fmt(view.askPrice(k), priceScale), fmt(view.askQty(k), qtyScale)]);
  return {
    symbol,
    lastUpdateId: view.lastUpdateId,
    valid: view.valid,
    state: SyncStateName[sync.state],
    gaps,
    snapshotRequests: requests,
    priceScale,
    qtyScale,
    counters: { ...sync.counters(), skippedMessages: skipped, droppedFarLevels: writer.droppedFar },
    bids,
    asks,
  };
}
