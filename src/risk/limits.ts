/**
 * Risk limits: configuration as decimal strings (the way an operator writes them),
 * parsed once into fixed point per instrument.
 *
 * Numeric ranges the hot path relies on (checked here, RISK_LIMIT_RANGE otherwise):
 * every quantity-like value (max order qty, position limits, tick, step, min qty, contract
 * multiplier) is an integer mantissa below 2^53, so it is exact as a number and compares
 * with plain `<`. Notional limits (price × qty scale, often above 2^53) are kept as bigint
 * plus a double approximation for the filtered comparisons of exact.ts.
 */
import { type Instrument, significantScale } from '../core/instruments/instrument.js';
import type { InstrumentRegistry } from '../core/instruments/registry.js';
import { DecimalError } from '../core/fixed/errors.js';
import { parseDecimal, pow10 } from '../core/fixed/decimal.js';
import { RiskLimit } from '../core/schema/constants.js';
import { RiskConfigError, RiskErrorCode } from './errors.js';

export interface InstrumentLimitsConfig {
  /** Largest order, in base (contract) units, e.g. "2.5". */
  maxOrderQty: string;
  /** Largest price × qty of one order, in quote units. */
  maxOrderNotional: string;
  /** Largest |position| of one strategy, counting its working orders as filled. */
  maxPosition: string;
  /** Largest |position| of all strategies together on the instrument, same worst case. */
  maxTotalPosition: string;
  /** Largest distance of a limit price from the mid, in basis points (integer). */
  priceBandBps: number;
}

export interface RateConfig {
  /** Tokens added per second (integer). */
  perSecond: number;
  /** Bucket size: the most orders allowed back to back. */
  burst: number;
}

export type SelfTradeScope = 'account' | 'strategy' | 'off';

export interface RiskLimitsConfig {
  defaults: InstrumentLimitsConfig;
  /** Per-instrument overrides keyed "venue:SYMBOL" (canonical symbol). */
  instruments?: Record<string, Partial<InstrumentLimitsConfig>>;
  orderRate: { perStrategy: RateConfig; global: RateConfig };
  maxOpenOrders: { perStrategy: number; global: number };
  /**
   * Daily loss limit per quote asset, positive decimal in that asset (e.g. { USDT: "5000" }):
   * PnL of instruments quoted in different assets cannot be added without a rate, so each
   * quote asset has its own budget. Instruments whose quote asset is absent have none.
   */
  dailyLoss?: Record<string, string>;
  /** Refuse orders when the mid is missing or invalid (default true). When false, limit orders skip the band. */
  requireMark?: boolean;
  /** Whose resting orders a new order may not cross (default "account"). */
  selfTrade?: SelfTradeScope;
  /** Strategy ids are 1..maxStrategies (dense interned ids). */
  maxStrategies: number;
}

/** One instrument's limits and venue filters, as the hot path reads them. */
export class InstrumentRiskParams {
  constructor(
    readonly instrument: Instrument,
    public tick: number,
    public step: number,
    public minQty: number,
    public mult: number,
    public minNotional: bigint,
    public minNotionalApprox: number,
    public maxOrderQty: number,
    public maxOrderNotional: bigint,
    public maxOrderNotionalApprox: number,
    public maxPosition: number,
    public maxTotalPosition: number,
    public bandBps: number,
  ) {}
}

export interface DailyLossLimit {
  readonly quote: string;
  /** Positive loss budget: mantissa at `scale`, in the quote asset. */
  readonly mantissa: bigint;
  readonly scale: number;
}

export interface RiskLimits {
  /** Indexed by instrument id; undefined for ids without limits (rejected UNKNOWN_INSTRUMENT). */
  readonly instruments: (InstrumentRiskParams | undefined)[];
  readonly orderRate: { perStrategy: RateConfig; global: RateConfig };
  readonly maxOpenOrders: { perStrategy: number; global: number };
  readonly dailyLoss: ReadonlyMap<string, DailyLossLimit>;
  readonly requireMark: boolean;
  readonly selfTrade: SelfTradeScope;
  readonly maxStrategies: number;
}

const SAFE = Number.MAX_SAFE_INTEGER;

function fail(path: string, message: string, cause?: unknown): never {
  throw new RiskConfigError(RiskErrorCode.LIMIT, `risk limit ${path}: ${message}`, cause === undefined ? undefined : { cause });
}

/**
 * Parses a non-negative decimal to a mantissa at `scale`, which may exceed 18 (notional
 * scales are priceScale + qtyScale): the text is parsed at the fewest decimals it needs,
 * then widened in bigint, so "1000000" at scale 20 does not overflow int64 on the way.
 */
export function parseLimitDecimal(text: unknown, scale: number, path: string): bigint {
  if (typeof text !== 'string') fail(path, `must be a decimal string, got ${typeof text}`);
  const s = Math.min(significantScale(text), scale, 18);
  let m: bigint;
  try {
    m = parseDecimal(text, s);
  } catch (err) {
    fail(path, err instanceof DecimalError ? err.message : String(err), err);
  }
  return m * pow10(scale - s);
}

function safeQty(m: bigint, path: string): number {
  if (m > BigInt(SAFE)) {
    throw new RiskConfigError(RiskErrorCode.LIMIT_RANGE, `risk limit ${path}: mantissa ${m} is not below 2^53`);
  }
  return Number(m);
}

function integerIn(v: unknown, lo: number, hi: number, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) fail(path, `must be an integer ${lo}..${hi}, got ${String(v)}`);
  return v;
}

function instrumentParams(inst: Instrument, cfg: InstrumentLimitsConfig, path: string): InstrumentRiskParams {
  const ps = inst.priceScale;
  const qs = inst.qtyScale;
  const notional = (text: string, field: string) => parseLimitDecimal(text, ps + qs, `${path}.${field}`);
  const qty = (text: string, field: string) => safeQty(parseLimitDecimal(text, qs, `${path}.${field}`), `${path}.${field}`);
  const maxOrderNotional = notional(cfg.maxOrderNotional, 'maxOrderNotional');
  return new InstrumentRiskParams(
    inst,
    safeQty(inst.tickSize, `${path} tickSize`),
    safeQty(inst.stepSize, `${path} stepSize`),
    safeQty(inst.minQty, `${path} minQty`),
    safeQty(inst.contractMultiplier < 1n ? 1n : inst.contractMultiplier, `${path} contractMultiplier`),
    inst.minNotional,
    Number(inst.minNotional),
    qty(cfg.maxOrderQty, 'maxOrderQty'),
    maxOrderNotional,
    Number(maxOrderNotional),
    qty(cfg.maxPosition, 'maxPosition'),
    qty(cfg.maxTotalPosition, 'maxTotalPosition'),
    integerIn(cfg.priceBandBps, 1, 1_000_000, `${path}.priceBandBps`),
  );
}

/** Validates `config` and resolves the limits of every instrument in `registry`. */
export function parseRiskLimits(config: RiskLimitsConfig, registry: InstrumentRegistry): RiskLimits {
  if (config === null || typeof config !== 'object') fail('(root)', 'must be an object');
  if (!config.defaults) fail('defaults', 'is required');
  const overrides = config.instruments ?? {};
  const known = new Set(registry.all().map((i) => `${i.venue}:${i.symbol}`));
  for (const key of Object.keys(overrides)) {
    if (!known.has(key)) fail(`instruments.${key}`, 'names no registered instrument (expected "venue:SYMBOL")');
  }
  const instruments: (InstrumentRiskParams | undefined)[] = [undefined];
  for (const inst of registry.all()) {
    const key = `${inst.venue}:${inst.symbol}`;
    const merged = { ...config.defaults, ...(overrides[key] ?? {}) };
    instruments[inst.id] = instrumentParams(inst, merged, overrides[key] ? `instruments.${key}` : `defaults (${key})`);
  }
  const rate = (r: RateConfig | undefined, path: string): RateConfig => {
    if (!r) fail(path, 'is required');
    return { perSecond: integerIn(r.perSecond, 1, 1_000_000, `${path}.perSecond`), burst: integerIn(r.burst, 1, 1_000_000, `${path}.burst`) };
  };
  if (!config.orderRate) fail('orderRate', 'is required');
  if (!config.maxOpenOrders) fail('maxOpenOrders', 'is required');
  const dailyLoss = new Map<string, DailyLossLimit>();
  for (const [quote, text] of Object.entries(config.dailyLoss ?? {})) {
    const scale = 18;
    const mantissa = parseLimitDecimal(text, scale, `dailyLoss.${quote}`);
    if (mantissa <= 0n) fail(`dailyLoss.${quote}`, 'must be positive');
    dailyLoss.set(quote, { quote, mantissa, scale });
  }
  const selfTrade = config.selfTrade ?? 'account';
  if (selfTrade !== 'account' && selfTrade !== 'strategy' && selfTrade !== 'off') fail('selfTrade', `must be account, strategy or off, got ${String(selfTrade)}`);
  return {
    instruments,
    orderRate: { perStrategy: rate(config.orderRate.perStrategy, 'orderRate.perStrategy'), global: rate(config.orderRate.global, 'orderRate.global') },
    maxOpenOrders: {
      perStrategy: integerIn(config.maxOpenOrders.perStrategy, 0, 1_000_000, 'maxOpenOrders.perStrategy'),
      global: integerIn(config.maxOpenOrders.global, 0, 1_000_000, 'maxOpenOrders.global'),
    },
    dailyLoss,
    requireMark: config.requireMark ?? true,
    selfTrade,
    maxStrategies: integerIn(config.maxStrategies, 1, 65_535, 'maxStrategies'),
  };
}

/**
 * Applies a RISK_LIMIT control (ControlKind.RISK_LIMIT: `code` a RiskLimit, `value` the new
 * mantissa at the limit's scale) to one instrument's params. ORDER_RATE, MAX_OPEN_ORDERS
 * and DAILY_LOSS are engine-wide and handled by PreTradeRisk.setLimit.
 */
export function applyInstrumentLimit(p: InstrumentRiskParams, code: number, value: bigint): void {
  const path = `${p.instrument.venue}:${p.instrument.symbol} RiskLimit ${code}`;
  if (value < 0n) fail(path, `must not be negative, got ${value}`);
  switch (code) {
    case RiskLimit.MAX_ORDER_QTY:
      p.maxOrderQty = safeQty(value, path);
      return;
    case RiskLimit.MAX_ORDER_NOTIONAL:
      p.maxOrderNotional = value;
      p.maxOrderNotionalApprox = Number(value);
      return;
    case RiskLimit.MAX_POSITION:
      p.maxPosition = safeQty(value, path);
      return;
    case RiskLimit.MAX_TOTAL_POSITION:
      p.maxTotalPosition = safeQty(value, path);
      return;
    case RiskLimit.PRICE_BAND_BPS:
      p.bandBps = integerIn(Number(value), 1, 1_000_000, path);
      return;
    default:
      fail(path, 'is not a per-instrument limit');
  }
}
