export { WalShipper, type WalShipperOptions, type ShipMode } from './wal-shipper.js';
export { startShipperThread, type ShipperThread, type ShipperThreadOptions, type ShipperThreadSettings } from './shipper-thread.js';
export { ShipperStats, SHIPPER_STATS_BYTES, type ShipperStatsSnapshot } from './shipper-stats.js';
export { deleteShippedSegmentsOlderThan } from './shipped-retention.js';
export { CopyEncoder } from './copy-encoder.js';
