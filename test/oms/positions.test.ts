import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { divRound, pow10 } from '../../src/core/fixed/decimal.js';
import type { Instrument } from '../../src/core/instruments/instrument.js';
import { InstrumentRegistry } from '../../src/core/instruments/registry.js';
import { Sentinel, Side } from '../../src/core/schema/constants.js';
import { pnlScaleOf, Positions, type FeeRates } from '../../src/oms/positions.js';
import { registry } from './helpers.js';

const SEED = Number(process.env['VELOZ_PROPERTY_SEED'] ?? 777);
const reg = registry();
const BTC = reg.require(1); // priceScale 2, qtyScale 5
const B = Side.BUY;
const SL = Side.SELL;
const ONE = 100_000n; // 1 BTC at qtyScale 5
const px = (x: number) => BigInt(Math.round(x * 100)); // priceScale 2, exact for the literals used
const usdt = (x: number) => BigInt(Math.round(x * 1e7)); // ps + qs = 7

describe('positions', () => {
  it('long: average price, partial close, unrealised', () => {
    const ps = new Positions();
    ps.applyFill(1, BTC, B, ONE, px(100), 0n, '');
    ps.applyFill(1, BTC, B, ONE, px(110), 0n, '');
    const p = ps.get(1, BTC.id)!;
    assert.equal(p.qty, 2n * ONE);
    assert.equal(p.avgPrice(), px(105));
    ps.applyFill(1, BTC, SL, ONE / 2n, px(120), 0n, '');
    assert.equal(p.realised, usdt(7.5));
    assert.equal(p.unrealised(px(130)), usdt(37.5));
    assert.equal(p.avgPrice(), px(105));
  });

  it('short: sell, buy back part', () => {
    const ps = new Positions();
    ps.applyFill(1, BTC, SL, 2n * ONE, px(100), 0n, '');
    ps.applyFill(1, BTC, B, ONE, px(90), 0n, '');
    const p = ps.get(1, BTC.id)!;
    assert.equal(p.qty, -ONE);
    assert.equal(p.realised, usdt(10));
    assert.equal(p.avgPrice(), px(100));
    assert.equal(p.unrealised(px(95)), usdt(5));
    assert.equal(p.unrealised(px(105)), usdt(-5));
  });

  it('flip through zero: close the long, open the short at the fill price', () => {
    const ps = new Positions();
    ps.applyFill(1, BTC, B, ONE, px(100), 0n, '');
    ps.applyFill(1, BTC, SL, 3n * ONE, px(120), 0n, '');
    const p = ps.get(1, BTC.id)!;
    assert.equal(p.realised, usdt(20));
    assert.equal(p.qty, -2n * ONE);
    assert.equal(p.costBasis, -usdt(240));
    assert.equal(p.avgPrice(), px(120));
    ps.applyFill(1, BTC, B, 2n * ONE, px(110), 0n, '');
    assert.equal(p.qty, 0n);
    assert.equal(p.costBasis, 0n);
    assert.equal(p.realised, usdt(40));
    assert.equal(p.avgPrice(), Sentinel.PRICE_UNDEF);
  });

  it('partial closes round the removed cost half-even and lose nothing', () => {
    const ps = new Positions();
    ps.applyFill(1, BTC, B, 1n, 10000n, 0n, '');
    ps.applyFill(1, BTC, B, 1n, 10001n, 0n, '');
    ps.applyFill(1, BTC, B, 1n, 10001n, 0n, '');
    const p = ps.get(1, BTC.id)!;
    assert.equal(p.avgPrice(), 10001n, '30002/3 = 10000.67 → 10001');
    ps.applyFill(1, BTC, SL, 1n, 10000n, 0n, '');
    assert.deepEqual([p.realised, p.costBasis], [-1n, 20001n], 'removed 10000.67 → 10001');
    ps.applyFill(1, BTC, SL, 1n, 10000n, 0n, '');
    assert.deepEqual([p.realised, p.costBasis], [-1n, 10001n], 'removed 10000.5 → 10000 (even)');
    ps.applyFill(1, BTC, SL, 1n, 10000n, 0n, '');
    assert.deepEqual([p.realised, p.costBasis, p.qty], [-2n, 0n, 0n], 'proceeds 30000 − cost 30002');
  });

  it('fees in the quote asset, in the base asset, and in a third asset with and without a rate', () => {
    const rates: FeeRates = { rate: (asset, quote) => (asset === 'BNB' && quote === 'USDT' ? { mantissa: 6005n, scale: 1 } : null) };
    const ps = new Positions(rates);
    // FEE_SCALE 10: 0.1 USDT = 1e9; fees in quote are kept at ps + 10 = 12.
    assert.equal(ps.applyFill(1, BTC, B, ONE, px(100), 1_000_000_000n, 'USDT'), 100_000_000_000n);
    // 0.001 BTC at 100.00 = 0.1 USDT.
    assert.equal(ps.applyFill(1, BTC, B, ONE, px(100), 10_000_000n, 'BTC'), 100_000_000_000n);
    // 0.0005 BNB at 600.5 USDT = 0.30025 USDT.
    assert.equal(ps.applyFill(1, BTC, B, ONE, px(100), 5_000_000n, 'BNB'), 300_250_000_000n);
    // No rate for XYZ: kept aside, not in PnL.
    assert.equal(ps.applyFill(1, BTC, B, ONE, px(100), 7n, 'XYZ'), 0n);
    const p = ps.get(1, BTC.id)!;
    assert.equal(p.feesQuote, 500_250_000_000n);
    assert.equal(p.feesBase, 10_000_000n);
    assert.deepEqual([...p.feesOther!], [['XYZ', 7n]]);
    // net at scale 12: 4 BTC bought at 100, marked at 101 → +4 USDT, minus 0.50025 fees.
    assert.equal(pnlScaleOf(BTC), 12);
    assert.equal(p.netPnl(px(101)), 4_000_000_000_000n - 500_250_000_000n);
  });

  it('a rate with more decimals than the price is rounded half-even', () => {
    const rates: FeeRates = { rate: () => ({ mantissa: 15n, scale: 3 }) }; // 0.015 USDT per unit
    const ps = new Positions(rates);
    // 1e-10 units × 0.015 = 1.5e-12 → at scale 12: 1.5 → 2 (half-even)
    assert.equal(ps.applyFill(1, BTC, B, ONE, px(100), 1n, 'ABC'), 2n);
    assert.equal(ps.applyFill(1, BTC, B, ONE, px(100), 3n, 'ABC'), 4n, '4.5 → 4');
  });

  it('sums strategies per instrument', () => {
    const ps = new Positions();
    ps.applyFill(1, BTC, B, ONE, px(100), 0n, '');
    ps.applyFill(2, BTC, B, 3n * ONE, px(104), 0n, '');
    const t = ps.totals(BTC);
    assert.equal(t.qty, 4n * ONE);
    assert.equal(t.avgPrice, px(103));
  });

  it('contract multiplier scales notional', () => {
    const r = InstrumentRegistry.from([
      { venue: 'x', symbol: 'BTCPERP', venueSymbol: 'BTCPERP', base: 'BTC', quote: 'USD', kind: 'perpetual', tickSize: '0.5', stepSize: '1', contractMultiplier: '10' },
    ]);
    const perp = r.require(1);
    const ps = new Positions();
    ps.applyFill(1, perp, B, 2n, 1000n, 0n, ''); // 2 contracts × 10 at 100.0
    ps.applyFill(1, perp, SL, 1n, 1010n, 0n, '');
    const p = ps.get(1, perp.id)!;
    assert.equal(p.realised, 100n, '1 contract × 10 × 1.0 = 10.0 at scale 1');
    assert.equal(p.avgPrice(), 1000n);
  });

  it('realised + unrealised − fees equals the cash-flow PnL for random fills', () => {
    const insts: Instrument[] = [BTC, reg.require(2)];
    const rates: FeeRates = { rate: (a) => (a === 'BNB' ? { mantissa: 60053n, scale: 2 } : null) };
    const arbFill = fc.record({
      buy: fc.boolean(),
      qty: fc.bigInt({ min: 1n, max: 10n ** 9n }),
      px: fc.bigInt({ min: 1n, max: 10n ** 9n }),
      fee: fc.bigInt({ min: -(10n ** 6n), max: 10n ** 9n }),
      feeAsset: fc.constantFrom('', 'USDT', 'BTC', 'ETH', 'BNB', 'XYZ'),
    });
    fc.assert(
      fc.property(fc.constantFrom(...insts), fc.array(arbFill, { minLength: 1, maxLength: 60 }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (inst, fills, mark) => {
        const ps = new Positions(rates);
        const S = pnlScaleOf(inst);
        const up = pow10(S - inst.priceScale - inst.qtyScale);
        // Independent bookkeeping: cash flow and fees, nothing else.
        let cash = 0n;
        let qty = 0n;
        let fees = 0n; // at ps + FEE_SCALE
        let prevRealised = 0n;
        for (const f of fills) {
          ps.applyFill(7, inst, f.buy ? B : SL, f.qty, f.px, f.fee, f.feeAsset);
          cash += (f.buy ? -1n : 1n) * f.qty * f.px;
          qty += f.buy ? f.qty : -f.qty;
          if (f.feeAsset === inst.quote) fees += f.fee * pow10(inst.priceScale);
          else if (f.feeAsset === inst.base) fees += f.fee * f.px;
          else if (f.feeAsset === 'BNB') fees += divRound(f.fee * 60053n, pow10(2 - inst.priceScale), 'halfEven');
          const p = ps.get(7, inst.id)!;
          assert.equal(p.qty, qty);
          // Identity at every step, not just the end.
          assert.equal(p.realised + p.unrealised(mark), cash + qty * mark);
          // The basis always has the position's sign (or is zero with it).
          assert.ok(qty === 0n ? p.costBasis === 0n : (p.costBasis > 0n) === (qty > 0n) || p.costBasis === 0n);
          prevRealised = p.realised;
        }
        const p = ps.get(7, inst.id)!;
        assert.equal(p.feesQuote, fees);
        const feeUp = pow10(S - inst.priceScale - 10);
        assert.equal(p.netPnl(mark), (cash + qty * mark) * up - fees * feeUp);
        if (qty !== 0n) {
          // The displayed average is the basis per unit, rounded to the nearest tick of price.
          const absQ = qty < 0n ? -qty : qty;
          const basis = p.costBasis < 0n ? -p.costBasis : p.costBasis;
          const err = p.avgPrice() * absQ - basis;
          assert.ok(2n * (err < 0n ? -err : err) <= absQ);
        }
        assert.equal(typeof prevRealised, 'bigint');
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });
});
