/**
 * Exports the shared metrics region through prom-client, on the io thread, at scrape
 * time: collectors read the shared words when Prometheus asks, so worker threads never
 * send a message per update.
 *
 * Counters: 32-bit words that wrap. `sample()` adds each word's wrapping difference since
 * the previous sample to a float64 total (exact to 2^53), then the prom Counter is
 * increased by what it has not seen yet. A timer samples every `sampleIntervalMs` as well
 * as every scrape, so a word cannot wrap twice between two reads at any realistic rate.
 * Histograms: the same per HDR bucket, exported with the bucket plan of prom-buckets.ts,
 * values in seconds; `_count` is the sum of the buckets so it always equals `+Inf`.
 */
import { Counter as PromCounter, Gauge as PromGauge, Registry, collectDefaultMetrics } from 'prom-client';
import { HISTOGRAM_BUCKETS, LatencyHistogram } from './histogram.js';
import { DEFAULT_LATENCY_BUCKETS_S, MetricsError, seriesKey } from './definitions.js';
import type { SeriesLayout } from './descriptor.js';
import { planPromBuckets, type PromBucketPlan } from './prom-buckets.js';
import type { MetricsRegistry } from './registry.js';

export interface ExporterOptions {
  /** prom-client registry to fill; a new one by default. */
  register?: Registry;
  /** Add prom-client's process metrics (CPU, RSS, GC, event loop lag). Default true. */
  defaultMetrics?: boolean;
  /** Background sampling period guarding against 32-bit wrap; 0 turns it off. Default 1000. */
  sampleIntervalMs?: number;
}

class CounterTrack {
  last = 0;
  total = 0;
  exported = 0;
  constructor(
    readonly series: SeriesLayout,
    readonly word: number,
  ) {}
}

class HistogramTrack {
  readonly last = new Uint32Array(HISTOGRAM_BUCKETS);
  readonly totals = new Float64Array(HISTOGRAM_BUCKETS);
  constructor(
    readonly series: SeriesLayout,
    readonly view: LatencyHistogram,
    readonly plan: PromBucketPlan,
  ) {}
}

interface PromValue {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

/** A prom-client metric object whose values come straight from shared memory. */
class SharedHistogramMetric {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly tracks: HistogramTrack[],
    private readonly sample: () => void,
  ) {}

  async get(): Promise<{ name: string; help: string; type: string; values: PromValue[]; aggregator: string }> {
    this.sample();
    const values: PromValue[] = [];
    for (const t of this.tracks) {
      const labels = t.series.def.labels ?? {};
      let cumulative = 0;
      let hdr = 0;
      t.plan.le.forEach((le, j) => {
        const lastIncluded = t.plan.lastHdrBucket[j]!;
        for (; hdr <= lastIncluded; hdr++) cumulative += t.totals[hdr]!;
        values.push({ labels: { ...labels, le }, value: cumulative, metricName: `${this.name}_bucket` });
      });
      let count = cumulative;
      for (; hdr < HISTOGRAM_BUCKETS; hdr++) count += t.totals[hdr]!;
      values.push({ labels: { ...labels, le: '+Inf' }, value: count, metricName: `${this.name}_bucket` });
      values.push({ labels: { ...labels }, value: t.view.sum / 1e9, metricName: `${this.name}_sum` });
      values.push({ labels: { ...labels }, value: count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset(): void {}
}

export class PrometheusExporter {
  readonly register: Registry;
  private readonly counters: CounterTrack[] = [];
  private readonly histograms: HistogramTrack[] = [];
  private readonly counterByKey = new Map<string, CounterTrack>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly region: MetricsRegistry,
    opts: ExporterOptions = {},
  ) {
    this.register = opts.register ?? new Registry();
    const byName = new Map<string, SeriesLayout[]>();
    for (const s of region.descriptor.series) {
      const list = byName.get(s.def.name) ?? [];
      list.push(s);
      byName.set(s.def.name, list);
    }
    for (const [name, list] of byName) this.registerMetric(name, list);
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.register });
    const every = opts.sampleIntervalMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => this.sample(), every);
      this.timer.unref();
    }
  }

  private registerMetric(name: string, list: SeriesLayout[]): void {
    const first = list[0]!.def;
    const labelNames = Object.keys(first.labels ?? {});
    const words = this.region.words;
    const cells = this.region.cells;
    if (first.type === 'counter') {
      const tracks = list.map((s) => new CounterTrack(s, s.offset >> 2));
      for (const t of tracks) {
        t.last = words[t.word]!;
        t.total = t.last;
        this.counterByKey.set(t.series.key, t);
      }
      this.counters.push(...tracks);
      const sample = () => this.sample();
      new PromCounter({
        name,
        help: first.help,
        labelNames,
        registers: [this.register],
        collect() {
          sample();
          for (const t of tracks) {
            const labels = t.series.def.labels ?? {};
            this.inc(labels, t.total - t.exported);
            t.exported = t.total;
          }
        },
      });
    } else if (first.type === 'gauge') {
      new PromGauge({
        name,
        help: first.help,
        labelNames,
        registers: [this.register],
        collect() {
          for (const s of list) this.set(s.def.labels ?? {}, cells[s.offset >> 3]!);
        },
      });
    } else {
      const plan = planPromBuckets(first.buckets ?? DEFAULT_LATENCY_BUCKETS_S);
      const tracks = list.map((s) => {
        const t = new HistogramTrack(s, new LatencyHistogram(this.region.sab, s.offset), plan);
        for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
          t.last[i] = t.view.bucketCount(i);
          t.totals[i] = t.last[i]!;
        }
        return t;
      });
      this.histograms.push(...tracks);
      const metric = new SharedHistogramMetric(name, first.help, tracks, () => this.sample());
      this.register.registerMetric(metric as unknown as PromCounter);
    }
  }

  /** Folds every shared word's change since the last sample into the 64-bit totals. */
  sample(): void {
    const words = this.region.words;
    for (const t of this.counters) {
      const now = words[t.word]!;
      t.total += (now - t.last) >>> 0;
      t.last = now;
    }
    for (const t of this.histograms) {
      for (let i = 0; i < HISTOGRAM_BUCKETS; i++) {
        const now = t.view.bucketCount(i);
        const d = (now - t.last[i]!) >>> 0;
        if (d !== 0) {
          t.totals[i] = t.totals[i]! + d;
          t.last[i] = now;
        }
      }
    }
  }

  /** The 64-bit total of a counter series as of the last sample. */
  counterTotal(name: string, labels?: Readonly<Record<string, string>>): number {
    const t = this.counterByKey.get(seriesKey(name, labels));
    if (!t) throw new MetricsError('METRICS_UNKNOWN_SERIES', `no counter series ${seriesKey(name, labels)}`);
    return t.total;
  }

  /** The Prometheus text exposition (what /metrics serves). */
  metrics(): Promise<string> {
    return this.register.metrics();
  }

  get contentType(): string {
    return this.register.contentType;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
