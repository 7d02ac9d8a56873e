/**
 * Maps Prometheus bucket bounds (seconds) onto the HDR buckets of LatencyHistogram.
 * A Prometheus bucket counts values ≤ le; the HDR histogram can only answer that exactly
 * at its own bucket edges, so each requested bound is snapped down to the upper bound of
 * the last HDR bucket that lies wholly below it, and that exact bound is what is
 * exported (e.g. 1 µs → le 9.99e-7: every integer ns value ≤ 999). The snap is at most
 * one HDR bucket (< 1.6 % of the bound).
 */
import { HISTOGRAM_BUCKETS, bucketIndex, bucketUpperBound } from './histogram.js';

export interface PromBucketPlan {
  /** Exported upper bounds, seconds, increasing. */
  readonly le: readonly number[];
  /** For each bound, the last HDR bucket index it includes. */
  readonly lastHdrBucket: readonly number[];
}

/** The highest HDR bucket a bound may end on: the top bucket also holds clamped values. */
const LAST_EXACT_BUCKET = HISTOGRAM_BUCKETS - 2;

export function planPromBuckets(boundsS: readonly number[]): PromBucketPlan {
  const le: number[] = [];
  const last: number[] = [];
  for (const s of boundsS) {
    const ns = Math.round(s * 1e9);
    if (ns < 1) continue;
    const b = bucketIndex(ns);
    let k = bucketUpperBound(b) <= ns ? b : b - 1;
    if (k > LAST_EXACT_BUCKET) k = LAST_EXACT_BUCKET;
    if (last.length > 0 && k <= last[last.length - 1]!) continue;
    le.push(bucketUpperBound(k) / 1e9);
    last.push(k);
  }
  return { le, lastHdrBucket: last };
}
