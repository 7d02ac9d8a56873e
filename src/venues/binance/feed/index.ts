/** The Binance market-data feed: connector, snapshots, clock offset. See feed-client.ts. */
export { BinanceFeedClient, type FeedDeps } from './feed-client.js';
export type { FeedHandler } from './feed-slot.js';
export type { ConnectionInfo, FrameSink, VenueError } from './connection.js';
export { resolveFeedConfig, type BinanceFeedOptions, type FeedConfig, type BinanceMarket, type StreamMode } from './config.js';
export { planConnections, type PlannedConnection } from './connection-plan.js';
export { CONN_COUNTER, CONN_COUNTER_COUNT, CONN_COUNTER_NAMES, ConnectionCounters, type ConnCounterName } from './counters.js';
export { DISCONNECT_REASONS, type DisconnectReason, type HandoverReason } from './reasons.js';
export { streamName, streamRoute, streamSymbol, type StreamRoute } from './stream-names.js';
export { ReconnectBackoff, seededRandom } from './backoff.js';
export { SlidingWindowLimit } from './sliding-window.js';
export { DepthSnapshotFetcher, depthWeight, type SnapshotFetcherOptions } from './snapshot-fetcher.js';
export { RestGate } from './rest-gate.js';
export { ClockOffsetEstimator } from './clock-offset.js';
export { ServerTimeSync, type ServerTimeOptions } from './server-time.js';
export { FeedError, type FeedErrorCode } from './errors.js';
export { VENUE_URLS } from './urls.js';
