/**
 * The writer's side of the append ring: claim space for an entry, fill it, commit.
 * The consumer position is cached and re-read only when the cached view says the ring
 * is full, so an append costs one atomic store (the commit) and no atomic load.
 */
import { AppendRing, Ctl, PAD_MARKER } from './append-ring.js';

export class RingProducer {
  private pos: number;
  private cachedRead: number;

  constructor(
    readonly ring: AppendRing,
    /** Called when `need` bytes are not free; returns once they are, or throws. */
    private readonly waitForSpace: (need: number) => void,
  ) {
    this.pos = Atomics.load(ring.ctl, Ctl.WRITE_POS) >>> 0;
    this.cachedRead = Atomics.load(ring.ctl, Ctl.READ_POS) >>> 0;
  }

  /** Bytes free for the writer, re-reading the consumer position. */
  free(): number {
    this.cachedRead = Atomics.load(this.ring.ctl, Ctl.READ_POS) >>> 0;
    return this.ring.capacity - ((this.pos - this.cachedRead) >>> 0);
  }

  /**
   * Data index where `size` contiguous bytes may be written. Writes a PAD marker first
   * when the entry would cross the end of the data; nothing is visible until commit().
   */
  claim(size: number): number {
    const ring = this.ring;
    let idx = this.pos & ring.mask;
    const toEnd = ring.capacity - idx;
    const need = size <= toEnd ? size : toEnd + size;
    if (ring.capacity - ((this.pos - this.cachedRead) >>> 0) < need && this.free() < need) {
      this.waitForSpace(need);
    }
    if (size > toEnd) {
      ring.view.setUint32(idx, PAD_MARKER, true);
      this.pos = (this.pos + toEnd) >>> 0;
      idx = 0;
    }
    return idx;
  }

  /** Publishes the claimed entry (and any PAD before it) to the flusher. */
  commit(size: number): void {
    this.pos = (this.pos + size) >>> 0;
    Atomics.store(this.ring.ctl, Ctl.WRITE_POS, this.pos | 0);
  }
}
