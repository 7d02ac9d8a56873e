/**
 * The ring between the writer (oms thread) and the flusher. It holds records already in
 * their on-disk format, so the flusher hands ring bytes straight to write(2).
 *
 *   SharedArrayBuffer:
 *   +--------------------------------------------+--------------------------------+
 *   | control: Int32 words, one per 64-byte line | data: `capacity` bytes (2^k)   |
 *   +--------------------------------------------+--------------------------------+
 *
 *   WRITE_POS       writer publishes bytes written (u32, wraps; index = pos & mask)
 *   READ_POS        flusher publishes bytes consumed (handed to the kernel)
 *   STATE           flusher: RUNNING | PARKED_IDLE | PARKED_DELAY | WAKING
 *   NUDGE           bumped by whoever wakes the flusher, which waits on this word
 *   STOP            writer: 1 = drain, sync, exit
 *   WANT_DURABLE    writer: 1 = post a message whenever the durable seq advances
 *   ERROR           flusher: 1 = failed (details arrive by message)
 *   WRITER_WAITING  writer: 1 = parked for space; the flusher then notifies READ_POS
 *   FLUSH_NOW       writer: 1 = end the batch delay now (flush()); the flusher clears it
 *
 * Entries never wrap: one that does not fit before the end of the data is preceded by a
 * PAD marker and starts at index 0. A ROLL marker — [u32 ROLL][u32 0][u64 base seq] —
 * tells the flusher to seal the segment and start a new one before the next record.
 * Markers use length values no record can have (> MAX_PAYLOAD_BYTES).
 */

export const LINE_WORDS = 16;
export const Ctl = {
  WRITE_POS: 0,
  READ_POS: LINE_WORDS,
  STATE: 2 * LINE_WORDS,
  NUDGE: 3 * LINE_WORDS,
  STOP: 4 * LINE_WORDS,
  WANT_DURABLE: 5 * LINE_WORDS,
  ERROR: 6 * LINE_WORDS,
  WRITER_WAITING: 7 * LINE_WORDS,
  FLUSH_NOW: 8 * LINE_WORDS,
} as const;
export const CONTROL_BYTES = 16 * LINE_WORDS * 4;

export const FlusherState = {
  RUNNING: 0,
  PARKED_IDLE: 1,
  PARKED_DELAY: 2,
  WAKING: 3,
} as const;

export const PAD_MARKER = 0xffffffff;
export const ROLL_MARKER = 0xfffffffe;
export const ROLL_BYTES = 16;

export const MIN_RING_BYTES = 64 * 1024;
export const MAX_RING_BYTES = 1 << 30;

export class AppendRing {
  readonly sab: SharedArrayBuffer;
  readonly ctl: Int32Array;
  readonly data: Uint8Array;
  readonly view: DataView;
  readonly capacity: number;
  readonly mask: number;

  constructor(sab: SharedArrayBuffer) {
    const capacity = sab.byteLength - CONTROL_BYTES;
    if (capacity < MIN_RING_BYTES || capacity > MAX_RING_BYTES || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`append ring capacity ${capacity} is not a power of two in ${MIN_RING_BYTES}..${MAX_RING_BYTES}`);
    }
    this.sab = sab;
    this.ctl = new Int32Array(sab, 0, CONTROL_BYTES / 4);
    this.data = new Uint8Array(sab, CONTROL_BYTES, capacity);
    this.view = new DataView(sab, CONTROL_BYTES, capacity);
    this.capacity = capacity;
    this.mask = capacity - 1;
  }

  static create(capacity: number): AppendRing {
    return new AppendRing(new SharedArrayBuffer(CONTROL_BYTES + capacity));
  }

  /** Bytes published and not yet consumed, as seen now. */
  pending(): number {
    return (Atomics.load(this.ctl, Ctl.WRITE_POS) - Atomics.load(this.ctl, Ctl.READ_POS)) >>> 0;
  }

  /** Wakes the flusher if it is parked; `force` wakes it whatever it is doing (stop). */
  nudge(force: boolean): void {
    const ctl = this.ctl;
    if (!force) {
      const st = Atomics.load(ctl, Ctl.STATE);
      if (st !== FlusherState.PARKED_IDLE && st !== FlusherState.PARKED_DELAY) return;
      // One notify per park: only the thread that wins the exchange pays for it.
      if (Atomics.compareExchange(ctl, Ctl.STATE, st, FlusherState.WAKING) !== st) return;
    }
    Atomics.add(ctl, Ctl.NUDGE, 1);
    Atomics.notify(ctl, Ctl.NUDGE);
  }
}
