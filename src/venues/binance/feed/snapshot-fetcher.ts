/**
 * Depth snapshots for book (re)sync: GET /api/v3/depth (spot) or /fapi/v1/depth (USD-M).
 * The body comes back as the raw Buffer — the decoder parses it, like stream frames.
 * One request per symbol at a time: a resync asked for while one is in flight shares its
 * result (single flight), so a burst of gaps cannot multiply the request weight. Limits
 * (429/418 back-off, weight) go through the RestGate shared with the other REST callers.
 */
import type { BinanceMarket } from './config.js';
import { configError, FeedError } from './errors.js';
import { restGet } from './rest-get.js';
import { RestGate } from './rest-gate.js';
import { isValidSymbol } from './stream-names.js';
import { restPath, restUrl, VENUE_URLS } from './urls.js';

export interface SnapshotFetcherOptions {
  market: BinanceMarket;
  /** Default: the venue's production REST host. */
  restBase?: string;
  /** Per attempt. Default 5000. */
  timeoutMs?: number;
  /** Default 5. */
  maxAttempts?: number;
  /** Longest 429/418/weight back-off to wait out; longer fails with BINANCE_REST_BANNED. Default 120000. */
  maxWaitMs?: number;
  /** Share the gate of the other REST callers on this IP; default a new one for this market. */
  gate?: RestGate;
}

export interface SnapshotCounters {
  requested: number;
  /** Requests answered by a fetch already in flight for the symbol. */
  coalesced: number;
  fetched: number;
  failed: number;
}

/** REQUEST_WEIGHT per minute per IP. */
export const WEIGHT_LIMIT_PER_MIN: Record<BinanceMarket, number> = { spot: 6000, usdm: 2400 };
const USDM_LIMITS = [5, 10, 20, 50, 100, 500, 1000];
const SPOT_MAX_LIMIT = 5000;

/** Request weight of a depth snapshot with `limit` levels (PROTOCOLS.md §1, §2). */
export function depthWeight(market: BinanceMarket, limit: number): number {
  if (market === 'spot') return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
  return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
}

export class DepthSnapshotFetcher {
  readonly gate: RestGate;
  readonly counters: SnapshotCounters = { requested: 0, coalesced: 0, fetched: 0, failed: 0 };
  private readonly inFlight = new Map<string, Promise<Buffer>>();
  private readonly abort = new AbortController();
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxWaitMs: number;

  constructor(private readonly options: SnapshotFetcherOptions) {
    const market = options.market;
    if (market !== 'spot' && market !== 'usdm') throw configError('market', "'spot' or 'usdm'", market);
    this.base = options.restBase ?? VENUE_URLS[market].restBase;
    if (!/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(this.base)) throw configError('restBase', 'an http(s) base URL', this.base);
    this.timeoutMs = positive('timeoutMs', options.timeoutMs, 5000);
    this.maxAttempts = positive('maxAttempts', options.maxAttempts, 5);
    this.maxWaitMs = positive('maxWaitMs', options.maxWaitMs, 120_000);
    this.gate = options.gate ?? new RestGate(WEIGHT_LIMIT_PER_MIN[market]);
  }

  /**
   * The raw JSON body of the depth snapshot of `symbol` with `limit` levels. While a fetch
   * for the symbol is in flight, returns that one (whatever its limit).
   */
  fetch(symbol: string, limit = 1000): Promise<Buffer> {
    this.counters.requested++;
    const running = this.inFlight.get(symbol);
    if (running) {
      this.counters.coalesced++;
      return running;
    }
    if (this.abort.signal.aborted) return Promise.reject(new FeedError('BINANCE_FEED_STOPPED', 'snapshot fetcher stopped'));
    if (!isValidSymbol(symbol)) return Promise.reject(configError('symbol', 'an upper-case symbol like "BTCUSDT"', symbol));
    const market = this.options.market;
    const limitOk = market === 'spot' ? Number.isInteger(limit) && limit >= 1 && limit <= SPOT_MAX_LIMIT : USDM_LIMITS.includes(limit);
    if (!limitOk) return Promise.reject(configError('limit', market === 'spot' ? `an integer in [1, ${SPOT_MAX_LIMIT}]` : `one of ${USDM_LIMITS.join(', ')}`, limit));
    const url = `${restUrl(this.base, restPath(market, 'depth'))}?symbol=${symbol}&limit=${limit}`;
    const p = restGet(url, {
      gate: this.gate,
      weight: depthWeight(market, limit),
      timeoutMs: this.timeoutMs,
      maxAttempts: this.maxAttempts,
      maxWaitMs: this.maxWaitMs,
      signal: this.abort.signal,
    }).then(
      (reply) => {
        this.inFlight.delete(symbol);
        this.counters.fetched++;
        return reply.body;
      },
      (err: unknown) => {
        this.inFlight.delete(symbol);
        this.counters.failed++;
        throw err;
      },
    );
    this.inFlight.set(symbol, p);
    return p;
  }

  /** Fails every pending and future fetch with BINANCE_FEED_STOPPED. */
  stop(): void {
    this.abort.abort();
  }
}

function positive(field: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < 1 || v > 86_400_000) throw configError(field, 'a positive integer', v);
  return v;
}
