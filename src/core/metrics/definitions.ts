/**
 * Declared metrics: every series the engine records is listed up front, so the shared
 * memory can be laid out once and handed to every thread. A definition names one series
 * (one metric name plus fixed label values); several definitions may share a name with
 * different labels, and are exported as one Prometheus metric.
 *
 * Prometheus conventions are checked here, not left to review: snake_case, base units
 * in the name (`_seconds`, `_bytes`), counters end in `_total`, latency histograms are
 * recorded in ns and exported in seconds.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  name: string;
  help: string;
  type: MetricType;
  /** Fixed label values of this series, e.g. { venue: 'binance' }. */
  labels?: Readonly<Record<string, string>>;
  /** Base unit, also the name's suffix (before `_total`): seconds, bytes, messages… */
  unit?: string;
  /**
   * The thread role that writes this series (single writer, no atomics), e.g. 'book'.
   * '*' marks a counter any thread may increment (Atomics.add, own cache line).
   */
  writer: string;
  /** Histogram bucket upper bounds in seconds (defaults to DEFAULT_LATENCY_BUCKETS_S). */
  buckets?: readonly number[];
}

export type MetricsErrorCode =
  | 'METRICS_DEFINITION'
  | 'METRICS_LAYOUT_MISMATCH'
  | 'METRICS_UNKNOWN_SERIES'
  | 'METRICS_WRONG_WRITER'
  | 'METRICS_WRONG_TYPE';

export class MetricsError extends Error {
  readonly code: MetricsErrorCode;
  constructor(code: MetricsErrorCode, message: string) {
    super(message);
    this.name = 'MetricsError';
    this.code = code;
  }
}

/** 1 µs … 10 s, 1-2.5-5 steps: engine hops sit at the low end, venue round trips at the top. */
export const DEFAULT_LATENCY_BUCKETS_S: readonly number[] = [
  1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
  2.5, 5, 10,
];

export const ANY_WRITER = '*';

const NAME = /^[a-z_][a-z0-9_]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const UNIT = /^[a-z]+$/;
const NON_BASE_UNITS = new Set([
  'ms',
  'us',
  'ns',
  'millis',
  'milliseconds',
  'microseconds',
  'nanoseconds',
  'minutes',
  'hours',
  'kb',
  'mb',
  'gb',
  'kilobytes',
  'megabytes',
  'percent',
]);
const RESERVED_SUFFIXES = ['_bucket', '_sum', '_count', '_created'];

/** Identity of a series: name plus its labels in key order. */
export function seriesKey(name: string, labels: Readonly<Record<string, string>> = {}): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return name;
  return `${name}{${keys.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
}

function fail(def: MetricDefinition, why: string): never {
  throw new MetricsError('METRICS_DEFINITION', `metric ${JSON.stringify(def.name)}: ${why}`);
}

function validateOne(def: MetricDefinition): void {
  if (typeof def.name !== 'string' || !NAME.test(def.name) || def.name.startsWith('__')) {
    fail(def, 'names are snake_case: lower-case letters, digits and underscores, not starting with a digit or "__"');
  }
  if (typeof def.help !== 'string' || def.help.trim() === '') fail(def, 'help text is required');
  if (def.type !== 'counter' && def.type !== 'gauge' && def.type !== 'histogram') fail(def, `unknown type ${String(def.type)}`);
  if (typeof def.writer !== 'string' || def.writer === '') fail(def, 'writer (the thread role recording it) is required');
  if (def.writer === ANY_WRITER && def.type !== 'counter') fail(def, 'only counters may have several writers');
  for (const s of RESERVED_SUFFIXES) if (def.name.endsWith(s)) fail(def, `names must not end in ${s} (Prometheus adds it)`);
  if (def.unit !== undefined) {
    if (!UNIT.test(def.unit)) fail(def, `unit ${JSON.stringify(def.unit)} must be a lower-case word`);
    if (NON_BASE_UNITS.has(def.unit)) fail(def, `unit ${def.unit} is not a base unit: use seconds or bytes`);
  }
  const base = def.type === 'counter' ? def.name.replace(/_total$/, '') : def.name;
  if (def.type === 'counter' && !def.name.endsWith('_total')) fail(def, 'counter names end in _total');
  if (def.type !== 'counter' && def.name.endsWith('_total')) fail(def, 'only counters end in _total');
  if (def.unit !== undefined && !base.endsWith(`_${def.unit}`)) {
    fail(def, `the unit goes in the name: expected it to end in _${def.unit}${def.type === 'counter' ? '_total' : ''}`);
  }
  if (def.type === 'histogram') {
    if (def.unit !== 'seconds') fail(def, 'histograms record latencies: unit must be seconds (recorded in ns)');
    const b = def.buckets ?? DEFAULT_LATENCY_BUCKETS_S;
    if (b.length === 0) fail(def, 'histogram needs at least one bucket');
    for (let i = 0; i < b.length; i++) {
      const v = b[i]!;
      if (!Number.isFinite(v) || v <= 0 || (i > 0 && v <= b[i - 1]!)) fail(def, 'buckets must be positive and increasing');
    }
  } else if (def.buckets !== undefined) {
    fail(def, 'buckets belong to histograms');
  }
  for (const [k, v] of Object.entries(def.labels ?? {})) {
    if (!LABEL.test(k) || k.startsWith('__')) fail(def, `label name ${JSON.stringify(k)} is not valid`);
    if (k === 'le' || k === 'quantile') fail(def, `label name ${k} is reserved`);
    if (typeof v !== 'string') fail(def, `label ${k} must have a string value`);
  }
}

/**
 * Checks every definition and their consistency: series are unique, and definitions
 * sharing a name agree on type, help, unit, label names, buckets.
 */
export function validateDefinitions(defs: readonly MetricDefinition[]): void {
  const keys = new Set<string>();
  const byName = new Map<string, MetricDefinition>();
  for (const def of defs) {
    validateOne(def);
    const key = seriesKey(def.name, def.labels);
    if (keys.has(key)) fail(def, `series ${key} is defined twice`);
    keys.add(key);
    const first = byName.get(def.name);
    if (!first) {
      byName.set(def.name, def);
      continue;
    }
    const labelNames = (d: MetricDefinition) => Object.keys(d.labels ?? {}).sort().join(',');
    if (first.type !== def.type || first.help !== def.help || first.unit !== def.unit) {
      fail(def, 'series of one metric must share type, help and unit');
    }
    if (labelNames(first) !== labelNames(def)) fail(def, 'series of one metric must have the same label names');
    if (JSON.stringify(first.buckets ?? null) !== JSON.stringify(def.buckets ?? null)) {
      fail(def, 'series of one histogram must share buckets');
    }
  }
}
