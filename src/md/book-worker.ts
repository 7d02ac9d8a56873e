/**
 * The book thread (a ThreadRuntime role): owns every shared L2 book of one venue and
 * does no I/O. Rings it is handed: `md` (SPSC, from the io thread), `book` (broadcast, to
 * strategies), `control` (SPSC, snapshot requests back to the io thread). Its config
 * (BookWorkerConfig) carries the books' buffers, laid out by the pipeline beforehand, so
 * a restarted incarnation takes the same books over and rebuilds them from snapshots.
 */
import { BroadcastRing } from '../core/ring/broadcast-ring.js';
import { RingStatus } from '../core/ring/status.js';
import { SpscRing } from '../core/ring/spsc-ring.js';
import type { MetricDefinition } from '../core/metrics/definitions.js';
import { MetricsRegistry } from '../core/metrics/registry.js';
import type { ThreadContext } from '../core/threads/thread-context.js';
import type { BookSyncOptions } from '../book/sync/binance-book-sync.js';
import { SnapshotReason } from '../book/sync/sync-types.js';
import { BookWorkerCore, type BookWorkerBook, type BookWorkerMetrics } from './book-worker-core.js';
import { MD_BOOK_WRITER, MD_RESYNC_REASONS, MdMetric } from './metrics.js';
import type { MdSyncKind } from './md-venue.js';
import { SnapshotRequestWriter } from './snapshot-requests.js';
import { BookStat } from './book-stats.js';
import { warmUpBookWorker } from './book-worker-warmup.js';

export interface BookWorkerConfig {
  venue: string;
  syncKind: MdSyncKind;
  books: BookWorkerBook[];
  stats: SharedArrayBuffer;
  metrics?: { sab: SharedArrayBuffer; definitions: MetricDefinition[] };
  sync?: Omit<BookSyncOptions, 'market'>;
}

/** Idle polls (~30 ns each) before a 'block' book thread parks. */
export const BLOCK_SPINS = 1000;

/** Ring names as the role sees them. */
export const BOOK_WORKER_RINGS = { md: 'md', book: 'book', control: 'control' } as const;

/** Metric handles of the book role, from the registry the pipeline shares. */
export function bookWorkerMetrics(registry: MetricsRegistry, venue: string): BookWorkerMetrics {
  const labels = { venue };
  const resyncs: BookWorkerMetrics['resyncs'] = [];
  const byName: Record<string, number> = {
    initial: SnapshotReason.INITIAL,
    gap: SnapshotReason.GAP,
    snapshot_too_old: SnapshotReason.SNAPSHOT_TOO_OLD,
    buffer_overflow: SnapshotReason.BUFFER_OVERFLOW,
    crossed: SnapshotReason.CROSSED,
    snapshot_failed: SnapshotReason.SNAPSHOT_FAILED,
    stream_reset: SnapshotReason.STREAM_RESET,
    bad_message: SnapshotReason.BAD_MESSAGE,
    stale_stream: SnapshotReason.STALE_STREAM,
  };
  const list = resyncs as { inc(): void }[];
  for (const reason of MD_RESYNC_REASONS) list[byName[reason]!] = registry.counter(MdMetric.RESYNCS, { venue, reason });
  return {
    messages: registry.counter(MdMetric.BOOK_MESSAGES, labels),
    changes: registry.counter(MdMetric.BOOK_CHANGES, labels),
    gaps: registry.counter(MdMetric.GAPS, labels),
    resyncs,
    snapshots: registry.counter(MdMetric.SNAPSHOTS_APPLIED, labels),
    stale: registry.counter(MdMetric.STALE_DROPS, labels),
    crossed: registry.counter(MdMetric.CROSSED, labels),
    forwarded: registry.counter(MdMetric.FORWARDED, labels),
    latency: registry.histogram(MdMetric.LATENCY, labels),
  };
}

export function run(ctx: ThreadContext): void {
  const cfg = ctx.config as BookWorkerConfig;
  const mdRing = SpscRing.attach(ctx.rings[BOOK_WORKER_RINGS.md]!);
  const bookRing = BroadcastRing.attach(ctx.rings[BOOK_WORKER_RINGS.book]!);
  const controlRing = SpscRing.attach(ctx.rings[BOOK_WORKER_RINGS.control]!);
  const maxId = cfg.books.reduce((a, b) => Math.max(a, b.instrumentId), 0);
  const metrics = cfg.metrics ? bookWorkerMetrics(MetricsRegistry.attach(cfg.metrics.sab, cfg.metrics.definitions, { writer: MD_BOOK_WRITER }), cfg.venue) : undefined;
  // 'block' spins a little before parking: the io thread notifies a parked book thread,
  // and one that parked after every message would cost it a notify per message.
  const md = mdRing.consumer(ctx.waitStrategy === 'block' ? { strategy: 'block', spins: BLOCK_SPINS } : ctx.waitStrategy);
  const core = new BookWorkerCore({
    syncKind: cfg.syncKind,
    books: cfg.books,
    md,
    mdBuffer: mdRing.buffer,
    bookRing: bookRing.producer(),
    bookRingBuffer: bookRing.buffer,
    requests: new SnapshotRequestWriter(controlRing, maxId),
    stats: new Float64Array(cfg.stats),
    ...(metrics ? { metrics } : {}),
    ...(cfg.sync ? { sync: cfg.sync } : {}),
  });
  // A cold hot path would let the first burst queue up while V8 compiles it.
  warmUpBookWorker(cfg.syncKind);
  new Float64Array(cfg.stats)[BookStat.READY] = 1;
  while (!ctx.stopRequested()) {
    const n = core.poll();
    if (n === RingStatus.CLOSED) break;
    core.idle(n);
  }
}
