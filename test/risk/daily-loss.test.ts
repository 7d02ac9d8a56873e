import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InstrumentRegistry } from '../../src/core/instruments/registry.js';
import { Side } from '../../src/core/schema/constants.js';
import { ManualClock } from '../../src/risk/clock.js';
import { StaticMarks } from '../../src/risk/mark-source.js';
import { PreTradeRisk } from '../../src/risk/pre-trade-risk.js';
import { BTC, ETH, limitsConfig, rig } from './helpers.js';

const B = Side.BUY;
const S = Side.SELL;

describe('daily loss', () => {
  it('adds realised and unrealised over every instrument of the quote asset, fees included', () => {
    const r = rig();
    const btc = r.registry.require(BTC);
    const eth = r.registry.require(ETH);
    const led = r.risk.ledger;
    const dl = r.risk.dailyLoss;
    led.applyFill(1, btc, B, 100_000n, 6_000_000n, 0n); // long 1 BTC at 60000
    led.applyFill(2, eth, S, 10_000n, 300_000n, 0n); // short 1 ETH at 3000
    led.applyFill(2, eth, B, 10_000n, 320_000n, 0n); // bought back at 3200: realised −200
    r.marks.set(BTC, 5_920_000n); // −800 unrealised
    const p = dl.pnl('USDT')!;
    assert.equal(p.num, -1000n * p.den, 'PnL is exactly −1000 USDT');
    assert.equal(dl.breached(), true, '−200 − 800 = −1000 reaches the limit');
    r.marks.set(BTC, 5_920_001n);
    assert.equal(dl.breached(), false);
    // A fee of 0.01 USDT (ps + FEE_SCALE = 12) tips it over.
    led.applyFill(1, btc, B, 1n, 5_920_001n, 10n ** 10n);
    assert.equal(dl.breached(), true);
  });

  it('decides exactly at the limit even with large offsetting terms (exact fallback)', () => {
    const registry = InstrumentRegistry.from([
      { venue: 'v', symbol: 'BIGUSDT', venueSymbol: 'BIGUSDT', base: 'BIG', quote: 'USDT', tickSize: '0.00000001', stepSize: '0.00000001' },
    ]);
    const marks = new StaticMarks();
    const risk = new PreTradeRisk({
      registry,
      limits: limitsConfig({ defaults: { maxOrderQty: '1', maxOrderNotional: '1', maxPosition: '1', maxTotalPosition: '1', priceBandBps: 1 }, dailyLoss: { USDT: '0.00000001' } }),
      marks,
      clock: new ManualClock(),
    });
    const inst = registry.require(1);
    // 1e9 units bought at 1e6: 1e15 USDT of cash against 1e15 of position value.
    risk.ledger.applyFill(1, inst, B, 10n ** 17n, 10n ** 14n, 0n);
    marks.set(1, 10n ** 14n * 10n ** 9n - 1n, 10n ** 9n); // mark 1e-17 below cost → loss 1e-8·… exactly
    // loss = 1e9 units × 1e-17 = 1e-8 USDT = the limit: breached, invisible to float64.
    assert.equal(risk.dailyLoss.breached(), true);
    assert.ok(risk.dailyLoss.exactFallbacks >= 1);
    marks.set(1, 10n ** 14n * 10n ** 9n - 1n, 10n ** 9n + 1n); // a hair lower still: breached
    assert.equal(risk.dailyLoss.breached(), true);
    marks.set(1, 10n ** 23n - 9n, 10n ** 9n - 10n ** 1n + 1n); // mark slightly above cost: fine
    assert.equal(risk.dailyLoss.breached(), false);
  });

  it('measures from the start of the day after rollDay', () => {
    const r = rig();
    const btc = r.registry.require(BTC);
    r.risk.ledger.applyFill(1, btc, B, 100_000n, 6_000_000n, 0n);
    r.marks.set(BTC, 5_950_000n); // −500
    r.risk.dailyLoss.rollDay();
    assert.equal(r.risk.dailyLoss.breached(), false);
    r.marks.set(BTC, 5_890_000n); // −1100 in total, −600 today
    assert.equal(r.risk.dailyLoss.breached(), false);
    r.marks.set(BTC, 5_850_000n); // −1000 today
    assert.equal(r.risk.dailyLoss.breached(), true);
  });

  it('falls back to the last valid mid, then to the last fill price', () => {
    const r = rig();
    const btc = r.registry.require(BTC);
    r.marks.clear(BTC);
    r.risk.ledger.applyFill(1, btc, B, 100_000n, 6_000_000n, 0n);
    assert.equal(r.risk.dailyLoss.breached(), false, 'marked at the fill price: 0');
    r.marks.set(BTC, 5_800_000n);
    assert.equal(r.risk.dailyLoss.breached(), true);
    r.marks.setValid(BTC, false);
    assert.equal(r.risk.dailyLoss.breached(), true, 'the last valid mid still counts');
  });

  it('ignores quote assets without a limit', () => {
    const registry = InstrumentRegistry.from([
      { venue: 'v', symbol: 'ETHBTC', venueSymbol: 'ETHBTC', base: 'ETH', quote: 'BTC', tickSize: '0.00001', stepSize: '0.001' },
    ]);
    const marks = new StaticMarks();
    const risk = new PreTradeRisk({ registry, limits: limitsConfig(), marks, clock: new ManualClock() });
    risk.ledger.applyFill(1, registry.require(1), B, 1000n, 5000n, 0n);
    marks.set(1, 1n);
    assert.equal(risk.dailyLoss.breached(), false);
    assert.equal(risk.dailyLoss.pnl('BTC'), null);
  });
});
