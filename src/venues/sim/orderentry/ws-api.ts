/**
 * Binance WebSocket API (/ws-api/v3) for order entry and user data: JSON requests
 * {"id","method","params"}, replies {"id","status","result"|"error","rateLimits"}, HMAC
 * over the alphabetically sorted params (apiKey included), and user-data subscriptions
 * whose events arrive as {"subscriptionId":N,"event":{…}} on the same connection.
 *
 * Replies and events of one request leave in one corked write, reply first (the
 * exec-before-ack fault puts the events first; lost ack sends no reply at all).
 */
import type { HttpRequest, HttpResponse, us_socket_context_t, WebSocket } from '@btc-vision/uwebsockets.js';
import { wsApiSignedPayload } from '../auth/hmac.js';
import type { SimPluginContext } from '../server/plugin.js';
import type { Dispatcher, Outcome } from './dispatcher.js';
import { ApiErrors, BinanceApiError } from './errors.js';
import type { Operation, OperationName } from './operations.js';
import { wsApiParams } from './params.js';
import type { RateLimiter } from './rate-limits.js';
import type { OrderEntryService } from './service.js';

export const WS_API_PATH = '/ws-api/v3';
/** Largest request frame accepted. */
const MAX_FRAME_BYTES = 64 * 1024;
/** Per-connection send buffer; a subscriber that falls this far behind is disconnected. */
const MAX_BACKPRESSURE_BYTES = 4 * 1024 * 1024;
/** Subscriptions one connection may hold (Binance allows one per account; bounded here). */
const MAX_SUBSCRIPTIONS = 64;
const CONNECT_WEIGHT = 2;

interface Conn {
  ip: string;
  open: boolean;
  nextSubscriptionId: number;
  subscriptions: Map<number, () => void>;
  ws?: WebSocket<Conn>;
}

export interface WsApiDeps {
  ctx: SimPluginContext;
  service: OrderEntryService;
  dispatcher: Dispatcher;
  limiter: RateLimiter;
  operations: Map<OperationName, Operation>;
  counters: { wsRequests: number; wsBadFrames: number; wsDroppedSends: number };
}

/** The REST path whose HTTP faults (429/418/500) also apply to a WS API method. */
function faultPath(method: string): string {
  if (method.startsWith('order.')) return '/api/v3/order';
  if (method.startsWith('openOrders.')) return '/api/v3/openOrders';
  if (method === 'account.status') return '/api/v3/account';
  if (method === 'myTrades') return '/api/v3/myTrades';
  return '/ws-api/v3';
}

export function installWsApi(d: WsApiDeps): Set<WebSocket<Conn>> {
  const conns = new Set<WebSocket<Conn>>();
  d.ctx.registerWs<Conn>(WS_API_PATH, {
    maxPayloadLength: MAX_FRAME_BYTES,
    maxBackpressure: MAX_BACKPRESSURE_BYTES,
    closeOnBackpressureLimit: true,
    idleTimeout: 120,
    sendPingsAutomatically: true,
    upgrade: (res: HttpResponse, req: HttpRequest, context: us_socket_context_t) => {
      const ip = Buffer.from(res.getRemoteAddressAsText()).toString();
      const conn: Conn = { ip, open: true, nextSubscriptionId: 0, subscriptions: new Map() };
      res.upgrade<Conn>(conn, req.getHeader('sec-websocket-key'), req.getHeader('sec-websocket-protocol'), req.getHeader('sec-websocket-extensions'), context);
    },
    open: (ws) => {
      const c = ws.getUserData();
      c.ws = ws;
      conns.add(ws);
      try {
        d.limiter.chargeWeight(c.ip, CONNECT_WEIGHT);
      } catch {
        // A banned or throttled IP still connects; its first request gets the error.
      }
    },
    message: (ws, message, isBinary) => {
      d.counters.wsRequests++;
      const text = isBinary ? '' : Buffer.from(message).toString('utf8');
      onMessage(d, ws, text);
    },
    close: (ws) => {
      const c = ws.getUserData();
      c.open = false;
      for (const unsubscribe of c.subscriptions.values()) unsubscribe();
      c.subscriptions.clear();
      conns.delete(ws);
    },
  });
  return conns;
}

type RequestId = string | number | null;

function send(d: WsApiDeps, ws: WebSocket<Conn>, obj: unknown): void {
  if (!ws.getUserData().open) return;
  if (ws.send(JSON.stringify(obj)) === 2) d.counters.wsDroppedSends++;
}

function reply(d: WsApiDeps, ws: WebSocket<Conn>, id: RequestId, o: Outcome | { ok: true; status: 200; body: unknown }, orderAccount?: string): void {
  const ip = ws.getUserData().ip;
  const rateLimits = d.limiter.entries(ip, orderAccount);
  if (o.ok) send(d, ws, { id, status: 200, result: o.body, rateLimits });
  else {
    const err: Record<string, unknown> = { id, status: o.status, error: o.body, rateLimits };
    if ('retryAfterSec' in o && o.retryAfterSec !== undefined) {
      (err.error as Record<string, unknown>).data = { serverTime: d.ctx.clock.nowMs(), retryAfter: d.ctx.clock.nowMs() + o.retryAfterSec * 1000 };
    }
    send(d, ws, err);
  }
}

function errorOutcome(e: BinanceApiError): Outcome {
  const o: Outcome = { ok: false, status: e.httpStatus, body: e.body(), execBeforeAck: false, lostAck: false };
  if (e.retryAfterSec !== undefined) o.retryAfterSec = e.retryAfterSec;
  return o;
}

function onMessage(d: WsApiDeps, ws: WebSocket<Conn>, text: string): void {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    d.counters.wsBadFrames++;
    reply(d, ws, null, errorOutcome(ApiErrors.invalidJson()));
    return;
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
    d.counters.wsBadFrames++;
    reply(d, ws, null, errorOutcome(ApiErrors.invalidJson()));
    return;
  }
  const m = msg as { id?: unknown; method?: unknown; params?: unknown };
  const id: RequestId = typeof m.id === 'string' || typeof m.id === 'number' ? m.id : null;
  if (typeof m.method !== 'string') {
    reply(d, ws, id, errorOutcome(ApiErrors.mandatory('method')));
    return;
  }
  const method = m.method;
  const conn = ws.getUserData();
  const symbolParam = typeof m.params === 'object' && m.params !== null ? (m.params as Record<string, unknown>).symbol : undefined;
  const fault = d.ctx.faults.takeHttpFault(faultPath(method), typeof symbolParam === 'string' ? symbolParam : undefined);
  if (fault?.status !== undefined && fault.body) {
    const retry = fault.headers?.['Retry-After'];
    const o: Outcome = { ok: false, status: fault.status, body: fault.body, execBeforeAck: false, lostAck: false };
    if (retry !== undefined) o.retryAfterSec = Number(retry);
    reply(d, ws, id, o);
    return;
  }

  const op = d.operations.get(method as OperationName);
  if (op) {
    const params = m.params;
    const outcome = d.dispatcher.run(op, {
      ip: conn.ip,
      apiKey: apiKeyParam(params),
      read: () => ({ params: wsApiParams(params), payload: wsApiSignedPayload((params ?? {}) as Record<string, unknown>) }),
    });
    ws.cork(() => {
      if (outcome.execBeforeAck) d.service.flushEvents();
      if (!outcome.lostAck) reply(d, ws, id, outcome, outcome.orderAccount);
      d.service.flushEvents();
    });
    return;
  }
  switch (method) {
    case 'ping':
      return simple(d, ws, id, 1, () => ({}));
    case 'time':
      return simple(d, ws, id, 1, () => ({ serverTime: d.ctx.clock.nowMs() }));
    case 'userDataStream.subscribe.signature':
      return subscribe(d, ws, id, m.params);
    case 'userDataStream.unsubscribe':
      return simple(d, ws, id, 2, () => unsubscribe(conn, m.params));
    case 'session.status':
      return simple(d, ws, id, 2, () => ({ apiKey: null, authorizedSince: null, connectedSince: null, returnRateLimits: true, serverTime: d.ctx.clock.nowMs(), userDataStream: conn.subscriptions.size > 0 }));
    default:
      // session.logon needs an Ed25519 key, which sim accounts (HMAC) cannot have.
      reply(d, ws, id, errorOutcome(ApiErrors.unsupported()));
  }
}

function apiKeyParam(params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const k = (params as Record<string, unknown>).apiKey;
  return typeof k === 'string' ? k : undefined;
}

function simple(d: WsApiDeps, ws: WebSocket<Conn>, id: RequestId, weight: number, fn: () => unknown): void {
  try {
    d.limiter.chargeWeight(ws.getUserData().ip, weight);
    reply(d, ws, id, { ok: true, status: 200, body: fn() });
  } catch (err) {
    reply(d, ws, id, errorOutcome(err instanceof BinanceApiError ? err : ApiErrors.unknown()));
  }
}

function subscribe(d: WsApiDeps, ws: WebSocket<Conn>, id: RequestId, params: unknown): void {
  const conn = ws.getUserData();
  const op: Operation = {
    name: 'account.status',
    weight: () => 2,
    placesOrder: false,
    run: (account) => {
      if (conn.subscriptions.size >= MAX_SUBSCRIPTIONS) throw new BinanceApiError(-1191, `Too many subscriptions. Connection may create up to '${MAX_SUBSCRIPTIONS}' subscriptions at a time.`);
      const subscriptionId = conn.nextSubscriptionId++;
      const unsubscribe = d.service.streams.subscribe(account.name, {
        deliver: (event) => {
          if (!conn.open) return false;
          send(d, ws, { subscriptionId, event });
          return true;
        },
      });
      conn.subscriptions.set(subscriptionId, unsubscribe);
      return { subscriptionId };
    },
  };
  const outcome = d.dispatcher.run(op, {
    ip: conn.ip,
    apiKey: apiKeyParam(params),
    read: () => ({ params: wsApiParams(params), payload: wsApiSignedPayload((params ?? {}) as Record<string, unknown>) }),
  });
  reply(d, ws, id, outcome);
}

function unsubscribe(conn: Conn, params: unknown): Record<string, never> {
  const p = wsApiParams(params);
  const idText = p.get('subscriptionId');
  if (idText === undefined) {
    for (const u of conn.subscriptions.values()) u();
    conn.subscriptions.clear();
    return {};
  }
  if (!/^[0-9]{1,9}$/.test(idText)) throw ApiErrors.invalidParam('subscriptionId');
  const sid = Number(idText);
  const u = conn.subscriptions.get(sid);
  if (!u) throw ApiErrors.invalidParam('subscriptionId');
  u();
  conn.subscriptions.delete(sid);
  return {};
}
