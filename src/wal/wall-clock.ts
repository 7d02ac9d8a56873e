/**
 * Wall-clock nanoseconds for record timestamps (the shipper stores them as timestamptz),
 * written as an i64 without creating a bigint per record.
 *
 * performance.timeOrigin + performance.now() gives sub-microsecond resolution but is
 * anchored once at start, so it drifts from the system clock as NTP slews it; the
 * offset is re-anchored against Date.now() at most once per second, and a re-anchor
 * never moves a stamp backwards.
 */
import { performance } from 'node:perf_hooks';

const TWO32 = 4294967296;
const REANCHOR_MS = 1000;

export class WallClockNs {
  private offsetMs = performance.timeOrigin;
  private anchoredAt = performance.now();
  private lastMs = 0;

  /** Current wall time in ms (float, ~0.25 µs resolution at today's epoch values). */
  nowMs(): number {
    const mono = performance.now();
    if (mono - this.anchoredAt > REANCHOR_MS) {
      this.anchoredAt = mono;
      this.offsetMs = Date.now() - mono;
    }
    let ms = this.offsetMs + mono;
    if (ms < this.lastMs) ms = this.lastMs;
    this.lastMs = ms;
    return ms;
  }

  /** Writes now as i64 ns, little-endian, at `offset`. */
  write(view: DataView, offset: number): void {
    writeMsAsNs(view, offset, this.nowMs());
  }
}

/**
 * Writes a non-negative float ms as exact-enough i64 ns: ns = sec·1e9 + rem, and
 * sec·1e9 = (sec·1953125)·2^9 with sec·1953125 < 2^53 until the year 2116, so the high
 * and low words come out of exact integer arithmetic.
 */
export function writeMsAsNs(view: DataView, offset: number, ms: number): void {
  const sec = Math.floor(ms / 1000);
  const remNs = Math.min(999_999_999, Math.round((ms - sec * 1000) * 1e6));
  const a = sec * 1953125;
  let hi = Math.floor(a / 8388608);
  let lo = (a - hi * 8388608) * 512 + remNs;
  if (lo >= TWO32) {
    lo -= TWO32;
    hi += 1;
  }
  view.setUint32(offset, lo, true);
  view.setUint32(offset + 4, hi, true);
}
