/**
 * One published stream: a channel plus a key (e.g. book "sim:BTCUSDT:10"). A conflating
 * topic keeps only its latest message (books, PnL: only the current state matters); a
 * queueing topic keeps every message since the last flush, up to a bound (trades,
 * orders), dropping the oldest beyond it.
 */
import type { PushChannelName } from '../../core/metrics/engine-metrics.js';
import type { PushClient } from './push-client.js';

export class Topic {
  readonly subscribers = new Set<PushClient>();
  /** Conflating: the latest message (kept after the flush, as a snapshot for new subscribers). */
  latest: Uint8Array | null = null;
  /** Queueing: messages published since the last cycle began. */
  queue: Uint8Array[] = [];
  /** What the running fan-out cycle sends: [latest] or the queue as it was when the cycle began. */
  sending: Uint8Array[] = [];
  dirty = false;
  published = 0;
  /** The subscription name clients see: "<channel>:<key>". */
  readonly sub: string;

  constructor(
    readonly channel: PushChannelName,
    readonly key: string,
    readonly conflate: boolean,
  ) {
    this.sub = `${channel}:${key}`;
  }

  /** A fan-out cycle begins: freeze what it sends, so publishes meanwhile go to the next one. */
  snapshot(): void {
    if (this.conflate) {
      this.sending.length = 0;
      this.sending.push(this.latest!);
    } else {
      const q = this.queue;
      this.queue = this.sending;
      this.sending = q;
    }
  }

  release(): void {
    this.sending.length = 0;
  }
}
