/**
 * BinanceFeedClient: the market-data feed of one Binance market (spot or USD-M) on the io
 * thread. It plans the streams over several connections (connection-plan.ts), runs one
 * FeedSlot per planned connection and hands every raw frame to the owner's onFrame with
 * its receive stamp. It does not decode: the decoder parses frames, the book worker owns
 * sequencing and resyncs the books named by onStreamsInterrupted.
 *
 *   const feed = new BinanceFeedClient({ market: 'spot', symbols, streams: ['depth@100ms', 'trade'] }, {
 *     onFrame(frame, recvNs, conn) { decoder.push(frame, recvNs, conn.slot); },
 *     onStreamsInterrupted(streams) { books.invalidate(streams); },
 *     onSubscribed(conn, streams, resubscribed) { if (resubscribed) books.resync(streams); },
 *   });
 *   feed.start(); … await feed.stop();
 */
import { resolveFeedConfig, type BinanceFeedOptions, type FeedConfig } from './config.js';
import { planConnections, type PlannedConnection } from './connection-plan.js';
import type { ConnectionInfo } from './connection.js';
import { CONN_COUNTER_COUNT, type ConnCounterName, type ConnectionCounters } from './counters.js';
import { configError } from './errors.js';
import { seededRandom } from './backoff.js';
import { FeedSlot, type FeedHandler } from './feed-slot.js';
import { SlidingWindowLimit } from './sliding-window.js';
import { monotonicMs, monotonicNs } from './mono-clock.js';

export interface FeedDeps {
  /** Receive stamps, CLOCK_MONOTONIC ns. Default process.hrtime.bigint (the same clock as the addon's monotonicNs). */
  recvClock?: () => bigint;
  /** Monotonic ms for deadlines and backoff. */
  monoMs?: () => number;
  /** Jitter source; default seeded from backoff.seed when given, else Math.random. */
  random?: () => number;
  /** The connection-attempt budget; share one between feeds that use the same IP. */
  attempts?: SlidingWindowLimit;
  /** Float64Array of plan.length × CONN_COUNTER_COUNT words (e.g. over shared memory) to hold the counters. */
  counterBlock?: Float64Array;
}

let nextConnectionId = 1;

export class BinanceFeedClient {
  readonly config: FeedConfig;
  readonly plan: readonly PlannedConnection[];
  private readonly slots: FeedSlot[];
  private readonly slotByStream = new Map<string, number>();
  private started = false;
  private stopped = false;

  constructor(options: BinanceFeedOptions, handler: FeedHandler, deps: FeedDeps = {}) {
    this.config = resolveFeedConfig(options);
    if (typeof handler !== 'object' || handler === null || typeof handler.onFrame !== 'function') {
      throw configError('handler.onFrame', 'a function (frame, recvNs, conn) => void', handler === null ? null : typeof handler?.onFrame);
    }
    this.plan = planConnections(this.config);
    const cfg = this.config;
    const attempts = deps.attempts ?? new SlidingWindowLimit(cfg.connectAttempts.max, cfg.connectAttempts.windowMs);
    const block = deps.counterBlock;
    if (block !== undefined && block.length < this.plan.length * CONN_COUNTER_COUNT) {
      throw configError('counterBlock', `a Float64Array of at least ${this.plan.length * CONN_COUNTER_COUNT} words (${this.plan.length} connections)`, block.length);
    }
    this.slots = this.plan.map((p) => {
      const random = deps.random ?? (cfg.backoff.seed === undefined ? Math.random : seededRandom(cfg.backoff.seed + p.slot));
      const env = {
        cfg,
        handler,
        attempts,
        recvClock: deps.recvClock ?? monotonicNs,
        monoMs: deps.monoMs ?? monotonicMs,
        random,
        nextConnectionId: () => nextConnectionId++,
      };
      const words = block?.subarray(p.slot * CONN_COUNTER_COUNT, (p.slot + 1) * CONN_COUNTER_COUNT);
      return new FeedSlot(p, env, words);
    });
    for (const p of this.plan) for (const s of p.streams) this.slotByStream.set(s, p.slot);
  }

  start(): void {
    if (this.stopped) throw new Error('a stopped BinanceFeedClient cannot be restarted; create a new one');
    if (this.started) return;
    this.started = true;
    for (const s of this.slots) s.start();
  }

  /** Closes every socket and cancels every timer; resolves when the sockets are closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.slots.map((s) => s.stop()));
  }

  /** The socket currently carrying each slot's streams (null while reconnecting). */
  connections(): (ConnectionInfo | null)[] {
    return this.slots.map((s) => s.connection);
  }

  /** Slots whose streams are subscribed and flowing. */
  liveCount(): number {
    let n = 0;
    for (const s of this.slots) if (s.isLive) n++;
    return n;
  }

  slotOf(stream: string): number | undefined {
    return this.slotByStream.get(stream);
  }

  counters(slot: number): ConnectionCounters {
    const s = this.slots[slot];
    if (!s) throw new RangeError(`no feed slot ${slot}; the plan has ${this.slots.length}`);
    return s.counters;
  }

  /** Sums of every slot's counters (last-frame and live-since: the latest). */
  totals(): Record<ConnCounterName, number> {
    const out = {} as Record<ConnCounterName, number>;
    for (const s of this.slots) {
      for (const [k, v] of Object.entries(s.counters.snapshot()) as [ConnCounterName, number][]) {
        out[k] = k === 'lastFrameMonoMs' || k === 'liveSinceMonoMs' ? Math.max(out[k] ?? 0, v) : (out[k] ?? 0) + v;
      }
    }
    return out;
  }
}
