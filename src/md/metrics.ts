/**
 * The metric series of one market-data pipeline (one venue), labelled `venue`. The io
 * thread writes the feed and decode series, the book worker the book series and the
 * receive → book-published latency. An engine that runs several pipelines concatenates
 * their definitions into one registry; each pipeline hands its threads the whole list.
 */
import type { MetricDefinition } from '../core/metrics/definitions.js';

/** Thread roles that record md series (MetricDefinition.writer). */
export const MD_IO_WRITER = 'io';
export const MD_BOOK_WRITER = 'book';

/** Decode outcomes counted as errors, by their stable DecodeStatus name (lower case in the label). */
export const MD_DECODE_ERROR_CODES = [
  'MALFORMED_JSON',
  'TOO_LARGE',
  'UNSUPPORTED_EVENT',
  'MISSING_FIELD',
  'BAD_TYPE',
  'DUPLICATE_FIELD',
  'BAD_NUMBER',
  'UNKNOWN_SYMBOL',
  'BAD_DECIMAL',
  'PRECISION',
] as const;

/** Why the io thread gave a decoded message up (it is counted, never silent). */
export const MD_DROP_REASONS = ['ring_timeout', 'ring_too_small'] as const;
export type MdDropReason = (typeof MD_DROP_REASONS)[number];

/** Why the book worker asked for a snapshot (SnapshotReasonName, snake_case). */
export const MD_RESYNC_REASONS = [
  'initial',
  'gap',
  'snapshot_too_old',
  'buffer_overflow',
  'crossed',
  'snapshot_failed',
  'stream_reset',
  'bad_message',
  'stale_stream',
] as const;

export const MdMetric = {
  FRAMES: 'veloz_md_frames_total',
  MESSAGES: 'veloz_md_messages_total',
  DECODE_ERRORS: 'veloz_md_decode_errors_total',
  RING_FULL: 'veloz_md_ring_full_total',
  DROPPED: 'veloz_md_dropped_total',
  SNAPSHOT_REQUESTS: 'veloz_md_snapshot_requests_total',
  SNAPSHOTS: 'veloz_md_snapshots_total',
  SNAPSHOT_FAILURES: 'veloz_md_snapshot_failures_total',
  INTERRUPTIONS: 'veloz_md_interruptions_total',
  RING_LAPPED: 'veloz_ring_lapped_total',
  BOOK_MESSAGES: 'veloz_book_messages_total',
  BOOK_CHANGES: 'veloz_book_changes_total',
  GAPS: 'veloz_book_gaps_total',
  RESYNCS: 'veloz_book_resyncs_total',
  SNAPSHOTS_APPLIED: 'veloz_book_snapshots_applied_total',
  STALE_DROPS: 'veloz_book_stale_drops_total',
  CROSSED: 'veloz_book_crossed_total',
  FORWARDED: 'veloz_book_forwarded_total',
  LATENCY: 'veloz_md_receive_to_book_seconds',
} as const;

/** Every md series of the pipeline named `venue`. */
export function mdMetricDefinitions(venue: string): MetricDefinition[] {
  const io = (name: string, help: string, labels: Record<string, string> = {}): MetricDefinition => ({
    name,
    help,
    type: 'counter',
    writer: MD_IO_WRITER,
    labels: { venue, ...labels },
  });
  const book = (name: string, help: string, labels: Record<string, string> = {}): MetricDefinition => ({
    name,
    help,
    type: 'counter',
    writer: MD_BOOK_WRITER,
    labels: { venue, ...labels },
  });
  return [
    io(MdMetric.FRAMES, 'Market-data frames received from the venue feed.'),
    io(MdMetric.MESSAGES, 'Venue messages (and REST snapshots) decoded into the md ring.'),
    ...MD_DECODE_ERROR_CODES.map((code) =>
      io(MdMetric.DECODE_ERRORS, 'Frames the decoder refused, by DecodeStatus; the frame is dropped.', { code: code.toLowerCase() }),
    ),
    io(MdMetric.RING_FULL, 'Times the io thread waited for the book worker to free md ring slots (backpressure).'),
    ...MD_DROP_REASONS.map((reason) => io(MdMetric.DROPPED, 'Decoded messages given up by the io thread, by reason.', { reason })),
    io(MdMetric.SNAPSHOT_REQUESTS, 'Depth snapshot requests received from the book worker.'),
    io(MdMetric.SNAPSHOTS, 'Depth snapshots fetched and written to the md ring.'),
    io(MdMetric.SNAPSHOT_FAILURES, 'Depth snapshot fetches that failed (retried with backoff).'),
    io(MdMetric.INTERRUPTIONS, 'Books invalidated because their stream connection was lost.'),
    io(MdMetric.RING_LAPPED, 'Times a consumer of the book ring fell a whole ring behind.', { ring: 'book' }),
    book(MdMetric.BOOK_MESSAGES, 'Venue messages the book worker handled (diffs, snapshots, markers).'),
    book(MdMetric.BOOK_CHANGES, 'BookChanged events published on the book ring.'),
    book(MdMetric.GAPS, 'Sequence gaps detected in depth streams.'),
    ...MD_RESYNC_REASONS.map((reason) => book(MdMetric.RESYNCS, 'Snapshot (re)syncs requested by the book worker, by reason.', { reason })),
    book(MdMetric.SNAPSHOTS_APPLIED, 'Depth snapshots applied to a book.'),
    book(MdMetric.STALE_DROPS, 'Depth diffs dropped because the book already held them.'),
    book(MdMetric.CROSSED, 'Batches that left a book crossed (the book is resynced).'),
    book(MdMetric.FORWARDED, 'Trades and top-of-book updates forwarded to the book ring.'),
    {
      name: MdMetric.LATENCY,
      help: 'Receive stamp of a depth message to its book being published by the book worker.',
      type: 'histogram',
      unit: 'seconds',
      writer: MD_BOOK_WRITER,
      labels: { venue },
      buckets: [1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    },
  ];
}
