/**
 * One market-data WebSocket connection as the publisher sees it: its subscriptions, the
 * frames queued since the last flush, and the faults armed on it. The socket itself is
 * behind FrameSocket (a uWS WebSocket fits), so the publisher can be driven in-process.
 */
import type { StreamFaultKind } from '../faults.js';

export interface FrameSocket {
  /** 1 sent, 0 sent but buffered (backpressure), 2 dropped. */
  send(frame: string | Uint8Array): number;
  cork(cb: () => void): unknown;
  getBufferedAmount(): number;
  end(code?: number, reason?: string): void;
  close(): void;
}

export interface ConnFault {
  kind: StreamFaultKind;
  left: number;
  stream: string | undefined;
}

export type CloseReason = 'client' | 'drop' | 'pongTimeout' | 'lifetime' | 'backpressure' | 'shutdown' | 'rateLimit' | 'stallOverflow';

/** Frames a stalled connection may hold before it is closed as a slow consumer. */
export const MAX_HELD_FRAMES = 500_000;

export class MdConnection {
  combined: boolean;
  readonly streams = new Set<string>();
  /** Frames waiting for the next flush (or the end of a stall). */
  pending: (string | Uint8Array)[] = [];
  dirty = false;
  stalledUntil = 0;
  faults: ConnFault[] | null = null;
  /** reorder: a diff held back to be sent after the next one. */
  held: string | null = null;
  heldStream = '';
  closed = false;
  backpressured = false;
  /** Payload of the last ping we sent and not yet answered, '' when none. */
  pingPayload = '';
  pingSentMs = 0;
  /** Incoming-message rate limiting: window start and count. */
  rateWindowMs = 0;
  rateCount = 0;
  framesSent = 0;

  constructor(
    readonly id: number,
    readonly socket: FrameSocket,
    readonly path: string,
    combined: boolean,
    readonly openedMs: number,
  ) {
    this.combined = combined;
  }

  matches(streamFilter: string | undefined): boolean {
    if (streamFilter === undefined) return true;
    for (const s of this.streams) if (s.includes(streamFilter)) return true;
    return false;
  }

  addFault(kind: StreamFaultKind, count: number, stream: string | undefined): void {
    (this.faults ??= []).push({ kind, left: count, stream });
  }

  /** Uses one count of an armed fault of `kind` that applies to `stream`; true if one fired. */
  takeFault(kind: StreamFaultKind, stream: string): boolean {
    const list = this.faults;
    if (!list) return false;
    for (let i = 0; i < list.length; i++) {
      const f = list[i] as ConnFault;
      if (f.kind !== kind || (f.stream !== undefined && !stream.includes(f.stream))) continue;
      if (--f.left <= 0) list.splice(i, 1);
      if (list.length === 0) this.faults = null;
      return true;
    }
    return false;
  }
}
