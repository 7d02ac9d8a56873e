/**
 * User-data delivery: events queued per account while a request or a book batch is in
 * progress, then handed to that account's subscribers in order. Each subscriber wraps
 * the event its own way (the WebSocket API as {"subscriptionId":N,"event":{…}}).
 *
 * Holding and flushing is explicit so order entry decides whether a reply or its
 * execution reports go out first (the exec-before-ack fault flips it).
 */
export interface UserEventSink {
  /** Delivers one event object; returns false when the subscriber is gone. */
  deliver(event: Record<string, unknown>): boolean;
}

/** Most events one account may have queued; beyond it the oldest are dropped (and counted). */
const MAX_QUEUED = 100_000;

export class UserStreams {
  private readonly sinks = new Map<string, Set<UserEventSink>>();
  private readonly queue: { account: string; event: Record<string, unknown> }[] = [];
  dropped = 0;
  delivered = 0;

  subscribe(account: string, sink: UserEventSink): () => void {
    let set = this.sinks.get(account);
    if (!set) {
      set = new Set();
      this.sinks.set(account, set);
    }
    set.add(sink);
    return () => {
      const s = this.sinks.get(account);
      if (!s) return;
      s.delete(sink);
      if (s.size === 0) this.sinks.delete(account);
    };
  }

  subscriberCount(account: string): number {
    return this.sinks.get(account)?.size ?? 0;
  }

  /** Queues an event; nothing is sent until flush(). */
  push(account: string, event: Record<string, unknown>): void {
    if (!this.sinks.has(account)) return;
    if (this.queue.length >= MAX_QUEUED) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push({ account, event });
  }

  flush(): void {
    if (this.queue.length === 0) return;
    // Sinks may trigger more events while delivering; bound the loop by the queue length now.
    const n = this.queue.length;
    const batch = this.queue.splice(0, n);
    for (const { account, event } of batch) {
      const set = this.sinks.get(account);
      if (!set) continue;
      for (const sink of [...set]) {
        if (sink.deliver(event)) this.delivered++;
        else set.delete(sink);
      }
    }
  }

  pendingCount(): number {
    return this.queue.length;
  }
}
