/**
 * The market-data WebSocket endpoints, as on stream.binance.com / fstream.binance.com:
 *   /ws                      raw payloads, subscribe with {"method":"SUBSCRIBE",...}
 *   /ws/<stream>[/<stream>]  raw payloads of the named streams (tokens that are not stream
 *                            names are ignored, as ccxt's /ws/<n> needs)
 *   /stream?streams=a/b      combined {"stream","data"} wrapper
 * USD-M mode also answers the 2026 routed forms /public/... and /market/....
 *
 * Control requests (SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY,
 * GET_PROPERTY) are answered before any data of the new subscription. The server pings
 * every pingIntervalMs and closes a connection whose pong (echoing the ping payload) has
 * not come within pongTimeoutMs; connections older than connectionLifetimeMs are closed.
 */
import type { HttpRequest, HttpResponse, TemplatedApp, us_socket_context_t, WebSocket } from '@btc-vision/uwebsockets.js';
import { MdConnection, type CloseReason } from '../market/connection.js';
import type { MarketPublisher } from '../market/publisher.js';
import type { StreamSpec } from '../market/streams.js';
import type { SimClock, SimLog } from './plugin.js';

export interface MdSocketOptions {
  pingIntervalMs: number;
  pongTimeoutMs: number;
  connectionLifetimeMs: number;
  /** Incoming messages (JSON and pongs) allowed per second; 0 = unlimited. */
  maxIncomingPerSec: number;
  /** Streams one connection may hold (Binance: 1024). */
  maxStreams: number;
}

interface UserData {
  path: string;
  combined: boolean;
  initial: StreamSpec[];
  conn: MdConnection | null;
  closeReason: CloseReason | null;
}

const CLOSE_CODES: Record<CloseReason, [number, string]> = {
  client: [1000, ''],
  drop: [1006, ''],
  pongTimeout: [1008, 'pong timeout'],
  lifetime: [1000, 'connection lifetime reached'],
  backpressure: [1008, 'slow consumer'],
  shutdown: [1001, 'server shutdown'],
  rateLimit: [1008, 'too many messages'],
  stallOverflow: [1008, 'slow consumer'],
};

export class MdSocketServer {
  private nextId = 1;
  private housekeeping: NodeJS.Timeout | null = null;
  readonly counters = { rejectedUpgrades: 0, badRequests: 0, pings: 0, ignoredPathTokens: 0 };

  constructor(
    private readonly publisher: MarketPublisher,
    private readonly clock: SimClock,
    private readonly log: SimLog,
    private readonly options: MdSocketOptions,
  ) {}

  install(app: TemplatedApp, prefixes: readonly string[]): void {
    for (const prefix of prefixes) {
      for (const pattern of [`${prefix}/ws`, `${prefix}/ws/*`, `${prefix}/stream`]) {
        app.ws<UserData>(pattern, {
          maxPayloadLength: 64 * 1024,
          idleTimeout: 0,
          sendPingsAutomatically: false,
          maxBackpressure: 256 * 1024 * 1024,
          closeOnBackpressureLimit: true,
          upgrade: (res, req, context) => this.upgrade(res, req, context, prefix),
          open: (ws) => this.open(ws),
          message: (ws, message, isBinary) => this.message(ws, message, isBinary),
          pong: (ws, message) => this.pong(ws, message),
          drain: (ws) => {
            const conn = ws.getUserData().conn;
            if (conn) this.publisher.drained(conn);
          },
          close: (ws) => {
            const data = ws.getUserData();
            if (data.conn) this.publisher.detach(data.conn, data.closeReason ?? 'client');
            data.conn = null;
          },
        });
      }
    }
    const tick = Math.max(10, Math.min(1000, Math.floor(Math.min(this.options.pingIntervalMs, this.options.pongTimeoutMs, this.options.connectionLifetimeMs) / 4)));
    this.housekeeping = setInterval(() => this.housekeep(), tick);
    this.housekeeping.unref();
  }

  /** Closes a connection for `reason` (abruptly for 'drop', with a close frame otherwise). */
  close(conn: MdConnection, reason: CloseReason): void {
    if (conn.closed) return;
    const ws = conn.socket as unknown as WebSocket<UserData>;
    ws.getUserData().closeReason = reason;
    if (reason === 'drop') {
      ws.close();
      return;
    }
    const [code, text] = CLOSE_CODES[reason];
    ws.end(code, text);
  }

  stop(): void {
    if (this.housekeeping) clearInterval(this.housekeeping);
    this.housekeeping = null;
    for (const c of [...this.publisher.connections()]) this.close(c, 'shutdown');
  }

  private upgrade(res: HttpResponse, req: HttpRequest, context: us_socket_context_t, prefix: string): void {
    const url = req.getUrl().slice(prefix.length);
    const query = new URLSearchParams(req.getQuery() ?? '');
    const key = req.getHeader('sec-websocket-key');
    const protocol = req.getHeader('sec-websocket-protocol');
    const extensions = req.getHeader('sec-websocket-extensions');
    let names: string[] = [];
    let combined = false;
    if (url === '/stream') {
      combined = true;
      const list = query.get('streams');
      names = list ? list.split('/').filter((s) => s.length > 0) : [];
    } else if (url.startsWith('/ws/')) {
      names = url.slice(4).split('/').filter((s) => s.length > 0);
    }
    const specs: StreamSpec[] = [];
    for (const name of names) {
      const spec = this.publisher.parse(name);
      if (spec) {
        specs.push(spec);
      } else if (combined) {
        return this.refuse(res, `Invalid stream name: ${JSON.stringify(name.slice(0, 100))}`);
      } else {
        // Binance accepts any token after /ws/ (ccxt connects to /ws/<n> and then subscribes).
        this.counters.ignoredPathTokens++;
      }
    }
    if (specs.length > this.options.maxStreams) return this.refuse(res, `Too many streams: ${specs.length} > ${this.options.maxStreams}`);
    res.upgrade<UserData>({ path: prefix + url, combined, initial: specs, conn: null, closeReason: null }, key, protocol, extensions, context);
  }

  private refuse(res: HttpResponse, msg: string): void {
    this.counters.rejectedUpgrades++;
    res.cork(() => {
      res.writeStatus('400 Bad Request').writeHeader('Content-Type', 'application/json;charset=UTF-8');
      res.end(JSON.stringify({ code: -1121, msg }));
    });
  }

  private open(ws: WebSocket<UserData>): void {
    const data = ws.getUserData();
    const conn = new MdConnection(this.nextId++, ws, data.path, data.combined, this.clock.nowMs());
    data.conn = conn;
    this.publisher.attach(conn);
    for (const spec of data.initial) this.publisher.subscribe(conn, spec);
  }

  private overRate(conn: MdConnection): boolean {
    const max = this.options.maxIncomingPerSec;
    if (max <= 0) return false;
    const now = this.clock.nowMs();
    if (now - conn.rateWindowMs >= 1000) {
      conn.rateWindowMs = now;
      conn.rateCount = 0;
    }
    return ++conn.rateCount > max;
  }

  private message(ws: WebSocket<UserData>, message: ArrayBuffer, isBinary: boolean): void {
    const conn = ws.getUserData().conn;
    if (!conn) return;
    if (this.overRate(conn)) return this.close(conn, 'rateLimit');
    const text = Buffer.from(message).toString('utf8');
    let req: unknown;
    try {
      if (isBinary) throw new Error('binary');
      req = JSON.parse(text);
    } catch {
      return this.error(conn, 3, 'Invalid JSON: expected value at line 1 column 1', null);
    }
    if (typeof req !== 'object' || req === null || Array.isArray(req)) return this.error(conn, 2, 'Invalid request: expected a JSON object', null);
    const r = req as Record<string, unknown>;
    const id = r.id;
    if (!(id === null || id === undefined || (typeof id === 'number' && Number.isInteger(id) && id >= 0) || (typeof id === 'string' && id.length <= 36))) {
      return this.error(conn, 1, 'Invalid value type: expected u64 or string of up to 36 characters for "id"', null);
    }
    const rid = (id ?? null) as number | string | null;
    const params = r.params;
    switch (r.method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        if (!Array.isArray(params) || !params.every((p) => typeof p === 'string')) return this.error(conn, 1, 'Invalid value type: expected Array of strings for "params"', rid);
        const specs: StreamSpec[] = [];
        for (const name of params as string[]) {
          const spec = this.publisher.parse(name);
          if (!spec) return this.error(conn, 2, `Invalid request: invalid stream name ${JSON.stringify(name.slice(0, 100))}`, rid);
          specs.push(spec);
        }
        if (r.method === 'SUBSCRIBE') {
          const total = new Set([...conn.streams, ...specs.map((s) => s.name)]).size;
          if (total > this.options.maxStreams) return this.error(conn, 2, `Invalid request: too many streams (max ${this.options.maxStreams})`, rid);
        }
        // The reply is queued first: data of the new streams can only follow it.
        this.publisher.sendTo(conn, JSON.stringify({ result: null, id: rid }));
        for (const spec of specs) {
          if (r.method === 'SUBSCRIBE') this.publisher.subscribe(conn, spec);
          else this.publisher.unsubscribe(conn, spec.name);
        }
        this.publisher.flush();
        return;
      }
      case 'LIST_SUBSCRIPTIONS':
        this.publisher.sendTo(conn, JSON.stringify({ result: [...conn.streams], id: rid }));
        this.publisher.flush();
        return;
      case 'SET_PROPERTY':
        if (!Array.isArray(params) || params[0] !== 'combined' || typeof params[1] !== 'boolean') {
          return this.error(conn, 0, 'Unknown property', rid);
        }
        conn.combined = params[1];
        this.publisher.sendTo(conn, JSON.stringify({ result: null, id: rid }));
        this.publisher.flush();
        return;
      case 'GET_PROPERTY':
        if (!Array.isArray(params) || params[0] !== 'combined') return this.error(conn, 0, 'Unknown property', rid);
        this.publisher.sendTo(conn, JSON.stringify({ result: conn.combined, id: rid }));
        this.publisher.flush();
        return;
      default:
        return this.error(conn, 2, 'Invalid request: unknown variant, expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, SET_PROPERTY, GET_PROPERTY', rid);
    }
  }

  private error(conn: MdConnection, code: number, msg: string, id: number | string | null): void {
    this.counters.badRequests++;
    this.publisher.sendTo(conn, JSON.stringify(id === null ? { error: { code, msg } } : { error: { code, msg }, id }));
    this.publisher.flush();
  }

  private pong(ws: WebSocket<UserData>, message: ArrayBuffer): void {
    const conn = ws.getUserData().conn;
    if (!conn) return;
    if (this.overRate(conn)) return this.close(conn, 'rateLimit');
    // Only a pong echoing our ping's payload keeps the connection alive.
    if (conn.pingPayload !== '' && Buffer.from(message).toString('utf8') === conn.pingPayload) conn.pingPayload = '';
  }

  private housekeep(): void {
    const now = this.clock.nowMs();
    for (const conn of [...this.publisher.connections()]) {
      if (now - conn.openedMs >= this.options.connectionLifetimeMs) {
        this.close(conn, 'lifetime');
        continue;
      }
      if (conn.pingPayload !== '') {
        if (now - conn.pingSentMs >= this.options.pongTimeoutMs) this.close(conn, 'pongTimeout');
        continue;
      }
      if (now - Math.max(conn.pingSentMs, conn.openedMs) >= this.options.pingIntervalMs) {
        conn.pingPayload = String(now);
        conn.pingSentMs = now;
        this.counters.pings++;
        const ws = conn.socket as unknown as WebSocket<UserData>;
        ws.cork(() => ws.ping(conn.pingPayload));
      }
    }
  }
}
