/** The market-data hot path: venue frames → md ring → book worker → shared books + book ring. */
export { MarketDataPipeline, type MarketDataPipelineOptions, type BinanceVenueConfig, type MdPipelineCounters } from './pipeline.js';
export { BookDirectory, type BookDirectoryEntry } from './book-directory.js';
export { BookStat, BookStatsView, type BookStatsRow } from './book-stats.js';
export { BookWorkerCore, monotonicBaseNs, type BookWorkerBook, type BookWorkerCoreOptions, type BookWorkerMetrics } from './book-worker-core.js';
export { MarketDataIo, type MarketDataIoOptions, type MdIoCounters } from './md-io.js';
export { MdRingWriter, MdWrite } from './md-ring-writer.js';
export type { MdFrameDecoder, MdRingGeometry, MdSyncKind, MdVenue, MdVenueSink } from './md-venue.js';
export { MdMetric, mdMetricDefinitions, MD_BOOK_WRITER, MD_IO_WRITER } from './metrics.js';
export { SnapshotRequestReader, SnapshotRequestWriter, clearReasonOf } from './snapshot-requests.js';
