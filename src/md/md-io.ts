/**
 * MarketDataIo: the io-thread half of the market-data pipeline of one venue.
 *
 *   venue frames ──decode──► md ring ──► book worker
 *   lost connection ──BOOK_CLEAR marker per book──► md ring
 *   md control ring ◄── snapshot requests ── book worker
 *        └─► venue.fetchSnapshot ──decode──► md ring   (retried with backoff on failure)
 *
 * Decode errors are counted by code and the frame is dropped: a lost depth message is a
 * gap the book's sync detects. A snapshot request while a fetch for the same book is in
 * flight is absorbed by it (the sync checks whatever arrives against its buffered diffs
 * and asks again if it is too old).
 */
import type { Counter, SharedCounter } from '../core/metrics/handles.js';
import type { MetricsRegistry } from '../core/metrics/registry.js';
import type { BroadcastRing } from '../core/ring/broadcast-ring.js';
import type { SpscRing } from '../core/ring/spsc-ring.js';
import type { WaitOptions, WaitStrategyName } from '../core/ring/wait-strategy.js';
import { ClearReason, EventType } from '../core/schema/constants.js';
import { MD_DECODE_ERROR_CODES, MD_DROP_REASONS, MdMetric } from './metrics.js';
import { MdRingWriter, MdWrite } from './md-ring-writer.js';
import type { MdVenue, MdVenueSink } from './md-venue.js';
import { SnapshotRequestReader } from './snapshot-requests.js';

export interface MarketDataIoOptions {
  venue: MdVenue;
  mdRing: SpscRing;
  controlRing: SpscRing;
  /** For the lapped counter of its consumers. */
  bookRing?: BroadcastRing;
  /** How the io thread waits for md ring space (config threads.io.waitStrategy). */
  wait: WaitStrategyName | WaitOptions;
  /** Longest wait for md ring space before a message is dropped. Default 1000 ms. */
  maxRingWaitMs?: number;
  /** Snapshot retry backoff: first delay and cap, ms. Defaults 250 and 10000. */
  snapshotRetryMs?: { initial: number; max: number };
  metrics?: MetricsRegistry;
  /** CLOCK_MONOTONIC ns (the stamps' clock). */
  clock?: () => bigint;
  onError?: (err: Error, what: string) => void;
}

export interface MdIoCounters {
  frames: number;
  messages: number;
  /** By DecodeStatus name. */
  decodeErrors: Record<string, number>;
  ringFull: number;
  droppedTimeout: number;
  droppedTooSmall: number;
  snapshotRequests: number;
  /** Requests absorbed by a fetch already in flight for the same book. */
  snapshotsCoalesced: number;
  snapshots: number;
  snapshotFailures: number;
  /** Books invalidated by lost connections (BOOK_CLEAR markers written). */
  interruptions: number;
}

type CounterHandle = Counter | SharedCounter;

export class MarketDataIo implements MdVenueSink {
  readonly venue: MdVenue;
  readonly writer: MdRingWriter;
  private readonly requests: SnapshotRequestReader;
  private readonly clock: () => bigint;
  private readonly retry: { initial: number; max: number };
  private readonly inFlight = new Set<number>();
  private readonly failuresInRow = new Map<number, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly onError: (err: Error, what: string) => void;
  private readonly decodeErrorsByStatus = new Map<number, number>();
  private frames = 0;
  private messages = 0;
  private c = { snapshotRequests: 0, snapshotsCoalesced: 0, snapshots: 0, snapshotFailures: 0, interruptions: 0 };
  private stopped = false;
  private requestLoop: Promise<void> | null = null;
  private metricsTimer: NodeJS.Timeout | null = null;
  private readonly m: {
    frames?: CounterHandle;
    messages?: CounterHandle;
    decodeErrors: Map<number, CounterHandle>;
    ringFull?: CounterHandle;
    dropped: Record<string, CounterHandle>;
    snapshotRequests?: CounterHandle;
    snapshots?: CounterHandle;
    snapshotFailures?: CounterHandle;
    interruptions?: CounterHandle;
    lapped?: CounterHandle;
  } = { decodeErrors: new Map(), dropped: {} };
  private ringFullSeen = 0;
  private droppedSeen = { timeout: 0, tooSmall: 0 };
  private lappedSeen = 0;

  constructor(private readonly o: MarketDataIoOptions) {
    this.venue = o.venue;
    this.writer = new MdRingWriter(o.mdRing, o.wait, o.venue.decoder, o.venue.needSpaceStatus, o.maxRingWaitMs ?? 1000);
    if (o.venue.maxSnapshotSlots > o.mdRing.capacity) {
      throw new RangeError(`md ring of ${o.mdRing.capacity} slots cannot hold a ${o.venue.name} snapshot of ${o.venue.maxSnapshotSlots} slots; raise rings.md`);
    }
    this.requests = new SnapshotRequestReader(o.controlRing);
    this.clock = o.clock ?? process.hrtime.bigint;
    this.retry = o.snapshotRetryMs ?? { initial: 250, max: 10_000 };
    this.onError = o.onError ?? (() => {});
    if (o.metrics) this.bindMetrics(o.metrics);
  }

  start(): void {
    this.venue.start(this);
    this.requestLoop = this.requests.run((id, reason) => this.requestSnapshot(id, reason), () => this.stopped);
    if (this.o.metrics) {
      // Counts kept by the writer and the book ring reach the metrics once a second.
      this.metricsTimer = setInterval(() => this.syncMetrics(), 1000);
      this.metricsTimer.unref();
    }
  }

  /** Stops the venue feed, pending snapshot retries and the request loop (the control ring must be closed to end a park). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.metricsTimer) clearInterval(this.metricsTimer);
    await this.venue.stop();
    if (this.o.metrics) this.syncMetrics();
  }

  /** Resolves once the request loop has ended (after stop and the control ring's close). */
  async closed(): Promise<void> {
    await this.requestLoop;
  }

  // MdVenueSink: called by the venue adapter.

  frame(frame: Buffer, recvNs: bigint): void {
    this.frames++;
    this.m.frames?.inc();
    const n = this.writer.writeFrame(frame, recvNs);
    if (n > 0) {
      this.messages++;
      this.m.messages?.inc();
    } else if (n < 0) {
      this.failed(n);
    }
  }

  interrupted(instrumentIds: readonly number[], _reason: string): void {
    const now = this.clock();
    for (const id of instrumentIds) {
      const st = this.writer.writeMarker(EventType.BOOK_CLEAR, id, ClearReason.RECONNECT, now);
      if (st < 0) {
        this.failed(st);
        continue;
      }
      this.c.interruptions++;
      this.m.interruptions?.inc();
    }
  }

  counters(): MdIoCounters {
    const decodeErrors: Record<string, number> = {};
    for (const [status, n] of this.decodeErrorsByStatus) decodeErrors[this.venue.statusName(status)] = n;
    const w = this.writer.counters;
    return {
      frames: this.frames,
      messages: this.messages,
      decodeErrors,
      ringFull: w.ringFull,
      droppedTimeout: w.droppedTimeout,
      droppedTooSmall: w.droppedTooSmall,
      ...this.c,
    };
  }

  private failed(status: number): void {
    // Drops are counted by the writer (and reach the metrics with syncMetrics).
    if (status === MdWrite.DROPPED_TIMEOUT || status === MdWrite.DROPPED_TOO_SMALL) return;
    this.decodeErrorsByStatus.set(status, (this.decodeErrorsByStatus.get(status) ?? 0) + 1);
    this.m.decodeErrors.get(status)?.inc();
  }

  private requestSnapshot(id: number, _reason: number): void {
    this.c.snapshotRequests++;
    this.m.snapshotRequests?.inc();
    if (this.inFlight.has(id)) {
      this.c.snapshotsCoalesced++;
      return;
    }
    this.inFlight.add(id);
    this.fetch(id);
  }

  private fetch(id: number): void {
    if (this.stopped) return;
    this.venue.fetchSnapshot(id).then(
      (body) => {
        if (this.stopped) return;
        const st = this.writer.writeSnapshot(body, id, this.clock());
        if (st > 0) {
          this.inFlight.delete(id);
          this.failuresInRow.delete(id);
          this.c.snapshots++;
          this.m.snapshots?.inc();
          this.m.messages?.inc();
          this.messages++;
          return;
        }
        this.failed(st);
        this.retryLater(id, new Error(`${this.venue.name} snapshot of instrument ${id} was refused by the decoder: ${this.venue.statusName(st)}`));
      },
      (err: unknown) => {
        if (this.stopped) return;
        this.retryLater(id, err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  private retryLater(id: number, err: Error): void {
    this.c.snapshotFailures++;
    this.m.snapshotFailures?.inc();
    const n = (this.failuresInRow.get(id) ?? 0) + 1;
    this.failuresInRow.set(id, n);
    const delay = Math.min(this.retry.max, this.retry.initial * 2 ** Math.min(n - 1, 20));
    this.onError(err, `snapshot of instrument ${id} failed (${n} in a row); retrying in ${delay} ms`);
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.fetch(id);
    }, delay);
    t.unref();
    this.timers.add(t);
  }

  private bindMetrics(r: MetricsRegistry): void {
    const venue = this.venue.name;
    const l = { venue };
    this.m.frames = r.counter(MdMetric.FRAMES, l);
    this.m.messages = r.counter(MdMetric.MESSAGES, l);
    const codes = new Map<string, number>();
    for (let st = -1; st >= -64; st--) codes.set(this.venue.statusName(st), st);
    for (const code of MD_DECODE_ERROR_CODES) {
      const st = codes.get(code);
      if (st !== undefined) this.m.decodeErrors.set(st, r.counter(MdMetric.DECODE_ERRORS, { venue, code: code.toLowerCase() }));
    }
    this.m.ringFull = r.counter(MdMetric.RING_FULL, l);
    for (const reason of MD_DROP_REASONS) this.m.dropped[reason] = r.counter(MdMetric.DROPPED, { venue, reason });
    this.m.snapshotRequests = r.counter(MdMetric.SNAPSHOT_REQUESTS, l);
    this.m.snapshots = r.counter(MdMetric.SNAPSHOTS, l);
    this.m.snapshotFailures = r.counter(MdMetric.SNAPSHOT_FAILURES, l);
    this.m.interruptions = r.counter(MdMetric.INTERRUPTIONS, l);
    this.m.lapped = r.counter(MdMetric.RING_LAPPED, { venue, ring: 'book' });
  }

  private syncMetrics(): void {
    const w = this.writer.counters;
    this.m.ringFull?.add(w.ringFull - this.ringFullSeen);
    this.ringFullSeen = w.ringFull;
    this.m.dropped['ring_timeout']?.add(w.droppedTimeout - this.droppedSeen.timeout);
    this.m.dropped['ring_too_small']?.add(w.droppedTooSmall - this.droppedSeen.tooSmall);
    this.droppedSeen = { timeout: w.droppedTimeout, tooSmall: w.droppedTooSmall };
    const ring = this.o.bookRing;
    if (!ring) return;
    let lapped = 0;
    for (let i = 0; i < ring.layout.consumers; i++) lapped += ring.consumerStats(i).lapped;
    if (lapped > this.lappedSeen) this.m.lapped?.add(lapped - this.lappedSeen);
    this.lappedSeen = lapped;
  }
}
