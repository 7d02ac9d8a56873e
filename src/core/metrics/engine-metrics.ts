/**
 * The engine's metrics, named in one place: every family the engine records, with its
 * label names and where each label's values come from. The Grafana dashboard
 * (deploy/grafana/veloz-dashboard.json) uses these names and a test proves every name
 * it queries is defined here or in PROCESS_METRICS.
 *
 * Families are expanded into series (MetricDefinition, one per label combination) by
 * `engineMetricDefinitions(topology)`: venue and strategy labels come from the config,
 * the others are the fixed sets below. Label values are bounded by construction, as
 * Prometheus wants (no ids, symbols or free text in labels).
 *
 * Writers: one thread role per series ('io', 'book', 'oms', 'walShipper',
 * 'strategy:<name>'), so every series stays single-writer.
 */
import { validateDefinitions, type MetricDefinition, type MetricType } from './definitions.js';

export interface EngineTopology {
  /** Venue names: the keys of [venues] in the config. */
  venues: readonly string[];
  /** Strategy names: [[strategies]] name. */
  strategies: readonly string[];
}

export const THREAD_ROLES = ['io', 'book', 'oms', 'walShipper'] as const;

/** The writer role of a strategy's own series. */
export function strategyWriter(strategy: string): string {
  return `strategy:${strategy}`;
}

export const ORDER_STATES = [
  'pending_new',
  'new',
  'partially_filled',
  'filled',
  'pending_cancel',
  'canceled',
  'rejected',
  'expired',
] as const;

export const RISK_REJECT_REASONS = [
  'max_order_qty',
  'max_order_notional',
  'max_position_qty',
  'max_total_notional',
  'price_band',
  'order_rate',
  'max_open_orders',
  'daily_loss',
  'self_trade',
  'kill_switch',
] as const;

/** Gateway `route` label: the endpoint, or the API resource (first segment after /api/v1/). */
export const GATEWAY_ROUTES = [
  'metrics',
  'health',
  'ready',
  'ws',
  'status',
  'books',
  'orders',
  'positions',
  'strategies',
  'risk',
  'other',
  'unmatched',
] as const;
export type GatewayRouteLabel = (typeof GATEWAY_ROUTES)[number];

/** Status classes of veloz_gateway_requests_total; exact error codes go to veloz_gateway_errors_total. */
export const GATEWAY_STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;
export const GATEWAY_ERROR_CODES = ['400', '401', '403', '404', '405', '413', '500', '503', 'other'] as const;

export const PUSH_CHANNELS = ['book', 'trades', 'orders', 'pnl'] as const;
export type PushChannelName = (typeof PUSH_CHANNELS)[number];
/** backpressure: the client's send buffer was over its limit; queue_overflow: more updates than a flush may hold. */
export const PUSH_DROP_REASONS = ['backpressure', 'queue_overflow'] as const;
export type PushDropReason = (typeof PUSH_DROP_REASONS)[number];
export const PUSH_DISCONNECT_REASONS = ['client', 'slow_consumer', 'protocol', 'shutdown'] as const;
export type PushDisconnectReason = (typeof PUSH_DISCONNECT_REASONS)[number];

type LabelSource = 'venues' | 'strategies' | 'threads' | 'rings' | readonly string[];

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  unit?: string;
  /** Label name → where its values come from. Series = the cross product. */
  labels?: Readonly<Record<string, LabelSource>>;
  /** The writing role, or a function of the series' labels. */
  writer: string | ((labels: Readonly<Record<string, string>>) => string);
  buckets?: readonly number[];
}

/** Ring label values: the producer role writes occupancy and full counts. */
function ringProducers(topology: EngineTopology): Map<string, string> {
  const rings = new Map<string, string>([
    ['md', 'io'],
    ['book', 'book'],
    ['orders_out', 'oms'],
    ['exec_in', 'io'],
  ]);
  for (const s of topology.strategies) rings.set(`intents/${s}`, strategyWriter(s));
  return rings;
}

const byThread = (l: Readonly<Record<string, string>>) => l['thread']!;
const byStrategy = (l: Readonly<Record<string, string>>) => strategyWriter(l['strategy']!);

/**
 * Per-stage latency: each stage is measured by the thread that finishes it, from the
 * monotonic stamp carried in the event (receive stamp → …), so stages add up to
 * tick-to-order.
 */
export const LATENCY_FAMILIES: readonly MetricFamily[] = [
  { name: 'veloz_decode_latency_seconds', help: 'Receive to decoded event on the md ring (io thread).', type: 'histogram', unit: 'seconds', labels: { venue: 'venues' }, writer: 'io' },
  { name: 'veloz_book_latency_seconds', help: 'Decoded event to book published (book thread).', type: 'histogram', unit: 'seconds', labels: { venue: 'venues' }, writer: 'book' },
  { name: 'veloz_strategy_latency_seconds', help: 'Book published to strategy callback done (strategy thread).', type: 'histogram', unit: 'seconds', labels: { strategy: 'strategies' }, writer: byStrategy },
  { name: 'veloz_risk_latency_seconds', help: 'Strategy intent to risk decision (oms thread).', type: 'histogram', unit: 'seconds', writer: 'oms' },
  { name: 'veloz_send_latency_seconds', help: 'Risk decision to order bytes written to the venue socket (io thread).', type: 'histogram', unit: 'seconds', labels: { venue: 'venues' }, writer: 'io' },
  { name: 'veloz_tick_to_order_latency_seconds', help: 'Market data received to the order it caused written to the socket.', type: 'histogram', unit: 'seconds', labels: { venue: 'venues' }, writer: 'io' },
];

export const FEED_FAMILIES: readonly MetricFamily[] = [
  { name: 'veloz_md_messages_total', help: 'Market-data messages received.', type: 'counter', labels: { venue: 'venues' }, writer: 'io' },
  { name: 'veloz_md_received_bytes_total', help: 'Market-data bytes received.', type: 'counter', unit: 'bytes', labels: { venue: 'venues' }, writer: 'io' },
  { name: 'veloz_md_decode_errors_total', help: 'Market-data messages that failed to decode.', type: 'counter', labels: { venue: 'venues' }, writer: 'io' },
  { name: 'veloz_feed_reconnects_total', help: 'Venue feed reconnections.', type: 'counter', labels: { venue: 'venues' }, writer: 'io' },
  { name: 'veloz_book_gaps_total', help: 'Sequence gaps detected by book sync.', type: 'counter', labels: { venue: 'venues' }, writer: 'book' },
  { name: 'veloz_book_resyncs_total', help: 'Book resyncs (snapshot re-fetches) requested.', type: 'counter', labels: { venue: 'venues' }, writer: 'book' },
  { name: 'veloz_book_updates_total', help: 'Venue messages applied to books.', type: 'counter', labels: { venue: 'venues' }, writer: 'book' },
];

export const RING_FAMILIES: readonly MetricFamily[] = [
  { name: 'veloz_ring_occupancy_ratio', help: 'Ring fill level (0..1), sampled by the producer.', type: 'gauge', unit: 'ratio', labels: { ring: 'rings' }, writer: (l) => l['producer']! },
  { name: 'veloz_ring_full_total', help: 'Times a lossless ring was full when the producer claimed.', type: 'counter', labels: { ring: 'rings' }, writer: (l) => l['producer']! },
  { name: 'veloz_book_ring_lapped_total', help: 'Times a strategy fell a whole book ring behind and resynced from the books.', type: 'counter', labels: { strategy: 'strategies' }, writer: byStrategy },
];

export const OMS_FAMILIES: readonly MetricFamily[] = [
  { name: 'veloz_orders_total', help: 'Order state transitions, by the state entered.', type: 'counter', labels: { state: ORDER_STATES }, writer: 'oms' },
  { name: 'veloz_open_orders', help: 'Orders open at the venues.', type: 'gauge', writer: 'oms' },
  { name: 'veloz_risk_rejections_total', help: 'Orders refused by pre-trade risk, by check.', type: 'counter', labels: { reason: RISK_REJECT_REASONS }, writer: 'oms' },
  { name: 'veloz_risk_kill_switch_engaged', help: '1 while the kill switch holds the engine in cancel-only mode.', type: 'gauge', writer: 'oms' },
  { name: 'veloz_wal_records_total', help: 'Records appended to the WAL.', type: 'counter', writer: 'oms' },
  { name: 'veloz_wal_fsync_latency_seconds', help: 'WAL group-commit fsync duration.', type: 'histogram', unit: 'seconds', writer: 'oms' },
  { name: 'veloz_wal_lag_records', help: 'WAL records not yet shipped to PostgreSQL.', type: 'gauge', unit: 'records', writer: 'walShipper' },
  { name: 'veloz_wal_lag_seconds', help: 'Age of the oldest WAL record not yet shipped.', type: 'gauge', unit: 'seconds', writer: 'walShipper' },
  { name: 'veloz_wal_rows_shipped_total', help: 'WAL records written to PostgreSQL.', type: 'counter', writer: 'walShipper' },
  { name: 'veloz_wal_ship_errors_total', help: 'Failed shipping batches (retried).', type: 'counter', writer: 'walShipper' },
];

export const RUNTIME_FAMILIES: readonly MetricFamily[] = [
  { name: 'veloz_gc_pause_seconds', help: 'Garbage-collection pauses per engine thread.', type: 'histogram', unit: 'seconds', labels: { thread: 'threads' }, writer: byThread },
  { name: 'veloz_event_loop_delay_seconds', help: 'Event-loop delay p99 over the last interval, per non-spinning thread.', type: 'gauge', unit: 'seconds', labels: { thread: 'threads' }, writer: byThread },
];

export const GATEWAY_FAMILIES: readonly MetricFamily[] = [
  { name: 'veloz_gateway_requests_total', help: 'Gateway HTTP requests answered, by route and status class.', type: 'counter', labels: { route: GATEWAY_ROUTES, code: GATEWAY_STATUS_CLASSES }, writer: 'io' },
  { name: 'veloz_gateway_errors_total', help: 'Gateway HTTP error replies, by status code.', type: 'counter', labels: { code: GATEWAY_ERROR_CODES }, writer: 'io' },
  { name: 'veloz_gateway_push_clients', help: 'WebSocket push clients connected.', type: 'gauge', writer: 'io' },
  { name: 'veloz_gateway_push_subscriptions', help: 'Push subscriptions held by all clients.', type: 'gauge', writer: 'io' },
  { name: 'veloz_gateway_push_messages_sent_total', help: 'Push messages handed to client sockets.', type: 'counter', labels: { channel: PUSH_CHANNELS }, writer: 'io' },
  { name: 'veloz_gateway_push_messages_dropped_total', help: 'Push messages a client did not get, by reason.', type: 'counter', labels: { reason: PUSH_DROP_REASONS }, writer: 'io' },
  { name: 'veloz_gateway_push_disconnects_total', help: 'Push clients gone, by reason.', type: 'counter', labels: { reason: PUSH_DISCONNECT_REASONS }, writer: 'io' },
  { name: 'veloz_gateway_push_protocol_errors_total', help: 'Push client messages refused (bad JSON, unknown op or channel, bad fields).', type: 'counter', writer: 'io' },
];

export const ENGINE_FAMILIES: readonly MetricFamily[] = [
  ...LATENCY_FAMILIES,
  ...FEED_FAMILIES,
  ...RING_FAMILIES,
  ...OMS_FAMILIES,
  ...RUNTIME_FAMILIES,
  ...GATEWAY_FAMILIES,
];

/**
 * Process metrics the io thread's exporter adds through prom-client's
 * collectDefaultMetrics (PrometheusExporter `defaultMetrics`, on by default): the main
 * thread's GC, event loop and the process's memory. Listed so the dashboard check knows them.
 */
export const PROCESS_METRICS = [
  'process_resident_memory_bytes',
  'process_cpu_seconds_total',
  'process_open_fds',
  'nodejs_heap_size_used_bytes',
  'nodejs_gc_duration_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_eventloop_lag_max_seconds',
] as const;

function labelValues(source: LabelSource, topology: EngineTopology): readonly string[] {
  if (source === 'venues') return topology.venues;
  if (source === 'strategies') return topology.strategies;
  if (source === 'threads') return [...THREAD_ROLES, ...topology.strategies.map(strategyWriter)];
  if (source === 'rings') return [...ringProducers(topology).keys()];
  return source;
}

/** Every label combination of a family (one empty set when it has no labels). */
function combinations(family: MetricFamily, topology: EngineTopology): Array<Record<string, string>> {
  let out: Array<Record<string, string>> = [{}];
  for (const [name, source] of Object.entries(family.labels ?? {})) {
    const values = labelValues(source, topology);
    out = out.flatMap((partial) => values.map((v) => ({ ...partial, [name]: v })));
  }
  return out;
}

/** Expands families into the series definitions MetricsRegistry.create takes. */
export function expandFamilies(families: readonly MetricFamily[], topology: EngineTopology): MetricDefinition[] {
  const producers = ringProducers(topology);
  const defs: MetricDefinition[] = [];
  for (const f of families) {
    for (const labels of combinations(f, topology)) {
      const writerLabels = labels['ring'] !== undefined ? { ...labels, producer: producers.get(labels['ring'])! } : labels;
      const def: MetricDefinition = {
        name: f.name,
        help: f.help,
        type: f.type,
        writer: typeof f.writer === 'string' ? f.writer : f.writer(writerLabels),
      };
      if (Object.keys(labels).length > 0) def.labels = labels;
      if (f.unit !== undefined) def.unit = f.unit;
      if (f.buckets !== undefined) def.buckets = f.buckets;
      defs.push(def);
    }
  }
  validateDefinitions(defs);
  return defs;
}

/** All engine series for a topology (config venues and strategies). */
export function engineMetricDefinitions(topology: EngineTopology): MetricDefinition[] {
  return expandFamilies(ENGINE_FAMILIES, topology);
}

/** Names of every engine family plus the process metrics: what a dashboard may query. */
export function knownMetricNames(): Set<string> {
  return new Set<string>([...ENGINE_FAMILIES.map((f) => f.name), ...PROCESS_METRICS]);
}
