/**
 * The engine's HTTP/WebSocket gateway (uWebSockets.js, io thread):
 *
 *   GET /metrics /health /ready        operational endpoints (no token by default)
 *   /api/v1/...                        REST routes, bearer token, registered by their owners
 *   GET /api/v1/books/:venue/:symbol   top of a shared book (when a book directory is given)
 *   GET /api/v1/status                 engine + gateway + books
 *   /ws                                push channel (books, trades, orders, pnl)
 *
 *   const gw = await startGateway({ host, port, token, metrics: { registry, exporter },
 *                                   ready: () => ({ ready, reasons }), books });
 *   gw.registerRoute('POST', '/api/v1/risk/kill', handler);
 *   gw.publish('orders', 'mm-btc', json);   // engine side, io thread
 *   await gw.stop();
 */
import type { us_listen_socket } from '@btc-vision/uwebsockets.js';
import { isIP } from 'node:net';
import { childLogger, createLogger, type VelozLogger } from '../core/log/index.js';
import type { PushChannelName } from '../core/metrics/engine-metrics.js';
import type { PrometheusExporter } from '../core/metrics/prometheus-exporter.js';
import type { MetricsRegistry } from '../core/metrics/registry.js';
import { uws } from '../net/uws.js';
import type { BookDirectory } from './books/book-directory.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { BearerAuth } from './http/auth.js';
import { HttpDispatcher } from './http/http-dispatcher.js';
import { RequestIds } from './http/request-ids.js';
import { RouteTable, type HttpMethod, type RouteHandler, type RouteOptions } from './http/route-table.js';
import { BookPushSource } from './push/book-push-source.js';
import { PushHub } from './push/push-hub.js';
import { pushBehavior } from './push/push-socket.js';
import { registerBookRoute } from './routes/book-route.js';
import { registerStatusRoute } from './routes/status-route.js';
import { registerSystemRoutes, type Readiness } from './routes/system-routes.js';

export interface PushOptions {
  /** Unsent bytes a client may have before its messages are dropped (uWS maxBackpressure). Default 1 MiB. */
  sendLimitBytes?: number;
  /** Consecutive drops after which a client is disconnected; null (default) = never. */
  dropBudget?: number | null;
  /** Queueing channels (trades, orders): messages held per topic between flushes. Default 1024. */
  maxQueuedPerTopic?: number;
  maxSubscriptionsPerClient?: number;
  /** Book sampling period, ms. Default 100. */
  bookIntervalMs?: number;
  maxBookDepth?: number;
  idleTimeoutS?: number;
  /** Longest one fan-out slice may hold the io thread's event loop, µs. Default 1000. */
  sliceBudgetUs?: number;
}

/** Something that feeds the push channel, started and stopped with the gateway. */
export interface PushSource {
  start(): void;
  stop(): void;
}

export interface GatewayOptions {
  host: string;
  /** 0 = any free port (tests). */
  port: number;
  /** The resolved API token (resolveGatewayToken), or null for no auth. */
  token: string | null;
  metrics: { registry: MetricsRegistry; exporter: PrometheusExporter };
  ready: () => Readiness;
  health?: () => Record<string, unknown>;
  /** Engine part of GET /api/v1/status. */
  status?: () => unknown;
  /** Routes registered before start (others may be added after with registerRoute). */
  routes?: RouteTable;
  books?: BookDirectory;
  push?: PushOptions;
  /** Extra push sources, given the hub to publish into. */
  pushSources?: ReadonlyArray<(hub: PushHub) => PushSource>;
  /** Require the token on /metrics, /health, /ready too. Default false. */
  authSystemEndpoints?: boolean;
  /** Request body limit, bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  log?: VelozLogger;
}

export interface Gateway {
  readonly host: string;
  readonly port: number;
  readonly routes: RouteTable;
  readonly hub: PushHub;
  readonly dispatcher: HttpDispatcher;
  registerRoute(method: HttpMethod, path: string, handler: RouteHandler, options?: RouteOptions): void;
  publish(channel: PushChannelName, key: string, payload: Uint8Array | string): boolean;
  hasSubscribers(channel: PushChannelName, key: string): boolean;
  stop(): Promise<void>;
}

export class GatewayError extends Error {
  readonly code: 'GATEWAY_LISTEN' | 'GATEWAY_OPTIONS';
  constructor(code: 'GATEWAY_LISTEN' | 'GATEWAY_OPTIONS', message: string) {
    super(message);
    this.name = 'GatewayError';
    this.code = code;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

export async function startGateway(o: GatewayOptions): Promise<Gateway> {
  const log = o.log ? childLogger(o.log, 'gateway') : createLogger({ name: 'veloz-gateway', level: 'warn' });
  const sendLimitBytes = o.push?.sendLimitBytes ?? 1 << 20;
  const maxBodyBytes = o.maxBodyBytes ?? 64 * 1024;
  if (!(Number.isInteger(sendLimitBytes) && sendLimitBytes >= 1024)) {
    throw new GatewayError('GATEWAY_OPTIONS', `push.sendLimitBytes must be an integer >= 1024, got ${sendLimitBytes}`);
  }
  if (!(Number.isInteger(maxBodyBytes) && maxBodyBytes >= 0)) throw new GatewayError('GATEWAY_OPTIONS', `maxBodyBytes must be a non-negative integer`);
  if (o.token === null && !isLoopback(o.host)) {
    log.warn({ host: o.host }, 'gateway listens beyond loopback without a token: the REST API and push channel are open to anyone who can reach it');
  }

  const u = uws();
  const app = u.App();
  const metrics = new GatewayMetrics(o.metrics.registry);
  const auth = new BearerAuth(o.token);
  const routes = o.routes ?? new RouteTable();
  const startedAtMs = Date.now();
  const hub = new PushHub({
    metrics,
    log,
    sendLimitBytes,
    dropBudget: o.push?.dropBudget ?? null,
    maxQueuedPerTopic: o.push?.maxQueuedPerTopic ?? 1024,
    maxSubscriptionsPerClient: o.push?.maxSubscriptionsPerClient ?? 256,
    sliceBudgetUs: o.push?.sliceBudgetUs ?? 1000,
  });

  registerSystemRoutes(routes, {
    exporter: o.metrics.exporter,
    ready: o.ready,
    ...(o.health ? { health: o.health } : {}),
    auth: o.authSystemEndpoints ?? false,
    startedAtMs,
  });
  registerStatusRoute(routes, { hub, startedAtMs, ...(o.status ? { status: o.status } : {}), ...(o.books ? { books: o.books } : {}) });
  const sources: PushSource[] = [];
  if (o.books) {
    registerBookRoute(routes, o.books);
    sources.push(new BookPushSource(hub, { books: o.books, intervalMs: o.push?.bookIntervalMs ?? 100, maxDepth: o.push?.maxBookDepth ?? 100, log }));
  }
  for (const make of o.pushSources ?? []) sources.push(make(hub));

  const dispatcher = new HttpDispatcher({ routes, auth, maxBodyBytes, metrics, log, requestIds: new RequestIds() });
  app.ws('/ws', pushBehavior({ hub, auth, metrics, log, sendLimitBytes, ...(o.push?.idleTimeoutS !== undefined ? { idleTimeoutS: o.push.idleTimeoutS } : {}) }));
  app.any('/*', (res, req) => dispatcher.handle(res, req));

  const listenSocket = await new Promise<us_listen_socket | false>((resolve) => app.listen(o.host, o.port, resolve));
  if (listenSocket === false) {
    app.close();
    throw new GatewayError('GATEWAY_LISTEN', `gateway cannot listen on ${o.host}:${o.port} (address in use, not local, or no permission)`);
  }
  const port = u.us_socket_local_port(listenSocket as never);
  for (const s of sources) s.start();
  log.info({ host: o.host, port, auth: auth.enabled }, 'gateway listening');

  let stopped = false;
  return {
    host: o.host,
    port,
    routes,
    hub,
    dispatcher,
    registerRoute: (method, path, handler, options) => {
      routes.register(method, path, handler, options);
    },
    publish: (channel, key, payload) => hub.publish(channel, key, payload),
    hasSubscribers: (channel, key) => hub.hasSubscribers(channel, key),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const s of sources) s.stop();
      u.us_listen_socket_close(listenSocket);
      hub.closeAll();
      // Let the close frames go out before the sockets are torn down.
      await new Promise((r) => setTimeout(r, 20));
      app.close();
    },
  };
}
