import { InstrumentRegistry } from '../../src/core/instruments/registry.js';
import { IntentAction, OrderType, Side, TimeInForce } from '../../src/core/schema/constants.js';
import { ManualClock } from '../../src/risk/clock.js';
import { RiskIntent } from '../../src/risk/intent.js';
import type { RiskLimitsConfig } from '../../src/risk/limits.js';
import { StaticMarks } from '../../src/risk/mark-source.js';
import { PreTradeRisk } from '../../src/risk/pre-trade-risk.js';
import type { KillSwitchConfig } from '../../src/risk/kill-switch.js';

/** BTCUSDT (id 1: ps 2, qs 5), ETHUSDT (id 2), SOLUSDT (id 3: tick 0.05, step 0.05, min qty 0.1, min notional 10). */
export function riskRegistry(): InstrumentRegistry {
  return InstrumentRegistry.from([
    { venue: 'binance', symbol: 'BTCUSDT', venueSymbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001', minQty: '0.00001', minNotional: '5' },
    { venue: 'binance', symbol: 'ETHUSDT', venueSymbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001', minQty: '0.0001', minNotional: '5' },
    { venue: 'binance', symbol: 'SOLUSDT', venueSymbol: 'SOLUSDT', base: 'SOL', quote: 'USDT', tickSize: '0.05', stepSize: '0.05', minQty: '0.1', minNotional: '10' },
  ]);
}

export function limitsConfig(over: Partial<RiskLimitsConfig> = {}): RiskLimitsConfig {
  return {
    defaults: { maxOrderQty: '2', maxOrderNotional: '150000', maxPosition: '3', maxTotalPosition: '5', priceBandBps: 500 },
    orderRate: { perStrategy: { perSecond: 10, burst: 5 }, global: { perSecond: 100, burst: 50 } },
    maxOpenOrders: { perStrategy: 4, global: 6 },
    dailyLoss: { USDT: '1000' },
    maxStrategies: 8,
    ...over,
  };
}

export const BTC = 1;
export const ETH = 2;
export const SOL = 3;
/** 1 BTC at qtyScale 5. */
export const ONE_BTC = 100_000;

export interface Rig {
  risk: PreTradeRisk;
  marks: StaticMarks;
  clock: ManualClock;
  registry: InstrumentRegistry;
}

export function rig(over: Partial<RiskLimitsConfig> = {}, ks?: KillSwitchConfig): Rig {
  const registry = riskRegistry();
  const marks = new StaticMarks();
  marks.set(BTC, 6_000_000n); // 60000.00
  marks.set(ETH, 300_000n); // 3000.00
  marks.set(SOL, 15_000n); // 150.00
  const clock = new ManualClock(1_000_000_000);
  const risk = new PreTradeRisk({ registry, limits: limitsConfig(over), marks, clock, killSwitch: ks });
  return { risk, marks, clock, registry };
}

const it = new RiskIntent();

/** A limit NEW intent (reused object). */
export function limit(side: number, instrument: number, price: number, qty: number, strategy = 1, flags = 0): RiskIntent {
  return it.set(IntentAction.NEW, side, instrument, strategy, price, qty, OrderType.LIMIT, TimeInForce.GTC, flags);
}

export function market(side: number, instrument: number, qty: number, strategy = 1): RiskIntent {
  return it.set(IntentAction.NEW, side, instrument, strategy, 0, qty, OrderType.MARKET, TimeInForce.IOC);
}

export { Side };
