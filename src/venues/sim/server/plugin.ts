/**
 * How code outside the market-data server (order entry, accounts) attaches to the sim's
 * uWebSockets.js app. SimExchange builds one SimPluginContext, calls every plugin's
 * install() before listen (uWS routes cannot be added afterwards), and stop() on shutdown.
 *
 * By default SimExchange loads `orderEntryPlugin(options)` from ../orderentry/index.js
 * when that module exists; pass `plugins: [...]` to SimExchange.start to choose
 * explicitly (an empty array runs market data only).
 */
import type { TemplatedApp, WebSocketBehavior } from '@btc-vision/uwebsockets.js';
import type { Instrument } from '../../../core/instruments/instrument.js';
import type { InstrumentRegistry } from '../../../core/instruments/registry.js';
import type { SimMatchingEngine } from '../matching/types.js';
import type { SimFaults } from '../faults.js';
import type { SimMarketMode, BinanceFormat } from '../market/format.js';

export type SimHttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** An HTTP request read in full (headers, query, body) before the handler runs. */
export interface SimHttpRequest {
  method: SimHttpMethod;
  /** Path without the query string, e.g. /api/v3/order. */
  path: string;
  /** The raw query string after '?', undecoded (signatures are computed over it). */
  rawQuery: string;
  query: URLSearchParams;
  /** Header names lower case. */
  headers: Record<string, string>;
  /** Raw body (UTF-8), '' when none. Bodies over 1 MiB are refused with 413. */
  body: string;
  /** Values of `:name` segments of the route pattern, in order. */
  params: string[];
  remoteAddress: string;
}

export interface SimHttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body: unknown;
}

export type SimRouteHandler = (req: SimHttpRequest) => SimHttpResponse | Promise<SimHttpResponse>;

export interface SimRouteOptions {
  /**
   * Apply the injected HTTP faults (429, 418, 500, delays) to this route before the
   * handler runs. Default true for every route outside /sim/.
   */
  httpFaults?: boolean;
}

export interface SimClock {
  /** Engine time in ms since the epoch (Binance E/T/transactTime). */
  nowMs(): number;
}

/** Field-style logging; a pino logger fits through a small adapter. */
export interface SimLog {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface SimAccountConfig {
  apiKey: string;
  apiSecret: string;
  /** Asset → free balance as a decimal string, e.g. { USDT: "100000", BTC: "1.5" }. */
  balances: Record<string, string>;
}

export interface SimPluginContext {
  /** The uWS app, before listen. Prefer registerRoute/registerWs; the app is for anything else. */
  app: TemplatedApp;
  engine: SimMatchingEngine;
  faults: SimFaults;
  clock: SimClock;
  instruments: InstrumentRegistry;
  /** Venue name the instruments are registered under ('sim'). */
  venue: string;
  /** The sim's instrument for a canonical or stream-style symbol (BTCUSDT / btcusdt). */
  instrument(symbol: string): Instrument | undefined;
  /** 'spot' (Binance spot paths) or 'usdm' (Binance USD-M futures paths). */
  market: SimMarketMode;
  /** Binance-style decimal strings for this sim's instruments. */
  format: BinanceFormat;
  accounts: SimAccountConfig[];
  log: SimLog;
  /** Adds an HTTP route (uWS pattern syntax: exact paths, `:param` segments, trailing `*`). */
  registerRoute(method: SimHttpMethod, path: string, handler: SimRouteHandler, options?: SimRouteOptions): void;
  /** Adds a WebSocket route. Must not reuse the market-data paths (/ws, /ws/*, /stream). */
  registerWs<UserData>(pattern: string, behavior: WebSocketBehavior<UserData>): void;
}

export interface SimPlugin {
  /** Shown in logs and errors. */
  name: string;
  install(ctx: SimPluginContext): void | Promise<void>;
  /** Called once when the sim stops, before sockets close. */
  stop?(): void | Promise<void>;
}

/** What ../orderentry/index.js exports as `orderEntryPlugin`. */
export type OrderEntryPluginFactory = (options: { accounts: SimAccountConfig[] }) => SimPlugin;

/** A JSON reply. */
export function jsonResponse(status: number, body: unknown, headers?: Record<string, string>): SimHttpResponse {
  return headers ? { status, body, headers } : { status, body };
}

/** A Binance-style error reply: {"code":-1121,"msg":"Invalid symbol."}. */
export function binanceError(status: number, code: number, msg: string, headers?: Record<string, string>): SimHttpResponse {
  return jsonResponse(status, { code, msg }, headers);
}
