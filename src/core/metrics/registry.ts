/**
 * The shared metrics region: created once on the main thread from the declared
 * definitions, handed to worker threads as a SharedArrayBuffer, attached there. Each
 * thread asks for its handles by name at start-up; recording through them allocates
 * nothing and sends no message.
 *
 *   main:   const metrics = MetricsRegistry.create(DEFINITIONS);
 *           new Worker(url, { workerData: { metricsSab: metrics.sab } });
 *   worker: const metrics = MetricsRegistry.attach(workerData.metricsSab, DEFINITIONS, { writer: 'book' });
 *           const applied = metrics.counter('veloz_book_updates_total');   // once
 *           applied.inc();                                                // per event
 */
import { LatencyHistogram } from './histogram.js';
import { ANY_WRITER, MetricsError, seriesKey, type MetricDefinition, type MetricType } from './definitions.js';
import {
  HEADER,
  METRICS_MAGIC,
  METRICS_VERSION,
  SharedMetricsDescriptor,
  type SeriesLayout,
} from './descriptor.js';
import { Counter, Gauge, SharedCounter } from './handles.js';

export interface AttachOptions {
  /**
   * The role of the attaching thread. When given, handles of series written by another
   * role are refused (METRICS_WRONG_WRITER), which keeps every series single-writer.
   */
  writer?: string;
}

export class MetricsRegistry {
  readonly sab: SharedArrayBuffer;
  readonly descriptor: SharedMetricsDescriptor;
  readonly definitions: readonly MetricDefinition[];
  readonly writer: string | undefined;
  /** Whole-region views, for handles and the exporter. */
  readonly words: Uint32Array;
  readonly cells: Float64Array;
  private readonly histograms = new Map<string, LatencyHistogram>();

  private constructor(sab: SharedArrayBuffer, descriptor: SharedMetricsDescriptor, definitions: readonly MetricDefinition[], writer?: string) {
    this.sab = sab;
    this.descriptor = descriptor;
    this.definitions = definitions;
    this.writer = writer;
    this.words = new Uint32Array(sab);
    this.cells = new Float64Array(sab);
  }

  /** Lays out and allocates the region (main thread). */
  static create(definitions: readonly MetricDefinition[]): MetricsRegistry {
    const d = new SharedMetricsDescriptor(definitions);
    const sab = new SharedArrayBuffer(d.totalBytes);
    const header = new Uint32Array(sab, 0, 16);
    header[HEADER.MAGIC] = METRICS_MAGIC;
    header[HEADER.VERSION] = METRICS_VERSION;
    header[HEADER.HASH] = d.hash;
    header[HEADER.SERIES] = d.series.length;
    header[HEADER.BYTES] = d.totalBytes;
    return new MetricsRegistry(sab, d, definitions);
  }

  /** Attaches to a region created elsewhere; the definitions must be the creator's. */
  static attach(sab: SharedArrayBuffer, definitions: readonly MetricDefinition[], opts: AttachOptions = {}): MetricsRegistry {
    if (!(sab instanceof SharedArrayBuffer) || sab.byteLength < 64) {
      throw new MetricsError('METRICS_LAYOUT_MISMATCH', 'metrics attach needs the SharedArrayBuffer from MetricsRegistry.create');
    }
    const d = new SharedMetricsDescriptor(definitions);
    const header = new Uint32Array(sab, 0, 16);
    const problems: string[] = [];
    if (header[HEADER.MAGIC] !== METRICS_MAGIC) problems.push('bad magic');
    if (header[HEADER.VERSION] !== METRICS_VERSION) problems.push(`version ${header[HEADER.VERSION]} ≠ ${METRICS_VERSION}`);
    if (header[HEADER.HASH] !== d.hash) problems.push(`layout hash ${header[HEADER.HASH]} ≠ ${d.hash}`);
    if (sab.byteLength !== d.totalBytes) problems.push(`${sab.byteLength} bytes ≠ ${d.totalBytes}`);
    if (problems.length > 0) {
      throw new MetricsError(
        'METRICS_LAYOUT_MISMATCH',
        `metrics region does not match these definitions (${problems.join(', ')}): attach with the creator's definitions`,
      );
    }
    return new MetricsRegistry(sab, d, definitions, opts.writer);
  }

  private series(name: string, labels: Readonly<Record<string, string>> | undefined, type: MetricType): SeriesLayout {
    const s = this.descriptor.find(name, labels);
    if (!s) throw new MetricsError('METRICS_UNKNOWN_SERIES', `no metric series ${seriesKey(name, labels)} is defined`);
    if (s.def.type !== type) throw new MetricsError('METRICS_WRONG_TYPE', `${s.key} is a ${s.def.type}, not a ${type}`);
    if (this.writer !== undefined && s.def.writer !== ANY_WRITER && s.def.writer !== this.writer) {
      throw new MetricsError('METRICS_WRONG_WRITER', `${s.key} is written by "${s.def.writer}", this thread is "${this.writer}"`);
    }
    return s;
  }

  counter(name: string, labels?: Readonly<Record<string, string>>): Counter | SharedCounter {
    const s = this.series(name, labels, 'counter');
    return s.def.writer === ANY_WRITER ? new SharedCounter(this.words, s.offset >> 2) : new Counter(this.words, s.offset >> 2);
  }

  gauge(name: string, labels?: Readonly<Record<string, string>>): Gauge {
    const s = this.series(name, labels, 'gauge');
    return new Gauge(this.cells, s.offset >> 3);
  }

  /** The histogram of a series (ns values; one instance per series and thread). */
  histogram(name: string, labels?: Readonly<Record<string, string>>): LatencyHistogram {
    const s = this.series(name, labels, 'histogram');
    let h = this.histograms.get(s.key);
    if (!h) {
      h = new LatencyHistogram(this.sab, s.offset);
      this.histograms.set(s.key, h);
    }
    return h;
  }
}
