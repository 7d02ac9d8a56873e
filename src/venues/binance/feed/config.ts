/**
 * Options of the Binance market-data feed, validated once into a resolved FeedConfig.
 * Every bad option fails with FeedError BINANCE_FEED_CONFIG naming the field.
 *
 * Venue limits behind the defaults (shared/protocols/PROTOCOLS.md §1-2): 24 h connection
 * lifetime, ≤ 1024 streams per connection, ≤ 5 (spot) / 10 (USD-M) incoming messages per
 * second per connection — pongs and SUBSCRIBEs alike — and ≤ 300 connection attempts per
 * 5 minutes per IP.
 */
import { configError } from './errors.js';
import { isValidStreamSuffix, isValidSymbol } from './stream-names.js';
import { VENUE_URLS } from './urls.js';

export type BinanceMarket = 'spot' | 'usdm';
/** 'combined' = /stream with the {"stream","data"} wrapper; 'raw' = /ws, bare payloads. */
export type StreamMode = 'combined' | 'raw';
export type JitterKind = 'full' | 'decorrelated';

export interface BackoffOptions {
  /** First delay (decorrelated: the floor of every delay). Default 1000. */
  initialMs?: number;
  /** Cap of every delay. Default 60000. */
  maxMs?: number;
  /** A connection live this long resets the backoff to initialMs. Default 60000. */
  healthyResetMs?: number;
  /** Default 'decorrelated' (never below initialMs); 'full' draws from [0, ceiling]. */
  jitter?: JitterKind;
  /** Seed of the jitter PRNG (tests); default: random per feed. */
  seed?: number;
}

export interface BinanceFeedOptions {
  market: BinanceMarket;
  /** Defaults: the venue's production hosts (urls.ts VENUE_URLS). */
  urls?: { wsBase?: string; restBase?: string };
  /** Upper-case symbols, e.g. ['BTCUSDT', 'ETHUSDT']. */
  symbols: readonly string[];
  /** Streams per symbol, as the part after '@', e.g. ['depth@100ms', 'trade']. */
  streams: readonly string[];
  /** Default 'combined' (the wrapper tells the decoder which stream a frame belongs to). */
  mode?: StreamMode;
  /** Default 200 (venue maximum 1024). */
  maxStreamsPerConnection?: number;
  /** Stream names per SUBSCRIBE request. Default 50. */
  streamsPerSubscribe?: number;
  /**
   * SUBSCRIBE requests per second per connection. Default one below the venue's incoming
   * limit (spot 4, USD-M 9): the automatic pong counts against the same limit.
   */
  subscribeRatePerSec?: number;
  /** A SUBSCRIBE without reply for this long kills the connection. Default 10000. */
  subscribeTimeoutMs?: number;
  /** No frame (data, reply or ping) for this long: the connection is dead. Default 60000. */
  readDeadlineMs?: number;
  /** WebSocket handshake timeout. Default 10000. */
  connectTimeoutMs?: number;
  /** Replace a connection (make-before-break) after this long. Default 23 h 50 min. */
  lifetimeMs?: number;
  /** Each connection rolls over up to this much earlier, at random, so they do not all roll at once. */
  lifetimeSpreadMs?: number;
  backoff?: BackoffOptions;
  /** Connection attempts allowed per window, across the feed. Default 300 per 300000 ms. */
  connectAttempts?: { max?: number; windowMs?: number };
  /** Let ws validate UTF-8 of text frames. Default true; the native decoder validates too. */
  validateUtf8?: boolean;
  /** Largest frame accepted. Default 4 MiB. */
  maxPayloadBytes?: number;
}

export interface FeedConfig {
  readonly market: BinanceMarket;
  readonly wsBase: string;
  readonly restBase: string;
  readonly symbols: readonly string[];
  readonly streams: readonly string[];
  readonly mode: StreamMode;
  readonly maxStreamsPerConnection: number;
  readonly streamsPerSubscribe: number;
  readonly subscribeRatePerSec: number;
  readonly subscribeTimeoutMs: number;
  readonly readDeadlineMs: number;
  readonly connectTimeoutMs: number;
  readonly lifetimeMs: number;
  readonly lifetimeSpreadMs: number;
  readonly backoff: Readonly<Required<Omit<BackoffOptions, 'seed'>>> & { readonly seed: number | undefined };
  readonly connectAttempts: { readonly max: number; readonly windowMs: number };
  readonly validateUtf8: boolean;
  readonly maxPayloadBytes: number;
}

export const VENUE_INCOMING_PER_SEC: Record<BinanceMarket, number> = { spot: 5, usdm: 10 };
export const MAX_STREAMS_PER_CONNECTION = 1024;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function int(field: string, v: unknown, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw configError(field, `an integer in [${min}, ${max}]`, v);
  return v;
}

function url(field: string, v: unknown, dflt: string, schemes: readonly string[]): string {
  if (v === undefined) return dflt;
  if (typeof v !== 'string') throw configError(field, `a ${schemes.join('/')} URL string`, v);
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw configError(field, `a ${schemes.join('/')} URL`, v);
  }
  if (!schemes.includes(parsed.protocol)) throw configError(field, `a URL with scheme ${schemes.join(' or ')}`, v);
  if (parsed.search !== '' || parsed.hash !== '') throw configError(field, 'a base URL without query or fragment', v);
  return v.endsWith('/') ? v.slice(0, -1) : v;
}

function list(field: string, v: unknown, check: (s: string) => boolean, what: string): string[] {
  if (!Array.isArray(v) || v.length === 0) throw configError(field, `a non-empty array of ${what}`, v);
  const seen = new Set<string>();
  for (let i = 0; i < v.length; i++) {
    const s: unknown = v[i];
    if (typeof s !== 'string' || !check(s)) throw configError(`${field}[${i}]`, what, s);
    if (seen.has(s)) throw configError(`${field}[${i}]`, 'listed once', s);
    seen.add(s);
  }
  return [...seen];
}

export function resolveFeedConfig(options: BinanceFeedOptions): FeedConfig {
  if (typeof options !== 'object' || options === null) throw configError('(options)', 'an object', options);
  const market = options.market;
  if (market !== 'spot' && market !== 'usdm') throw configError('market', "'spot' or 'usdm'", market);
  const mode = options.mode ?? 'combined';
  if (mode !== 'combined' && mode !== 'raw') throw configError('mode', "'combined' or 'raw'", mode);
  const urls = options.urls ?? {};
  const symbols = list('symbols', options.symbols, isValidSymbol, 'upper-case symbols like "BTCUSDT"');
  const streams = list('streams', options.streams, isValidStreamSuffix, 'stream suffixes like "depth@100ms" or "trade"');
  const venueRate = VENUE_INCOMING_PER_SEC[market];
  const b = options.backoff ?? {};
  const initialMs = int('backoff.initialMs', b.initialMs, 1000, 1, DAY_MS);
  const maxMs = int('backoff.maxMs', b.maxMs, 60_000, 1, DAY_MS);
  if (maxMs < initialMs) throw configError('backoff.maxMs', `>= backoff.initialMs (${initialMs})`, maxMs);
  const jitter = b.jitter ?? 'decorrelated';
  if (jitter !== 'full' && jitter !== 'decorrelated') throw configError('backoff.jitter', "'full' or 'decorrelated'", jitter);
  const lifetimeMs = int('lifetimeMs', options.lifetimeMs, DAY_MS - 10 * 60_000, 100, DAY_MS);
  const ca = options.connectAttempts ?? {};
  if (options.validateUtf8 !== undefined && typeof options.validateUtf8 !== 'boolean') throw configError('validateUtf8', 'a boolean', options.validateUtf8);
  return Object.freeze({
    market,
    wsBase: url('urls.wsBase', urls.wsBase, VENUE_URLS[market].wsBase, ['ws:', 'wss:']),
    restBase: url('urls.restBase', urls.restBase, VENUE_URLS[market].restBase, ['http:', 'https:']),
    symbols,
    streams,
    mode,
    maxStreamsPerConnection: int('maxStreamsPerConnection', options.maxStreamsPerConnection, 200, 1, MAX_STREAMS_PER_CONNECTION),
    streamsPerSubscribe: int('streamsPerSubscribe', options.streamsPerSubscribe, 50, 1, MAX_STREAMS_PER_CONNECTION),
    subscribeRatePerSec: int('subscribeRatePerSec', options.subscribeRatePerSec, venueRate - 1, 1, venueRate),
    subscribeTimeoutMs: int('subscribeTimeoutMs', options.subscribeTimeoutMs, 10_000, 10, 10 * 60_000),
    readDeadlineMs: int('readDeadlineMs', options.readDeadlineMs, 60_000, 10, HOUR_MS),
    connectTimeoutMs: int('connectTimeoutMs', options.connectTimeoutMs, 10_000, 10, 10 * 60_000),
    lifetimeMs,
    lifetimeSpreadMs: int('lifetimeSpreadMs', options.lifetimeSpreadMs, Math.min(5 * 60_000, Math.floor(lifetimeMs / 20)), 0, Math.floor(lifetimeMs / 2)),
    backoff: Object.freeze({
      initialMs,
      maxMs,
      healthyResetMs: int('backoff.healthyResetMs', b.healthyResetMs, 60_000, 0, DAY_MS),
      jitter,
      seed: b.seed === undefined ? undefined : int('backoff.seed', b.seed, 0, 0, 0xffff_ffff),
    }),
    connectAttempts: Object.freeze({
      max: int('connectAttempts.max', ca.max, 300, 1, 100_000),
      windowMs: int('connectAttempts.windowMs', ca.windowMs, 300_000, 1, DAY_MS),
    }),
    validateUtf8: options.validateUtf8 ?? true,
    maxPayloadBytes: int('maxPayloadBytes', options.maxPayloadBytes, 4 << 20, 1024, 256 << 20),
  });
}
