/**
 * Owns every offset of the shared metrics region. Both sides (the thread that creates the
 * region and every thread that attaches) compute the same layout from the same
 * definitions; the header's hash proves they did.
 *
 *   line 0            header: magic, version, layout hash, series count, total bytes
 *   writer "book"     cells, 8 bytes each (counter: u32 in the low word; gauge: f64),
 *                     from a fresh cache line, so no two writers share a line
 *   writer "oms"      …
 *   writer "*"        one cache line per multi-writer counter (Atomics.add)
 *   histograms        one LatencyHistogram each, from a fresh cache line
 *
 * Writers are laid out in name order and series in definition order within a writer.
 */
import { HISTOGRAM_BYTES } from './histogram.js';
import { ANY_WRITER, seriesKey, validateDefinitions, type MetricDefinition } from './definitions.js';

export const LINE_BYTES = 64;
export const CELL_BYTES = 8;
export const HEADER_BYTES = LINE_BYTES;
export const METRICS_MAGIC = 0x544d5a56; // "VZMT" little-endian
export const METRICS_VERSION = 1;

/** Header words (Uint32 index). */
export const HEADER = { MAGIC: 0, VERSION: 1, HASH: 2, SERIES: 3, BYTES: 4 } as const;

export interface SeriesLayout {
  readonly key: string;
  readonly index: number;
  readonly def: MetricDefinition;
  /** Byte offset of the cell (counter/gauge) or of the histogram. */
  readonly offset: number;
  readonly bytes: number;
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class SharedMetricsDescriptor {
  readonly series: readonly SeriesLayout[];
  readonly totalBytes: number;
  readonly hash: number;
  private readonly byKey: Map<string, SeriesLayout>;

  constructor(definitions: readonly MetricDefinition[]) {
    validateDefinitions(definitions);
    const placed = new Array<SeriesLayout>(definitions.length);
    let at = HEADER_BYTES;
    const place = (i: number, offset: number, bytes: number) => {
      const def = definitions[i]!;
      placed[i] = { key: seriesKey(def.name, def.labels), index: i, def, offset, bytes };
    };

    const cellWriters = [...new Set(definitions.filter((d) => d.type !== 'histogram' && d.writer !== ANY_WRITER).map((d) => d.writer))].sort();
    for (const writer of cellWriters) {
      at = roundUp(at, LINE_BYTES);
      definitions.forEach((d, i) => {
        if (d.type !== 'histogram' && d.writer === writer) {
          place(i, at, CELL_BYTES);
          at += CELL_BYTES;
        }
      });
    }
    definitions.forEach((d, i) => {
      if (d.writer === ANY_WRITER) {
        at = roundUp(at, LINE_BYTES);
        place(i, at, LINE_BYTES);
        at += LINE_BYTES;
      }
    });
    definitions.forEach((d, i) => {
      if (d.type === 'histogram') {
        at = roundUp(at, LINE_BYTES);
        const bytes = roundUp(HISTOGRAM_BYTES, LINE_BYTES);
        place(i, at, bytes);
        at += bytes;
      }
    });

    this.series = placed;
    this.totalBytes = roundUp(at, LINE_BYTES);
    this.byKey = new Map(placed.map((s) => [s.key, s]));
    const canonical = placed.map((s) => `${s.key}|${s.def.type}|${s.def.writer}|${s.def.unit ?? ''}|${s.offset}|${s.bytes}|${(s.def.buckets ?? []).join(',')}|${s.def.help}`);
    this.hash = fnv1a(`v${METRICS_VERSION};${this.totalBytes};${canonical.join(';')}`);
  }

  find(name: string, labels?: Readonly<Record<string, string>>): SeriesLayout | undefined {
    return this.byKey.get(seriesKey(name, labels));
  }
}
