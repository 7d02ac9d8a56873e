/**
 * Fan-out of engine updates to push clients, on the io thread.
 *
 * publish(channel, key, payload) is O(1): it stores the payload on its topic (the latest
 * one for conflating channels, appended to a bounded queue otherwise), marks the topic
 * dirty and schedules a fan-out (setImmediate). It never touches a socket, so its cost
 * does not depend on how many clients listen or how slow they are.
 *
 * A fan-out cycle snapshots the dirty topics, groups them per subscribed client, and sends
 * each client its messages (corked when more than one: one syscall per client). The bytes
 * are shared by every client (serialised once per update). The cycle runs in slices of at
 * most `sliceBudgetUs`, yielding to the event loop between slices: the io thread also owns
 * the venue sockets, and 10,000 clients at ~10 µs per socket write would otherwise stall
 * it for 100 ms. Updates published meanwhile wait for the next cycle (books conflate).
 *
 * Slow clients: uWS is configured with maxBackpressure = the per-client send limit, so a
 * send to a client whose unsent bytes are over the limit returns DROPPED without copying
 * anything. The hub counts it (per client, and in veloz_gateway_push_messages_dropped_total)
 * and, for conflating topics, remembers the topic so the latest state is re-sent when the
 * client's socket drains. A client over its drop budget (consecutive drops) is
 * disconnected. Memory per client is bounded by the limit plus one message.
 */
import { performance } from 'node:perf_hooks';
import type { VelozLogger } from '../../core/log/index.js';
import { LatencyHistogram } from '../../core/metrics/histogram.js';
import { PUSH_CHANNELS, type PushChannelName, type PushDisconnectReason } from '../../core/metrics/engine-metrics.js';
import type { GatewayMetrics } from '../gateway-metrics.js';
import { defaultAdapters, type ChannelAdapter } from './channel-adapters.js';
import { PushClient, type PushClientStats, type PushSocket } from './push-client.js';
import { PushProtocolError, replyFrame, type RequestId, type SubscriptionFields } from './push-protocol.js';
import { Topic } from './topic.js';

/** uWS send results: 1 written, 0 written but buffered (backpressure), 2 dropped. */
const SEND_SUCCESS = 1;
const SEND_DROPPED = 2;

export interface PushHubOptions {
  metrics: GatewayMetrics;
  log: VelozLogger;
  /** Queueing topics: messages held between two flushes before the oldest is dropped. */
  maxQueuedPerTopic?: number;
  /** Consecutive drops after which a client is disconnected; null = never. */
  dropBudget?: number | null;
  maxSubscriptionsPerClient?: number;
  /** The per-client send limit also set as uWS maxBackpressure; used for the drain rule. */
  sendLimitBytes: number;
  /** Longest a fan-out slice may hold the event loop, µs. Default 1000. */
  sliceBudgetUs?: number;
}

export interface PushTotals {
  clients: number;
  subscriptions: number;
  topics: number;
  published: number;
  sent: number;
  dropped: number;
  overflowed: number;
  /** Conflating updates replaced by a newer one before a flush sent them. */
  conflated: number;
  slowDisconnects: number;
  /** Fan-out cycles completed, and the slices they took. */
  flushes: number;
  slices: number;
}

class ChannelState {
  readonly topics = new Map<string, Topic>();
  sentInFlush = 0;
  constructor(
    readonly name: PushChannelName,
    public adapter: ChannelAdapter,
  ) {}
}

export class PushHub {
  private readonly channels = new Map<string, ChannelState>();
  private readonly clients = new Set<PushClient>();
  private dirtyTopics: Topic[] = [];
  /** The running cycle: its topics (snapshotted) and clients, and how far it got. */
  private cycleTopics: Topic[] = [];
  private readonly cycleClients: PushClient[] = [];
  private cycleIndex = 0;
  private cycleBusyNs = 0;
  private inCycle = false;
  private flushScheduled = false;
  private readonly sliceBudgetMs: number;
  private subscriptionCount = 0;
  private nextClientId = 1;
  private readonly maxQueued: number;
  private readonly dropBudget: number | null;
  private readonly maxSubs: number;
  private readonly drainBelow: number;
  readonly totals: PushTotals = {
    clients: 0,
    subscriptions: 0,
    topics: 0,
    published: 0,
    sent: 0,
    dropped: 0,
    overflowed: 0,
    conflated: 0,
    slowDisconnects: 0,
    flushes: 0,
    slices: 0,
  };
  /** Busy time of each fan-out cycle (sum of its slices), ns: the io thread's cost of delivering. */
  readonly flushLatency = new LatencyHistogram();
  /** Duration of each slice, ns: how long the fan-out held the event loop at a time. */
  readonly sliceLatency = new LatencyHistogram();

  constructor(private readonly o: PushHubOptions) {
    this.maxQueued = o.maxQueuedPerTopic ?? 1024;
    this.dropBudget = o.dropBudget ?? null;
    this.maxSubs = o.maxSubscriptionsPerClient ?? 256;
    this.drainBelow = o.sendLimitBytes / 2;
    this.sliceBudgetMs = (o.sliceBudgetUs ?? 1000) / 1000;
    if (!(this.sliceBudgetMs > 0)) throw new RangeError(`sliceBudgetUs must be positive, got ${o.sliceBudgetUs}`);
    if (!(Number.isInteger(this.maxQueued) && this.maxQueued >= 1)) throw new RangeError(`maxQueuedPerTopic must be a positive integer, got ${this.maxQueued}`);
    if (this.dropBudget !== null && !(Number.isInteger(this.dropBudget) && this.dropBudget >= 0)) {
      throw new RangeError(`dropBudget must be a non-negative integer or null, got ${this.dropBudget}`);
    }
    const adapters = defaultAdapters();
    for (const ch of PUSH_CHANNELS) this.channels.set(ch, new ChannelState(ch, adapters[ch]));
  }

  /** Replaces a channel's subscription rules (e.g. the book publisher's, which knows the books). */
  setAdapter(channel: PushChannelName, adapter: ChannelAdapter): void {
    const ch = this.channels.get(channel)!;
    if (ch.topics.size > 0) throw new Error(`push channel ${channel} already has subscriptions: set its adapter before clients connect`);
    ch.adapter = adapter;
  }

  /**
   * Hands one update to every subscriber of (channel, key). Serialise once, before the
   * call; a string is encoded to UTF-8 here, once. Returns false when nobody listens
   * (nothing is kept). Never blocks; memory per topic is bounded.
   */
  publish(channel: PushChannelName, key: string, payload: Uint8Array | string): boolean {
    const ch = this.channels.get(channel);
    if (ch === undefined) throw new RangeError(`unknown push channel ${String(channel)}`);
    const t = ch.topics.get(key);
    if (t === undefined) return false;
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    t.published++;
    this.totals.published++;
    if (t.conflate) {
      if (t.dirty) this.totals.conflated++;
      t.latest = bytes;
    } else {
      if (t.queue.length >= this.maxQueued) {
        t.queue.shift();
        this.totals.overflowed += t.subscribers.size;
        this.o.metrics.drop('queue_overflow', t.subscribers.size);
      }
      t.queue.push(bytes);
    }
    if (!t.dirty) {
      t.dirty = true;
      this.dirtyTopics.push(t);
      this.schedule();
    }
    return true;
  }

  hasSubscribers(channel: PushChannelName, key: string): boolean {
    return this.channels.get(channel)?.topics.has(key) ?? false;
  }

  /** Keys of a channel's topics that have subscribers. */
  topicKeys(channel: PushChannelName): IterableIterator<string> {
    return this.channels.get(channel)!.topics.keys();
  }

  attach(socket: PushSocket, remoteAddress: string): PushClient {
    const c = new PushClient(this.nextClientId++, socket, remoteAddress, Date.now());
    c.sendPending = () => this.sendPending(c);
    this.clients.add(c);
    this.totals.clients = this.clients.size;
    this.o.metrics.pushClients.set(this.clients.size);
    return c;
  }

  /** The socket is gone (uWS close handler): forget the client and its subscriptions. */
  detach(c: PushClient): void {
    if (c.closed) return;
    c.closed = true;
    for (const t of c.subs.values()) this.leave(c, t);
    c.subs.clear();
    c.missed = null;
    this.clients.delete(c);
    this.totals.clients = this.clients.size;
    this.o.metrics.pushClients.set(this.clients.size);
    this.o.metrics.disconnect(c.closeReason ?? 'client');
  }

  /** Closes a client for `reason` (slow_consumer closes at once: its buffer is full anyway). */
  disconnect(c: PushClient, reason: PushDisconnectReason): void {
    if (c.closed) return;
    c.closeReason = reason;
    if (reason === 'slow_consumer') {
      this.totals.slowDisconnects++;
      c.socket.close();
    } else if (reason === 'shutdown') {
      c.socket.end(1001, 'server shutting down');
    } else {
      c.socket.end(1008, 'protocol error');
    }
  }

  /** Subscribes; replies "subscribed" then sends the topic's current state when it conflates. */
  subscribe(c: PushClient, fields: SubscriptionFields, id: RequestId): string {
    const ch = this.channels.get(fields.channel)!;
    const key = ch.adapter.resolve(fields, id);
    let t = ch.topics.get(key);
    const sub = t?.sub ?? `${fields.channel}:${key}`;
    if (!c.subs.has(sub)) {
      if (c.subs.size >= this.maxSubs) {
        throw new PushProtocolError('TOO_MANY_SUBSCRIPTIONS', `at most ${this.maxSubs} subscriptions per connection`, id);
      }
      if (t === undefined) {
        t = new Topic(fields.channel, key, ch.adapter.conflate);
        ch.topics.set(key, t);
        this.totals.topics++;
        ch.adapter.topicOpened?.(key);
      }
      t.subscribers.add(c);
      c.subs.set(sub, t);
      this.subscriptionCount++;
      this.updateSubscriptionGauge();
    }
    this.sendControl(c, replyFrame('subscribed', id, sub));
    // The current state at once, unless a flush is about to deliver it anyway.
    const topic = c.subs.get(sub)!;
    if (topic.latest !== null && !topic.dirty) {
      this.sendOne(c, topic, topic.latest);
      this.flushChannelCounts();
    }
    return sub;
  }

  unsubscribe(c: PushClient, sub: string | null, fields: SubscriptionFields | null, id: RequestId): void {
    let name = sub;
    if (name === null) {
      const ch = this.channels.get(fields!.channel)!;
      name = `${fields!.channel}:${ch.adapter.resolve(fields!, id)}`;
    }
    const t = c.subs.get(name);
    if (t === undefined) throw new PushProtocolError('NOT_SUBSCRIBED', `not subscribed to ${name.slice(0, 200)}`, id);
    c.subs.delete(name);
    c.missed?.delete(t);
    this.leave(c, t);
    this.sendControl(c, replyFrame('unsubscribed', id, name));
  }

  sendControl(c: PushClient, frame: string): void {
    if (!c.closed) c.socket.send(frame, false);
  }

  /** uWS drain: the client's buffer went down; re-send the latest state it missed. */
  drained(c: PushClient): void {
    if (c.closed || c.missed === null || c.missed.size === 0) return;
    if (c.socket.getBufferedAmount() > this.drainBelow) return;
    const missed = c.missed;
    c.missed = null;
    c.socket.cork(() => {
      for (const t of missed) if (t.latest !== null && c.subs.get(t.sub) === t) this.sendOne(c, t, t.latest);
    });
    this.flushChannelCounts();
  }

  private schedule(): void {
    if (this.flushScheduled || this.inCycle) return;
    this.flushScheduled = true;
    setImmediate(this.onImmediate);
  }

  private readonly onImmediate = (): void => {
    this.flushScheduled = false;
    this.runSlice(this.sliceBudgetMs);
    if (this.inCycle) {
      this.flushScheduled = true;
      setImmediate(this.onImmediate);
    } else if (this.dirtyTopics.length > 0) {
      this.schedule();
    }
  };

  /** Sends everything published so far, now, in one go (tests, shutdown). */
  flush(): void {
    while (this.inCycle || this.dirtyTopics.length > 0) this.runSlice(Infinity);
  }

  /** Continues (or starts) a fan-out cycle for at most `budgetMs`. */
  private runSlice(budgetMs: number): void {
    if (!this.inCycle) {
      if (this.dirtyTopics.length === 0) return;
      this.beginCycle();
    }
    const started = performance.now();
    const clients = this.cycleClients;
    let i = this.cycleIndex;
    while (i < clients.length) {
      const c = clients[i++]!;
      if (!c.closed) {
        // One message needs no cork (the send is the one syscall); more go out corked together.
        if (c.pending.length === 1 && c.pending[0]!.conflate) c.sendPending();
        else c.socket.cork(c.sendPending);
        this.afterSend(c);
      }
      c.pending.length = 0;
      c.inFlush = false;
      if ((i & 7) === 0 && performance.now() - started > budgetMs) break;
    }
    this.cycleIndex = i;
    const ns = Math.round((performance.now() - started) * 1e6);
    this.sliceLatency.record(ns);
    this.cycleBusyNs += ns;
    this.totals.slices++;
    this.flushChannelCounts();
    if (i >= clients.length) this.endCycle();
  }

  /** Snapshots the dirty topics (later publishes go to the next cycle) and lists who gets what. */
  private beginCycle(): void {
    const topics = this.dirtyTopics;
    this.dirtyTopics = this.cycleTopics;
    this.cycleTopics = topics;
    this.inCycle = true;
    this.cycleIndex = 0;
    this.cycleBusyNs = 0;
    const clients = this.cycleClients;
    for (let i = 0; i < topics.length; i++) {
      const t = topics[i]!;
      t.dirty = false;
      t.snapshot();
      for (const c of t.subscribers) {
        if (!c.inFlush) {
          c.inFlush = true;
          clients.push(c);
        }
        c.pending.push(t);
      }
    }
  }

  private endCycle(): void {
    const topics = this.cycleTopics;
    for (let i = 0; i < topics.length; i++) topics[i]!.release();
    topics.length = 0;
    this.cycleClients.length = 0;
    this.cycleIndex = 0;
    this.inCycle = false;
    this.totals.flushes++;
    this.flushLatency.record(this.cycleBusyNs);
  }

  private sendPending(c: PushClient): void {
    const pending = c.pending;
    for (let i = 0; i < pending.length; i++) {
      const t = pending[i]!;
      // Unsubscribed since the cycle began: its "unsubscribed" reply was the last word.
      if (c.subs.get(t.sub) !== t) continue;
      if (t.conflate) {
        this.sendOne(c, t, t.sending[0]!);
      } else {
        const q = t.sending;
        for (let j = 0; j < q.length; j++) this.sendOne(c, t, q[j]!);
      }
    }
  }

  private sendOne(c: PushClient, t: Topic, bytes: Uint8Array): void {
    if (c.closed) return;
    const status = c.socket.send(bytes, false);
    // Anything but SUCCESS leaves bytes in uWS's buffer: afterSend then reads its size.
    if (status !== SEND_SUCCESS) c.backlogged = true;
    if (status === SEND_DROPPED) {
      c.dropped++;
      c.consecutiveDrops++;
      this.totals.dropped++;
      this.o.metrics.drop('backpressure');
      if (t.conflate) (c.missed ??= new Set()).add(t);
      return;
    }
    c.sent++;
    c.consecutiveDrops = 0;
    this.totals.sent++;
    this.channels.get(t.channel)!.sentInFlush++;
  }

  private afterSend(c: PushClient): void {
    if (c.closed) return;
    // One native call saved per client and flush when every send went straight out.
    const buffered = c.backlogged ? c.socket.getBufferedAmount() : 0;
    c.backlogged = buffered > 0;
    c.bufferedBytes = buffered;
    if (buffered > c.maxBufferedBytes) c.maxBufferedBytes = buffered;
    if (this.dropBudget !== null && c.consecutiveDrops > this.dropBudget) {
      this.o.log.warn({ client: c.id, remoteAddress: c.remoteAddress, dropped: c.dropped }, 'push client over its drop budget: disconnecting');
      this.disconnect(c, 'slow_consumer');
    }
  }

  private flushChannelCounts(): void {
    for (const ch of this.channels.values()) {
      if (ch.sentInFlush > 0) {
        this.o.metrics.sentTo(ch.name, ch.sentInFlush);
        ch.sentInFlush = 0;
      }
    }
  }

  private leave(c: PushClient, t: Topic): void {
    t.subscribers.delete(c);
    this.subscriptionCount--;
    this.updateSubscriptionGauge();
    if (t.subscribers.size === 0) {
      const ch = this.channels.get(t.channel)!;
      ch.topics.delete(t.key);
      this.totals.topics--;
      ch.adapter.topicClosed?.(t.key);
    }
  }

  private updateSubscriptionGauge(): void {
    this.totals.subscriptions = this.subscriptionCount;
    this.o.metrics.pushSubscriptions.set(this.subscriptionCount);
  }

  /** Every connected client's counters (for /api/v1/status and tests). */
  clientStats(): PushClientStats[] {
    return [...this.clients].map((c) => c.stats());
  }

  /** Closes every client (gateway stop). */
  closeAll(): void {
    for (const c of [...this.clients]) this.disconnect(c, 'shutdown');
  }
}
