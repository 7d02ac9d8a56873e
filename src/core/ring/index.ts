export { BroadcastConsumer } from './broadcast-consumer.js';
export { BroadcastProducer } from './broadcast-producer.js';
export { BroadcastRing, type BroadcastConsumerStats, type BroadcastRingOptions } from './broadcast-ring.js';
export {
  CACHE_LINE_BYTES,
  MAX_CAPACITY,
  MAX_CONSUMERS,
  MAX_SLOT_BYTES,
  MIN_CAPACITY,
  RING_MAGIC,
  RING_VERSION,
  RingKind,
  SLOT_ALIGN_BYTES,
  type RingLayout,
} from './descriptor.js';
export { RingError, RingErrorCode } from './errors.js';
export { DEFAULT_SLOT_BYTES, type RingCreateOptions } from './ring-memory.js';
export { SpscConsumer } from './spsc-consumer.js';
export { SpscProducer } from './spsc-producer.js';
export { SpscRing, type SpscRingStats } from './spsc-ring.js';
export { RingStatus, type RecordHandler } from './status.js';
export {
  WAIT_STRATEGY_NAMES,
  createIdleStrategy,
  defaultWaitStrategy,
  type IdleStrategy,
  type ParkTarget,
  type WaitOptions,
  type WaitStrategyName,
} from './wait-strategy.js';
