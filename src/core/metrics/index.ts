export {
  DEFAULT_LATENCY_BUCKETS_S,
  ANY_WRITER,
  MetricsError,
  seriesKey,
  validateDefinitions,
  type MetricDefinition,
  type MetricType,
  type MetricsErrorCode,
} from './definitions.js';
export { SharedMetricsDescriptor, LINE_BYTES, type SeriesLayout } from './descriptor.js';
export { Counter, SharedCounter, Gauge } from './handles.js';
export { MetricsRegistry, type AttachOptions } from './registry.js';
export { PrometheusExporter, type ExporterOptions } from './prometheus-exporter.js';
export { planPromBuckets, type PromBucketPlan } from './prom-buckets.js';
export { LatencyHistogram, HISTOGRAM_BUCKETS, HISTOGRAM_BYTES } from './histogram.js';
export {
  engineMetricDefinitions,
  expandFamilies,
  knownMetricNames,
  strategyWriter,
  ENGINE_FAMILIES,
  GATEWAY_FAMILIES,
  PROCESS_METRICS,
  type EngineTopology,
  type MetricFamily,
} from './engine-metrics.js';
