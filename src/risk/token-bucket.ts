import { RiskConfigError, RiskErrorCode } from './errors.js';

const NANO_PER_TOKEN = 1e9;
/** Keeps every product below 2^53 (see the constructor). */
const MAX_RATE = 1_000_000;
const MAX_BURST = 1_000_000;

/**
 * Order-rate limiter: `burst` tokens at most, refilled at `perSecond` tokens per second.
 *
 * Counts in nano-tokens (1 token = 1e9), so with an integer rate one nanosecond adds
 * exactly `perSecond` nano-tokens and refills are exact integer arithmetic: no drift,
 * however often it is polled. Elapsed time is capped at the time to fill from empty, so
 * `elapsed × rate` stays below 2^53 (≤ burst·1e9 + rate with both ≤ 1e6).
 *
 * Time is passed in (ns from an injected Clock); a clock that steps back refills nothing.
 *
 * The mutable fields have initializers on purpose: a field declared without one (as
 * TypeScript emits for an ES2022 target) starts as `undefined`, V8 then keeps it in the
 * generic tagged representation, and every store of a non-Smi number (ns times, nano-token
 * counts) allocates a HeapNumber. Initialised to a number, the field stays a double in
 * place and the hot path allocates nothing.
 */
export class TokenBucket {
  readonly perSecond: number;
  readonly burst: number;
  private readonly capacityNano: number;
  private readonly fillNs: number;
  private tokensNano = 0;
  private lastNs = 0;

  constructor(perSecond: number, burst: number, nowNs: number) {
    if (!Number.isInteger(perSecond) || perSecond < 1 || perSecond > MAX_RATE) {
      throw new RiskConfigError(RiskErrorCode.LIMIT, `token bucket rate must be an integer 1..${MAX_RATE} per second, got ${perSecond}`);
    }
    if (!Number.isInteger(burst) || burst < 1 || burst > MAX_BURST) {
      throw new RiskConfigError(RiskErrorCode.LIMIT, `token bucket burst must be an integer 1..${MAX_BURST}, got ${burst}`);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.capacityNano = burst * NANO_PER_TOKEN;
    this.fillNs = Math.ceil(this.capacityNano / perSecond);
    this.tokensNano = this.capacityNano;
    this.lastNs = nowNs;
  }

  private refill(nowNs: number): void {
    const elapsed = nowNs - this.lastNs;
    if (elapsed <= 0) return;
    this.lastNs = nowNs;
    const add = (elapsed < this.fillNs ? elapsed : this.fillNs) * this.perSecond;
    const t = this.tokensNano + add;
    this.tokensNano = t < this.capacityNano ? t : this.capacityNano;
  }

  /** Whether a token is available at `nowNs` (refills, takes nothing). */
  available(nowNs: number): boolean {
    this.refill(nowNs);
    return this.tokensNano >= NANO_PER_TOKEN;
  }

  /** Takes a token that `available` just reported. */
  take(): void {
    this.tokensNano -= NANO_PER_TOKEN;
  }

  /** Refills and takes one token if there is one. */
  tryTake(nowNs: number): boolean {
    if (!this.available(nowNs)) return false;
    this.tokensNano -= NANO_PER_TOKEN;
    return true;
  }

  /** Whole tokens left at the last refill. */
  get tokens(): number {
    return Math.floor(this.tokensNano / NANO_PER_TOKEN);
  }
}
