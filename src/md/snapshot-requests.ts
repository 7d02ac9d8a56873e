/**
 * The md control ring, book worker → io thread: one CONTROL record (kind
 * SNAPSHOT_REQUEST, `code` a ClearReason, `value` the sync's SnapshotReason) per snapshot
 * the book worker wants. Snapshot requests are rare, so the io side does not poll: it
 * parks on the ring's consumer park word with Atomics.waitAsync, and the book worker's
 * commit notifies it (the ring's usual "notify only a parked side" protocol), all
 * without a postMessage.
 */
import { RingStatus } from '../core/ring/status.js';
import type { SpscConsumer } from '../core/ring/spsc-consumer.js';
import type { SpscProducer } from '../core/ring/spsc-producer.js';
import type { SpscRing } from '../core/ring/spsc-ring.js';
import { ClearReason, ControlKind, EventType } from '../core/schema/constants.js';
import { CONTROL } from '../core/schema/offsets.js';
import { SnapshotReason } from '../book/sync/sync-types.js';

/** The schema's ClearReason for each sync SnapshotReason (the detail travels in `value`). */
export function clearReasonOf(reason: number): number {
  switch (reason) {
    case SnapshotReason.INITIAL:
      return ClearReason.INITIAL;
    case SnapshotReason.GAP:
    case SnapshotReason.BUFFER_OVERFLOW:
      return ClearReason.GAP;
    case SnapshotReason.STREAM_RESET:
      return ClearReason.RECONNECT;
    case SnapshotReason.SNAPSHOT_TOO_OLD:
    case SnapshotReason.STALE_STREAM:
    case SnapshotReason.SNAPSHOT_FAILED:
      return ClearReason.STALE;
    default:
      return ClearReason.CHECKSUM;
  }
}

/** Book worker side. Never waits: when the ring is full, requests stay pending and go out on flush(). */
export class SnapshotRequestWriter {
  private readonly producer: SpscProducer;
  private readonly u8: Uint8Array;
  private readonly u16: Uint16Array;
  private readonly u32: Uint32Array;
  /** SnapshotReason + 1 per instrument id still to send (0 = none). */
  private readonly pending: Uint8Array;
  private pendingCount = 0;
  private nextRequestId = 1;

  constructor(ring: SpscRing, maxInstrumentId: number) {
    this.producer = ring.producer('spin');
    this.u8 = new Uint8Array(ring.buffer);
    this.u16 = new Uint16Array(ring.buffer);
    this.u32 = new Uint32Array(ring.buffer);
    this.pending = new Uint8Array(maxInstrumentId + 1);
  }

  request(instrument: number, reason: number): void {
    if (this.pending[instrument] === 0) this.pendingCount++;
    this.pending[instrument] = reason + 1;
    this.flush();
  }

  /** Sends what is pending; the number still pending (the io thread is behind). */
  flush(): number {
    if (this.pendingCount === 0) return 0;
    const p = this.pending;
    let wrote = false;
    for (let id = 1; id < p.length && this.pendingCount > 0; id++) {
      const r = p[id]!;
      if (r === 0) continue;
      const at = this.producer.tryClaim();
      if (at < 0) break;
      this.write(at, id, r - 1);
      p[id] = 0;
      this.pendingCount--;
      wrote = true;
    }
    if (wrote) this.producer.commit();
    return this.pendingCount;
  }

  private write(at: number, instrument: number, reason: number): void {
    this.u32.fill(0, at >> 2, (at + 64) >> 2);
    this.u8[at + CONTROL.type] = EventType.CONTROL;
    this.u8[at + CONTROL.kind] = ControlKind.SNAPSHOT_REQUEST;
    this.u32[(at + CONTROL.instrument) >> 2] = instrument;
    this.u32[(at + CONTROL.code) >> 2] = clearReasonOf(reason);
    this.u32[(at + CONTROL.requestId) >> 2] = this.nextRequestId++;
    this.u32[(at + CONTROL.value) >> 2] = reason;
    this.u16[(at + CONTROL.flags) >> 1] = 0;
  }
}

/** What the io side is handed per request. */
export type SnapshotRequestHandler = (instrument: number, snapshotReason: number) => void;

type WaitAsync = (
  typedArray: Int32Array,
  index: number,
  value: number,
  timeoutMs?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** io side: drains requests and parks asynchronously (the event loop keeps running) while there are none. */
export class SnapshotRequestReader {
  private readonly u8: Uint8Array;
  private readonly u32: Uint32Array;
  private handler: SnapshotRequestHandler = () => {};
  private readonly onRecord = (_view: DataView, at: number): void => {
    if (this.u8[at + CONTROL.type] !== EventType.CONTROL || this.u8[at + CONTROL.kind] !== ControlKind.SNAPSHOT_REQUEST) return;
    this.handler(this.u32[(at + CONTROL.instrument) >> 2]!, this.u32[(at + CONTROL.value) >> 2]!);
  };

  constructor(
    ring: SpscRing,
    private readonly consumer: SpscConsumer = ring.consumer('block'),
  ) {
    this.u8 = new Uint8Array(ring.buffer);
    this.u32 = new Uint32Array(ring.buffer);
  }

  /** Hands every waiting request to `handler`; returns how many, or RingStatus.CLOSED. */
  drain(handler: SnapshotRequestHandler): number {
    this.handler = handler;
    return this.consumer.poll(this.onRecord);
  }

  /**
   * Resolves when a request may be waiting, the ring closed, or `timeoutMs` passed.
   * Park protocol of wait-strategy.ts, with waitAsync in place of Atomics.wait.
   */
  async wait(timeoutMs: number): Promise<void> {
    const c = this.consumer;
    const w = c.words;
    Atomics.store(w, c.parkIndex, 1);
    if (c.ready()) {
      Atomics.store(w, c.parkIndex, 0);
      return;
    }
    const r = waitAsync(w, c.parkIndex, 1, timeoutMs);
    if (r.async) await r.value;
    Atomics.store(w, c.parkIndex, 0);
  }

  /** Requests until the ring closes: calls `handler` for each, parking between bursts. */
  async run(handler: SnapshotRequestHandler, isStopped: () => boolean, parkTimeoutMs = 1000): Promise<void> {
    while (!isStopped()) {
      const n = this.drain(handler);
      if (n === RingStatus.CLOSED) return;
      if (n === 0) await this.wait(parkTimeoutMs);
    }
  }
}
