/**
 * Wall-clock nanoseconds for record timestamps (the shipper stores them as timestamptz),
 * written as an i64 into the record header.
 *
 * Every JS clock read in Node 20 (Date.now, performance.now, process.hrtime) allocates,
 * which an append must not, so the stamp comes from the addon (walStampRealtime:
 * CLOCK_REALTIME, written in place, ~0.1 µs). Without the addon the fallback is
 * performance.timeOrigin + performance.now(), re-anchored on Date.now() once a second
 * (never backwards) — correct, but it allocates a little per record.
 * CLOCK_REALTIME can step back under NTP; order records by seq, never by ts.
 */
import { performance } from 'node:perf_hooks';
import { tryNative } from '../native/load-addon.js';

const TWO32 = 4294967296;
const REANCHOR_MS = 1000;

const loaded = tryNative();
const nativeStamp = loaded.addon !== null && typeof loaded.addon.walStampRealtime === 'function' ? loaded.addon.walStampRealtime : null;

/** Whether stamps come from the allocation-free native clock. */
export const nativeWallClock = nativeStamp !== null;

export class WallClockNs {
  private offsetMs = performance.timeOrigin;
  private anchoredAt = performance.now();
  private lastMs = 0;

  constructor(private readonly useNative = nativeStamp !== null) {}

  /** Writes now as i64 ns, little-endian, at `offset` of `bytes` (`view` covers the same memory). */
  write(bytes: Uint8Array, view: DataView, offset: number): void {
    if (this.useNative) nativeStamp!(bytes, offset);
    else writeMsAsNs(view, offset, this.nowMs());
  }

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
