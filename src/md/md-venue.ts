/**
 * What the market-data pipeline needs from a venue adapter, on the io thread: raw frames
 * with their receive stamps, which books a lost connection invalidates, raw snapshot
 * bodies on request, and a decoder that writes both straight into md ring slots. The
 * pipeline never parses venue bytes itself; the adapter (src/venues/<venue>/) owns the
 * protocol, the pipeline owns rings, threads, books and retries.
 */

/** Where one decode call may write: slot i of the message goes to ((startPos + i) & mask). */
export interface MdRingGeometry {
  readonly dataOffset: number;
  /** Always 64. */
  readonly slotBytes: number;
  readonly mask: number;
  readonly startPos: number;
  readonly freeSlots: number;
}

/**
 * A venue decoder writing 64-byte md events (src/core/schema) into ring slots. Returns
 * the slots written (>= 0), `needSpace` with `result.slots` = slots needed (nothing
 * written), or another negative status (the frame is bad; nothing written).
 */
export interface MdFrameDecoder {
  readonly result: { readonly slots: number };
  decodeInto(frame: Uint8Array, recvTimeNs: bigint | number, out: SharedArrayBuffer, ring: MdRingGeometry): number;
  decodeSnapshotInto(body: Uint8Array, instrumentId: number, recvTimeNs: bigint | number, out: SharedArrayBuffer, ring: MdRingGeometry): number;
}

/** The book sync rules the book worker applies to this venue's depth stream. */
export type MdSyncKind = 'binance-spot' | 'binance-usdm';

/** What the io side hears from the venue adapter. Calls must not throw. */
export interface MdVenueSink {
  frame(frame: Buffer, recvNs: bigint): void;
  /** Frames of these instruments' depth streams may have been lost: their books must be rebuilt. */
  interrupted(instrumentIds: readonly number[], reason: string): void;
}

export interface MdVenue {
  /** Label of metrics and logs, e.g. 'binance' or 'binance-usdm'. */
  readonly name: string;
  readonly syncKind: MdSyncKind;
  readonly decoder: MdFrameDecoder;
  /** 'native' or 'ts', and why the TS twin was chosen when it was. */
  readonly decoderImplementation: string;
  /** The status a decode call returns when the message does not fit the free slots. */
  readonly needSpaceStatus: number;
  /** Stable name of a negative decode status (for metrics). */
  statusName(status: number): string;
  /** Slots the largest snapshot this adapter fetches can need (the md ring must hold it). */
  readonly maxSnapshotSlots: number;
  start(sink: MdVenueSink): void;
  stop(): Promise<void>;
  /** The raw body of a depth snapshot of `instrumentId`; rejects on failure (the caller retries). */
  fetchSnapshot(instrumentId: number): Promise<Buffer>;
  /** Venue-side counters (connections, REST gate), for status pages and tests. */
  counters(): Record<string, number>;
}
