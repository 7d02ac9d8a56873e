/**
 * What the oms writes to the WAL, one record type per fact, so that replaying the log
 * through the OrderManager rebuilds every order, position and id counter:
 *
 *   ORDER_NEW      the accepted intent slot (64 B); the record's seq is the order's seq
 *   CANCEL_SENT    u64 order seq: a cancel request for that order is about to go out
 *   EXEC_REPORT    the ExecReport slot as received from the io thread (128 B)
 *   TIMEOUT        u64 order seq: a request went unanswered (or a restart found it pending)
 *
 * A NEW is journaled *before* its command may leave (its seq is the client order id);
 * reports are journaled when they arrive, before they change any state.
 */
export const JournalType = {
  ORDER_NEW: 1,
  CANCEL_SENT: 2,
  EXEC_REPORT: 3,
  TIMEOUT: 4,
} as const;

export const INTENT_PAYLOAD_BYTES = 64;
export const EXEC_PAYLOAD_BYTES = 128;

/** Reusable 8-byte payload for the seq-only records. */
export class SeqPayload {
  readonly bytes = new Uint8Array(8);
  private readonly view = new DataView(this.bytes.buffer);

  of(seq: number): Uint8Array {
    this.view.setUint32(0, seq % 4294967296, true);
    this.view.setUint32(4, Math.floor(seq / 4294967296), true);
    return this.bytes;
  }

  static read(payload: Uint8Array): number {
    const v = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    return v.getUint32(4, true) * 4294967296 + v.getUint32(0, true);
  }
}
