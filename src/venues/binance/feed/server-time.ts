/**
 * Polls GET /api/v3/time (spot) or /fapi/v1/time (USD-M) to keep a ClockOffsetEstimator
 * current: a burst of a few requests every period (the burst gives the min-RTT filter a
 * choice), under the shared RestGate. The exec adapter reads `estimator.offsetMs`.
 */
import type { BinanceMarket } from './config.js';
import { ClockOffsetEstimator } from './clock-offset.js';
import { configError, FeedError } from './errors.js';
import { restGet } from './rest-get.js';
import { RestGate } from './rest-gate.js';
import { WEIGHT_LIMIT_PER_MIN } from './snapshot-fetcher.js';
import { restPath, restUrl, VENUE_URLS } from './urls.js';

export interface ServerTimeOptions {
  market: BinanceMarket;
  restBase?: string;
  /** Between bursts. Default 60000. */
  periodMs?: number;
  /** Requests per burst. Default 3. */
  burst?: number;
  timeoutMs?: number;
  gate?: RestGate;
  /** Our wall clock, ms. Default Date.now. */
  wallMs?: () => number;
}

export interface ServerTimeCounters {
  polls: number;
  samples: number;
  failures: number;
}

/** GET /time costs 1 on both markets. */
const TIME_WEIGHT = 1;
const BODY_RE = /"serverTime"\s*:\s*(\d{1,16})/;

export class ServerTimeSync {
  readonly estimator = new ClockOffsetEstimator();
  readonly counters: ServerTimeCounters = { polls: 0, samples: 0, failures: 0 };
  readonly gate: RestGate;
  /** The last failure, for status pages. */
  lastError: FeedError | null = null;
  private readonly url: string;
  private readonly periodMs: number;
  private readonly burst: number;
  private readonly timeoutMs: number;
  private readonly wallMs: () => number;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(options: ServerTimeOptions) {
    const market = options.market;
    if (market !== 'spot' && market !== 'usdm') throw configError('market', "'spot' or 'usdm'", market);
    this.url = restUrl(options.restBase ?? VENUE_URLS[market].restBase, restPath(market, 'time'));
    this.periodMs = intIn('periodMs', options.periodMs, 60_000, 100, 86_400_000);
    this.burst = intIn('burst', options.burst, 3, 1, 20);
    this.timeoutMs = intIn('timeoutMs', options.timeoutMs, 5000, 10, 600_000);
    this.gate = options.gate ?? new RestGate(WEIGHT_LIMIT_PER_MIN[market]);
    this.wallMs = options.wallMs ?? Date.now;
  }

  /** First burst now, then one every periodMs. Resolves after the first burst. */
  start(): Promise<void> {
    if (this.timer) return this.running ?? Promise.resolve();
    this.timer = setInterval(() => void this.syncNow(), this.periodMs);
    this.timer.unref();
    return this.syncNow();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
  }

  /** One burst; failures are counted and kept in lastError, never thrown. */
  syncNow(): Promise<void> {
    this.running ??= this.poll().finally(() => (this.running = null));
    return this.running;
  }

  private async poll(): Promise<void> {
    this.counters.polls++;
    for (let i = 0; i < this.burst && !this.abort.signal.aborted; i++) {
      try {
        const t0 = this.wallMs();
        const reply = await restGet(this.url, { gate: this.gate, weight: TIME_WEIGHT, timeoutMs: this.timeoutMs, maxAttempts: 1, maxWaitMs: this.periodMs, signal: this.abort.signal });
        const t1 = this.wallMs();
        const m = BODY_RE.exec(reply.body.toString('utf8', 0, Math.min(reply.body.length, 256)));
        if (!m) throw new FeedError('BINANCE_REST_BAD_BODY', `GET ${this.url}: no serverTime in ${JSON.stringify(reply.body.subarray(0, 80).toString('utf8'))}`);
        if (this.estimator.add(t0, Number.parseInt(m[1] as string, 10), t1)) this.counters.samples++;
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.counters.failures++;
        this.lastError = err instanceof FeedError ? err : new FeedError('BINANCE_REST_NETWORK', String(err), { cause: err });
        return;
      }
    }
  }
}

function intIn(field: string, v: number | undefined, dflt: number, min: number, max: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min || v > max) throw configError(field, `an integer in [${min}, ${max}]`, v);
  return v;
}
