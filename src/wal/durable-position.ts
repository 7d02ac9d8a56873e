/**
 * The durable position: seq of the last record known to be on disk (fsynced, or for
 * fsync 'none' handed to the kernel). One writer (whoever syncs) publishes it; any
 * thread reads it — the shipper ships nothing above it, so a power loss can never take
 * away a record Postgres already has.
 *
 *   bytes 0..4   Int32 epoch, bumped (atomically) after each publish
 *   bytes 8..16  Float64 durable seq (exact integer below 2^53)
 *
 * The seq is stored plainly and the epoch bumped with Atomics.add afterwards; a reader
 * loads the epoch atomically first, so it sees a seq at least as new as that epoch.
 * An aligned 8-byte store is not torn on x86-64 or arm64.
 */
export class DurablePosition {
  static readonly BYTES = 64;
  readonly sab: SharedArrayBuffer;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;

  private constructor(sab: SharedArrayBuffer) {
    if (sab.byteLength < DurablePosition.BYTES) throw new RangeError(`durable position needs ${DurablePosition.BYTES} bytes, got ${sab.byteLength}`);
    this.sab = sab;
    this.i32 = new Int32Array(sab, 0, 2);
    this.f64 = new Float64Array(sab, 8, 1);
  }

  static create(initialSeq: number): DurablePosition {
    const p = new DurablePosition(new SharedArrayBuffer(DurablePosition.BYTES));
    p.publish(initialSeq);
    return p;
  }

  /** A view of a position another thread publishes. */
  static attach(sab: SharedArrayBuffer): DurablePosition {
    return new DurablePosition(sab);
  }

  get seq(): number {
    Atomics.load(this.i32, 0);
    return this.f64[0]!;
  }

  get epoch(): number {
    return Atomics.load(this.i32, 0);
  }

  publish(seq: number): void {
    this.f64[0] = seq;
    Atomics.add(this.i32, 0, 1);
  }
}
