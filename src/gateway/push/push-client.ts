/**
 * One connected push client: its socket, its subscriptions and its delivery counters.
 * Everything a flush needs per client is preallocated here (the pending list, the corked
 * send callback), so fanning an update out allocates nothing per client.
 */
import type { PushDisconnectReason } from '../../core/metrics/engine-metrics.js';
import type { Topic } from './topic.js';

/** What the hub needs of a socket (uWS WebSocket has all of it). */
export interface PushSocket {
  /** 1 sent, 0 sent but buffered (backpressure), 2 dropped: over maxBackpressure. */
  send(message: Uint8Array | string, isBinary?: boolean): number;
  getBufferedAmount(): number;
  cork(cb: () => void): unknown;
  end(code?: number, shortMessage?: string): void;
  close(): void;
}

export interface PushClientStats {
  id: number;
  remoteAddress: string;
  connectedAtMs: number;
  subscriptions: string[];
  sent: number;
  dropped: number;
  consecutiveDrops: number;
  bufferedBytes: number;
  maxBufferedBytes: number;
}

export class PushClient {
  readonly subs = new Map<string, Topic>();
  sent = 0;
  dropped = 0;
  /** Drops since the last message this client was sent; against the drop budget. */
  consecutiveDrops = 0;
  bufferedBytes = 0;
  maxBufferedBytes = 0;
  protocolErrors = 0;
  closed = false;
  closeReason: PushDisconnectReason | null = null;
  /** Topics with something for this client in the current flush. */
  readonly pending: Topic[] = [];
  inFlush = false;
  /** A send since the last check did not go straight out: uWS holds bytes for this client. */
  backlogged = false;
  /** Conflating topics whose latest message this client missed: resent on drain. */
  missed: Set<Topic> | null = null;
  /** Set by the hub: sends `pending` (called directly or inside socket.cork). */
  sendPending: () => void = () => {};

  constructor(
    readonly id: number,
    readonly socket: PushSocket,
    readonly remoteAddress: string,
    readonly connectedAtMs: number,
  ) {}

  stats(): PushClientStats {
    return {
      id: this.id,
      remoteAddress: this.remoteAddress,
      connectedAtMs: this.connectedAtMs,
      subscriptions: [...this.subs.keys()],
      sent: this.sent,
      dropped: this.dropped,
      consecutiveDrops: this.consecutiveDrops,
      bufferedBytes: this.bufferedBytes,
      maxBufferedBytes: this.maxBufferedBytes,
    };
  }
}
