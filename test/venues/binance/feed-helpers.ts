/**
 * Shared pieces of the feed tests: a sim on an ephemeral port (with synthetic symbols
 * when a test needs more than the catalogue's six), and a FeedHandler that records what
 * the feed reports. The recorder parses frames itself (the feed must not): JSON.parse here
 * is the test's independent reading of what the sim sent.
 */
import type { SimSymbolConfig } from '../../../src/venues/sim/market/catalog.js';
import { SimExchange, type SimExchangeOptions } from '../../../src/venues/sim/server/exchange.js';
import { stderrLog } from '../../../src/venues/sim/server/log.js';
import type { ConnectionInfo, FeedHandler, VenueError } from '../../../src/venues/binance/feed/index.js';
import type { DisconnectReason, HandoverReason } from '../../../src/venues/binance/feed/reasons.js';

export function startSim(options: SimExchangeOptions = {}): Promise<SimExchange> {
  return SimExchange.start({ port: 0, plugins: [], log: stderrLog('error'), ...options });
}

/** `n` listable symbols SYN000USDT, SYN001USDT, … (the sim takes full configs through `symbols`). */
export function syntheticSymbols(n: number): SimSymbolConfig[] {
  return Array.from({ length: n }, (_, i) => {
    const base = `SYN${String(i).padStart(3, '0')}`;
    return { symbol: `${base}USDT`, base, quote: 'USDT', tickSize: '0.01', stepSize: '0.001', minQty: '0.001', minNotional: '5', startPrice: `${100 + i}.00`, typicalQty: '1' };
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor(pred: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export interface RecordedFrame {
  /** Stream name from the combined wrapper ('' in raw mode). */
  stream: string;
  payload: any;
  recvNs: bigint;
  conn: number;
  slot: number;
  isBuffer: boolean;
}

export type FeedEvent =
  | { kind: 'connected'; conn: number; slot: number; at: number }
  | { kind: 'subscribed'; conn: number; slot: number; streams: readonly string[]; resubscribed: boolean; at: number }
  | { kind: 'interrupted'; conn: number; slot: number; streams: readonly string[]; reason: DisconnectReason; at: number }
  | { kind: 'disconnected'; conn: number; slot: number; reason: DisconnectReason; detail: string; at: number }
  | { kind: 'subscribeError'; conn: number; slot: number; streams: readonly string[]; error: VenueError; at: number }
  | { kind: 'handover'; from: number; to: number; slot: number; reason: HandoverReason; at: number };

export class FeedRecorder implements FeedHandler {
  readonly frames: RecordedFrame[] = [];
  readonly events: FeedEvent[] = [];
  readonly byStream = new Map<string, number>();
  /** Frames that were not JSON (must be none: the sim sends none unless told to). */
  unparsable = 0;

  onFrame(frame: Buffer, recvNs: bigint, conn: ConnectionInfo): void {
    let msg: any;
    try {
      msg = JSON.parse(frame.toString('utf8'));
    } catch {
      this.unparsable++;
      return;
    }
    const stream = conn.combined ? String(msg.stream) : '';
    const payload = conn.combined ? msg.data : msg;
    this.frames.push({ stream, payload, recvNs, conn: conn.id, slot: conn.slot, isBuffer: Buffer.isBuffer(frame) });
    const key = stream || `${String(payload.s ?? '').toLowerCase()}@${payload.e ?? (payload.u !== undefined ? 'bookTicker' : '?')}`;
    this.byStream.set(key, (this.byStream.get(key) ?? 0) + 1);
  }

  onConnected(conn: ConnectionInfo): void {
    this.events.push({ kind: 'connected', conn: conn.id, slot: conn.slot, at: Date.now() });
  }

  onSubscribed(conn: ConnectionInfo, streams: readonly string[], resubscribed: boolean): void {
    this.events.push({ kind: 'subscribed', conn: conn.id, slot: conn.slot, streams, resubscribed, at: Date.now() });
  }

  onStreamsInterrupted(streams: readonly string[], reason: DisconnectReason, conn: ConnectionInfo): void {
    this.events.push({ kind: 'interrupted', conn: conn.id, slot: conn.slot, streams, reason, at: Date.now() });
  }

  onDisconnected(conn: ConnectionInfo, reason: DisconnectReason, detail: string): void {
    this.events.push({ kind: 'disconnected', conn: conn.id, slot: conn.slot, reason, detail, at: Date.now() });
  }

  onSubscribeError(conn: ConnectionInfo, streams: readonly string[], error: VenueError): void {
    this.events.push({ kind: 'subscribeError', conn: conn.id, slot: conn.slot, streams, error, at: Date.now() });
  }

  onHandover(from: ConnectionInfo, to: ConnectionInfo, reason: HandoverReason): void {
    this.events.push({ kind: 'handover', from: from.id, to: to.id, slot: to.slot, reason, at: Date.now() });
  }

  count(kind: FeedEvent['kind']): number {
    return this.events.filter((e) => e.kind === kind).length;
  }

  of<K extends FeedEvent['kind']>(kind: K): Extract<FeedEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<FeedEvent, { kind: K }> => e.kind === kind);
  }

  framesOf(stream: string): RecordedFrame[] {
    return this.frames.filter((f) => f.stream === stream);
  }

  /** Frames of `stream` received after `index` in this.frames. */
  framesSince(index: number, stream: string): number {
    let n = 0;
    for (let i = index; i < this.frames.length; i++) if ((this.frames[i] as RecordedFrame).stream === stream) n++;
    return n;
  }
}

/** The streams each open sim market-data connection carries (the sim's view). */
export function simSubscriptions(sim: SimExchange): { path: string; streams: string[] }[] {
  return [...sim.publisher.connections()].map((c) => ({ path: c.path, streams: [...c.streams] }));
}
