/**
 * Options of the Binance execution adapter, validated once with errors that name the
 * field. Base URLs come from here, so one adapter trades against Binance
 * (https://api.binance.com, wss://ws-api.binance.com:443/ws-api/v3), its testnet, or a
 * veloz sim (http://127.0.0.1:<port>, ws://127.0.0.1:<port>/ws-api/v3).
 */
import { BinanceCredentials, type CredentialSource } from '../sign/credentials.js';
import type { VelozLogger } from '../../../core/log/index.js';
import type { RateLimitEntry } from './request-budget.js';
import type { InstrumentScales } from './scales.js';
import type { RespType } from './types.js';

export interface LocalClock {
  /** Wall-clock milliseconds since the epoch. */
  nowMs(): number;
}

export interface RateLimitOptions {
  /** REQUEST_WEIGHT per minute (Binance 6000); the venue's own figure wins when lower. */
  weightPerMinute?: number;
  /** ORDERS per 10 s (Binance 100). */
  ordersPer10s?: number;
  /** ORDERS per day (Binance 200000). */
  ordersPerDay?: number;
  /** Weight kept for cancels: other requests wait once less than this would remain. */
  cancelReserveWeight?: number;
  /** A new order over the order-count budget: wait for the window, or reject at once. */
  orderBudgetPolicy?: 'wait' | 'reject';
  /** Longest a request waits for budget or a back-off; longer waits are refused at once. */
  maxQueueWaitMs?: number;
  /** Requests held back at most; more are refused locally. */
  maxQueued?: number;
  /** Margin after a window boundary (server time) before spending the new window. */
  windowGuardMs?: number;
}

export interface BinanceExecOptions {
  /** REST base, e.g. https://api.binance.com or http://127.0.0.1:8123. */
  restBaseUrl: string;
  /** WebSocket API URL, e.g. wss://ws-api.binance.com:443/ws-api/v3; null = REST only (no user data). */
  wsApiUrl: string | null;
  /** Values or env/0600-file references (or ready-made credentials). */
  credentials: BinanceCredentials | CredentialSource;
  /** Scales of every symbol the adapter trades. */
  instruments: readonly InstrumentScales[];
  /** Balance/commission scales by asset; default 8 (Binance's display precision). */
  assetScales?: Readonly<Record<string, number>>;
  /** Default 5000; Binance allows up to 60000. */
  recvWindowMs?: number;
  /** A reply not received in this time makes the outcome UNKNOWN. Default 5000. */
  requestTimeoutMs?: number;
  /** Default RESULT (status and quantities in the reply, without the fills list). */
  respType?: RespType;
  /** WS API connect timeout (each attempt). Default 5000. */
  connectTimeoutMs?: number;
  /** Reconnect delays: exponential from `initialMs` to `maxMs`, with jitter. */
  reconnect?: { initialMs?: number; maxMs?: number };
  /** Client ping period on the WS API; a socket silent for two periods is dropped. Default 20000. */
  heartbeatMs?: number;
  /** Server-time resync period; 0 = only at start and after -1021. Default 300000. */
  clockSyncIntervalMs?: number;
  rateLimits?: RateLimitOptions;
  /**
   * exchangeInfo's `rateLimits` (GET /api/v3/exchangeInfo), when the caller has read it:
   * the venue's limits apply where tighter than `rateLimits` from the start, before any
   * WS API reply has named them (REST replies never do).
   */
  venueRateLimits?: readonly RateLimitEntry[];
  /** Local wall clock (tests skew it). Default Date.now. */
  clock?: LocalClock;
  log?: VelozLogger;
}

export interface ResolvedRateLimits {
  weightPerMinute: number;
  ordersPer10s: number;
  ordersPerDay: number;
  cancelReserveWeight: number;
  orderBudgetPolicy: 'wait' | 'reject';
  maxQueueWaitMs: number;
  maxQueued: number;
  windowGuardMs: number;
}

export interface ResolvedExecConfig {
  restBaseUrl: URL;
  wsApiUrl: URL | null;
  credentials: BinanceCredentials;
  instruments: readonly InstrumentScales[];
  assetScales: Readonly<Record<string, number>>;
  recvWindowMs: number;
  requestTimeoutMs: number;
  respType: RespType;
  connectTimeoutMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  heartbeatMs: number;
  clockSyncIntervalMs: number;
  rateLimits: ResolvedRateLimits;
  venueRateLimits: readonly RateLimitEntry[];
  clock: LocalClock;
  log: VelozLogger | undefined;
}

export class ExecConfigError extends Error {
  readonly code = 'BINANCE_EXEC_CONFIG';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExecConfigError';
  }
}

function fail(field: string, message: string): never {
  throw new ExecConfigError(`binance exec option ${field}: ${message}`);
}

function int(field: string, v: unknown, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(field, `must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  return v;
}

function url(field: string, v: unknown, protocols: readonly string[]): URL {
  if (typeof v !== 'string' || v.length === 0) fail(field, `must be a URL string, got ${JSON.stringify(v)}`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    fail(field, `is not a valid URL: ${JSON.stringify(v)}`);
  }
  if (!protocols.includes(u.protocol)) fail(field, `must use ${protocols.join(' or ')}, got ${u.protocol}`);
  if (u.username !== '' || u.password !== '') fail(field, 'must not carry credentials');
  if (u.search !== '' || u.hash !== '') fail(field, 'must not carry a query or fragment');
  return u;
}

const SYMBOL_RE = /^[A-Z0-9_.-]{1,20}$/;
const ASSET_RE = /^[A-Z0-9]{1,20}$/;

export function resolveExecConfig(o: BinanceExecOptions): ResolvedExecConfig {
  if (typeof o !== 'object' || o === null) throw new ExecConfigError('binance exec options must be an object');
  const restBaseUrl = url('restBaseUrl', o.restBaseUrl, ['http:', 'https:']);
  if (restBaseUrl.pathname !== '/' && restBaseUrl.pathname !== '') fail('restBaseUrl', `must be a base without a path (the adapter adds /api/v3/…), got ${restBaseUrl.pathname}`);
  const wsApiUrl = o.wsApiUrl === null ? null : url('wsApiUrl', o.wsApiUrl, ['ws:', 'wss:']);
  let credentials: BinanceCredentials;
  if (o.credentials instanceof BinanceCredentials) credentials = o.credentials;
  else if (typeof o.credentials === 'object' && o.credentials !== null) {
    try {
      credentials = BinanceCredentials.resolve(o.credentials, 'binance exec credentials');
    } catch (err) {
      throw new ExecConfigError(`binance exec option credentials: ${(err as Error).message}`, { cause: err });
    }
  } else fail('credentials', 'must give apiKey/apiSecret values or env/file references');
  if (!Array.isArray(o.instruments) || o.instruments.length === 0) fail('instruments', 'must list at least one symbol with its scales');
  const seen = new Set<string>();
  for (const [i, inst] of o.instruments.entries()) {
    if (typeof inst?.symbol !== 'string' || !SYMBOL_RE.test(inst.symbol)) fail(`instruments[${i}].symbol`, `must be an upper-case venue symbol, got ${JSON.stringify(inst?.symbol)}`);
    if (seen.has(inst.symbol)) fail(`instruments[${i}].symbol`, `${inst.symbol} listed twice`);
    seen.add(inst.symbol);
    int(`instruments[${i}].priceScale`, inst.priceScale, 0, 0, 18);
    int(`instruments[${i}].qtyScale`, inst.qtyScale, 0, 0, 18);
    if (inst.priceScale === undefined || inst.qtyScale === undefined) fail(`instruments[${i}]`, 'needs priceScale and qtyScale');
  }
  const assetScales = o.assetScales ?? {};
  for (const [asset, scale] of Object.entries(assetScales)) {
    if (!ASSET_RE.test(asset)) fail(`assetScales.${asset}`, 'asset names are upper-case letters or digits');
    int(`assetScales.${asset}`, scale, 8, 0, 18);
  }
  const respType = o.respType ?? 'RESULT';
  if (respType !== 'ACK' && respType !== 'RESULT' && respType !== 'FULL') fail('respType', `must be ACK, RESULT or FULL, got ${JSON.stringify(respType)}`);
  const r = o.rateLimits ?? {};
  const policy = r.orderBudgetPolicy ?? 'wait';
  if (policy !== 'wait' && policy !== 'reject') fail('rateLimits.orderBudgetPolicy', `must be 'wait' or 'reject', got ${JSON.stringify(policy)}`);
  const weightPerMinute = int('rateLimits.weightPerMinute', r.weightPerMinute, 6000, 1, 1_000_000_000);
  const rateLimits: ResolvedRateLimits = {
    weightPerMinute,
    ordersPer10s: int('rateLimits.ordersPer10s', r.ordersPer10s, 100, 1, 1_000_000_000),
    ordersPerDay: int('rateLimits.ordersPerDay', r.ordersPerDay, 200_000, 1, 1_000_000_000),
    cancelReserveWeight: int('rateLimits.cancelReserveWeight', r.cancelReserveWeight, Math.ceil(weightPerMinute * 0.05), 0, weightPerMinute),
    orderBudgetPolicy: policy,
    maxQueueWaitMs: int('rateLimits.maxQueueWaitMs', r.maxQueueWaitMs, 10_000, 0, 600_000),
    maxQueued: int('rateLimits.maxQueued', r.maxQueued, 10_000, 1, 1_000_000),
    windowGuardMs: int('rateLimits.windowGuardMs', r.windowGuardMs, 50, 0, 10_000),
  };
  const venueRateLimits = o.venueRateLimits ?? [];
  if (!Array.isArray(venueRateLimits)) fail('venueRateLimits', 'must be exchangeInfo rateLimits (an array)');
  for (const [i, e] of venueRateLimits.entries()) {
    if (typeof e?.rateLimitType !== 'string' || typeof e.interval !== 'string') fail(`venueRateLimits[${i}]`, 'needs rateLimitType and interval');
    int(`venueRateLimits[${i}].intervalNum`, e.intervalNum, 1, 1, 1_000_000);
    int(`venueRateLimits[${i}].limit`, e.limit, 1, 1, 1_000_000_000);
  }
  const clock = o.clock ?? { nowMs: () => Date.now() };
  if (typeof clock.nowMs !== 'function') fail('clock', 'must have nowMs()');
  const reconnectInitialMs = int('reconnect.initialMs', o.reconnect?.initialMs, 250, 1, 600_000);
  const reconnectMaxMs = int('reconnect.maxMs', o.reconnect?.maxMs, 30_000, reconnectInitialMs, 3_600_000);
  return {
    restBaseUrl,
    wsApiUrl,
    credentials,
    instruments: o.instruments,
    assetScales,
    recvWindowMs: int('recvWindowMs', o.recvWindowMs, 5000, 1, 60_000),
    requestTimeoutMs: int('requestTimeoutMs', o.requestTimeoutMs, 5000, 10, 600_000),
    respType,
    connectTimeoutMs: int('connectTimeoutMs', o.connectTimeoutMs, 5000, 10, 600_000),
    reconnectInitialMs,
    reconnectMaxMs,
    heartbeatMs: int('heartbeatMs', o.heartbeatMs, 20_000, 100, 3_600_000),
    clockSyncIntervalMs: int('clockSyncIntervalMs', o.clockSyncIntervalMs, 300_000, 0, 86_400_000),
    rateLimits,
    venueRateLimits,
    clock,
    log: o.log,
  };
}
