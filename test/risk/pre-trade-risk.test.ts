/**
 * Each pre-trade check on its own: an order that passes, one that it refuses with its
 * reason, and the counter of that reason.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IntentAction, IntentFlag, OrderType, RejectReason as R, RiskLimit, Side, TimeInForce } from '../../src/core/schema/constants.js';
import { RiskIntent } from '../../src/risk/intent.js';
import { TripReason } from '../../src/risk/kill-switch.js';
import { BTC, limit, market, ONE_BTC, rig, SOL, type Rig } from './helpers.js';

const B = Side.BUY;
const S = Side.SELL;
const P60K = 6_000_000; // 60000.00

function expect(r: Rig, reason: number, intent: RiskIntent, msg?: string): void {
  const before = r.risk.counters[reason]!;
  assert.equal(r.risk.check(intent), reason, msg);
  assert.equal(r.risk.counters[reason], before + 1, `counter of reason ${reason}`);
}

/** Opens an order in the risk index as the oms would after accepting it. */
function rest(r: Rig, side: number, inst: number, price: number, qty: number, strategy = 1, seq = 1): number {
  return r.risk.index.open(strategy, inst, side, true, price, qty, seq, seq);
}

describe('pre-trade risk', () => {
  it('passes a plain order and counts it', () => {
    const r = rig();
    expect(r, R.NONE, limit(B, BTC, P60K, ONE_BTC));
  });

  it('INVALID_INTENT', () => {
    const r = rig();
    expect(r, R.INVALID_INTENT, limit(B, BTC, P60K, 0), 'zero qty');
    expect(r, R.INVALID_INTENT, limit(0, BTC, P60K, 1), 'no side');
    expect(r, R.INVALID_INTENT, limit(3, BTC, P60K, 1), 'both sides');
    expect(r, R.INVALID_INTENT, limit(B, BTC, 0, 1), 'limit without price');
    expect(r, R.INVALID_INTENT, limit(B, BTC, 1.5, 1), 'fractional mantissa');
    expect(r, R.INVALID_INTENT, limit(B, BTC, P60K, 1, 0), 'strategy 0');
    expect(r, R.INVALID_INTENT, limit(B, BTC, P60K, 1, 9), 'strategy beyond maxStrategies');
    const w = limit(B, BTC, P60K, 1);
    w.wide = true;
    expect(r, R.INVALID_INTENT, w, 'a field beyond 2^53');
    const tif = limit(B, BTC, P60K, 1);
    tif.tif = 9;
    expect(r, R.INVALID_INTENT, tif, 'unknown tif');
    const mpo = market(B, BTC, 1);
    mpo.flags |= IntentFlag.POST_ONLY;
    expect(r, R.INVALID_INTENT, mpo, 'post-only market');
    const bad = limit(B, BTC, P60K, 1);
    bad.action = 99;
    expect(r, R.INVALID_INTENT, bad, 'unknown action');
  });

  it('UNKNOWN_INSTRUMENT', () => {
    const r = rig();
    expect(r, R.UNKNOWN_INSTRUMENT, limit(B, 99, P60K, 1));
    expect(r, R.UNKNOWN_INSTRUMENT, limit(B, 0, P60K, 1));
  });

  it('KILL_SWITCH: new orders refused while tripped, cancels pass, resume restores', () => {
    const r = rig();
    r.risk.killSwitch.command();
    expect(r, R.KILL_SWITCH, limit(B, BTC, P60K, ONE_BTC));
    const cancel = new RiskIntent().set(IntentAction.CANCEL, B, BTC, 1, 0, 0);
    expect(r, R.NONE, cancel);
    r.risk.killSwitch.resume('ops');
    expect(r, R.NONE, limit(B, BTC, P60K, ONE_BTC));
  });

  it('TICK', () => {
    const r = rig();
    expect(r, R.NONE, limit(B, SOL, 15_005, 100));
    expect(r, R.TICK, limit(B, SOL, 15_003, 100));
  });

  it('STEP: off the lot grid or below the minimum quantity', () => {
    const r = rig();
    expect(r, R.STEP, limit(B, SOL, 15_000, 103), 'not a multiple of 0.05');
    expect(r, R.STEP, limit(B, SOL, 15_000, 5), '0.05 < min 0.1');
    expect(r, R.NONE, limit(B, SOL, 15_000, 10));
  });

  it('MAX_QTY', () => {
    const r = rig();
    expect(r, R.NONE, limit(B, BTC, P60K, 2 * ONE_BTC));
    expect(r, R.MAX_QTY, limit(B, BTC, P60K, 2 * ONE_BTC + 1));
  });

  it('NO_MARK: refused without a valid mid, or only the band skipped when configured', () => {
    const r = rig();
    r.marks.setValid(BTC, false);
    expect(r, R.NO_MARK, limit(B, BTC, P60K, ONE_BTC));
    expect(r, R.NO_MARK, market(B, BTC, ONE_BTC));
    const lax = rig({ requireMark: false });
    lax.marks.clear(BTC);
    expect(lax, R.NONE, limit(B, BTC, 9_000_000, ONE_BTC), 'band cannot be checked and is skipped');
    expect(lax, R.NO_MARK, market(B, BTC, ONE_BTC), 'a market order still needs a value');
  });

  it('PRICE_BAND: 500 bps around the mid, edges included', () => {
    const r = rig();
    expect(r, R.NONE, limit(B, BTC, 6_300_000, 10), '+5% exactly');
    expect(r, R.PRICE_BAND, limit(B, BTC, 6_300_001, 10));
    expect(r, R.NONE, limit(S, BTC, 5_700_000, 10), '−5% exactly');
    expect(r, R.PRICE_BAND, limit(S, BTC, 5_699_999, 10));
    // A mid between two ticks: (59999.99 + 60000.00) / 2.
    r.marks.set(BTC, 11_999_999n, 2n);
    expect(r, R.NONE, limit(B, BTC, 6_299_999, 10), '|6299999·2 − 11999999|·1e4 = 599999.9·2e4 ≤ 500·11999999');
    expect(r, R.PRICE_BAND, limit(B, BTC, 6_300_000, 10));
  });

  it('MAX_NOTIONAL, with the exact edge', () => {
    const r = rig({ instruments: { 'binance:BTCUSDT': { maxOrderNotional: '100000' } } });
    expect(r, R.NONE, limit(B, BTC, 6_250_000, 160_000), '62500 × 1.6 = 100000');
    expect(r, R.MAX_NOTIONAL, limit(B, BTC, 6_250_001, 160_000));
    expect(r, R.MAX_NOTIONAL, market(B, BTC, 170_000), 'market valued at the mid: 102000');
    expect(r, R.NONE, market(B, BTC, 160_000));
  });

  it('MIN_NOTIONAL', () => {
    const r = rig();
    expect(r, R.MIN_NOTIONAL, limit(B, BTC, P60K, 8), '60000 × 0.00008 = 4.8 < 5');
    expect(r, R.NONE, limit(B, BTC, 6_250_000, 8), '62500 × 0.00008 = 5');
    expect(r, R.MIN_NOTIONAL, market(B, BTC, 8));
  });

  it('OPEN_ORDERS per strategy and in total', () => {
    const r = rig();
    for (let i = 0; i < 4; i++) rest(r, B, BTC, 5_900_000 - i, 10, 1, i + 1);
    expect(r, R.OPEN_ORDERS, limit(B, BTC, 5_800_000, 10, 1), 'strategy 1 has 4');
    expect(r, R.NONE, limit(B, BTC, 5_800_000, 10, 2));
    rest(r, B, BTC, 5_800_000, 10, 2, 5);
    rest(r, B, BTC, 5_800_001, 10, 3, 6);
    expect(r, R.OPEN_ORDERS, limit(B, BTC, 5_800_000, 10, 4), '6 open in total');
    r.risk.index.close(0);
    expect(r, R.NONE, limit(B, BTC, 5_800_000, 10, 4));
  });

  it('POSITION per strategy, counting working orders on the growing side', () => {
    const r = rig();
    const btc = r.registry.require(BTC);
    r.risk.ledger.applyFill(1, btc, B, 2n * 100_000n, 6_000_000n, 0n);
    expect(r, R.NONE, limit(B, BTC, P60K, ONE_BTC), '2 + 1 = 3');
    rest(r, B, BTC, 5_900_000, 1, 1, 1);
    expect(r, R.POSITION, limit(B, BTC, P60K, ONE_BTC), '2 + 0.00001 + 1 > 3');
    expect(r, R.NONE, limit(S, BTC, P60K, 2 * ONE_BTC), 'selling reduces');
    r.risk.ledger.applyFill(1, btc, S, 5n * 100_000n, 6_000_000n, 0n); // now −3
    expect(r, R.POSITION, limit(S, BTC, P60K, 10), 'short side: 3 + 0.0001 > 3');
    expect(r, R.NONE, limit(B, BTC, P60K, 2 * ONE_BTC));
  });

  it('POSITION in total across strategies', () => {
    const r = rig();
    const btc = r.registry.require(BTC);
    r.risk.ledger.applyFill(1, btc, B, 3n * 100_000n, 6_000_000n, 0n);
    r.risk.ledger.applyFill(2, btc, B, 2n * 100_000n, 6_000_000n, 0n);
    expect(r, R.POSITION, limit(B, BTC, P60K, 10, 3), 'strategy 3 is flat but the total is at 5');
    expect(r, R.NONE, limit(S, BTC, P60K, ONE_BTC, 3));
  });

  it('SELF_TRADE against our resting orders; post-only and other-strategy scope pass', () => {
    const r = rig();
    rest(r, S, BTC, 6_010_000, 10, 2, 1);
    expect(r, R.SELF_TRADE, limit(B, BTC, 6_010_000, 10, 1), 'buy at our ask');
    expect(r, R.NONE, limit(B, BTC, 6_009_999, 10, 1), 'one tick below');
    expect(r, R.SELF_TRADE, market(B, BTC, 10, 1));
    expect(r, R.NONE, limit(B, BTC, 6_020_000, 10, 1, IntentFlag.POST_ONLY), 'post-only cannot take');
    expect(r, R.NONE, limit(S, BTC, 6_000_000, 10, 1), 'same side never crosses');
    const scoped = rig({ selfTrade: 'strategy' });
    scoped.risk.index.open(2, BTC, S, true, 6_010_000, 10, 1, 1);
    expect(scoped, R.NONE, limit(B, BTC, 6_010_000, 10, 1), 'another strategy under strategy scope');
    expect(scoped, R.SELF_TRADE, limit(B, BTC, 6_010_000, 10, 2));
    const off = rig({ selfTrade: 'off' });
    off.risk.index.open(2, BTC, S, true, 6_010_000, 10, 1, 1);
    expect(off, R.NONE, limit(B, BTC, 6_010_000, 10, 1));
    // An IOC order is not resting liquidity.
    const ioc = rig();
    ioc.risk.index.open(2, BTC, S, false, 6_010_000, 10, 1, 1);
    expect(ioc, R.NONE, limit(B, BTC, 6_010_000, 10, 1));
  });

  it('DAILY_LOSS: refused once realised + unrealised reaches −limit, and the kill switch trips', () => {
    const r = rig();
    const btc = r.registry.require(BTC);
    r.risk.ledger.applyFill(1, btc, B, 100_000n, 6_000_000n, 0n); // long 1 at 60000
    rest(r, B, BTC, 5_000_000, 10, 1, 7);
    r.marks.set(BTC, 5_900_001n); // −999.99
    expect(r, R.NONE, limit(S, BTC, 5_900_001, 10));
    r.marks.set(BTC, 5_900_000n); // −1000.00: reached
    expect(r, R.DAILY_LOSS, limit(S, BTC, 5_900_000, 10));
    assert.equal(r.risk.killSwitch.tripped, true);
    assert.equal(r.risk.killSwitch.reason, TripReason.DAILY_LOSS);
    const cancels = r.risk.takeTripCancels();
    assert.deepEqual(cancels?.map((c) => c.seq), [7]);
    assert.equal(r.risk.takeTripCancels(), null);
    expect(r, R.KILL_SWITCH, limit(S, BTC, 5_900_000, 10));
  });

  it('RATE per strategy and global; a refused order costs no token', () => {
    const r = rig({ orderRate: { perStrategy: { perSecond: 10, burst: 2 }, global: { perSecond: 10, burst: 3 } } });
    expect(r, R.NONE, limit(B, BTC, P60K, 10, 1));
    expect(r, R.NONE, limit(B, BTC, P60K, 10, 1));
    expect(r, R.RATE, limit(B, BTC, P60K, 10, 1), 'strategy burst 2');
    expect(r, R.MAX_QTY, limit(B, BTC, P60K, 9 * ONE_BTC, 2));
    expect(r, R.NONE, limit(B, BTC, P60K, 10, 2), 'the refused one took nothing');
    expect(r, R.RATE, limit(B, BTC, P60K, 10, 3), 'global burst 3');
    r.clock.advance(100_000_000);
    expect(r, R.NONE, limit(B, BTC, P60K, 10, 3));
  });

  it('AMEND: re-checks the new price and quantity, counts only the added quantity', () => {
    const r = rig();
    const slot = rest(r, S, BTC, 6_100_000, ONE_BTC, 1, 1);
    const a = new RiskIntent().set(IntentAction.AMEND, S, BTC, 1, 6_050_000, 2 * ONE_BTC);
    a.targetSlot = slot;
    expect(r, R.NONE, a);
    a.price = 9_000_000;
    expect(r, R.PRICE_BAND, a);
    a.price = 6_050_000;
    a.qty = 3 * ONE_BTC;
    expect(r, R.MAX_QTY, a);
    a.targetSlot = 77;
    expect(r, R.UNKNOWN_ORDER, a);
    a.targetSlot = slot;
    a.qty = ONE_BTC;
    a.strategyId = 2;
    expect(r, R.INVALID_INTENT, a, 'not its order');
    a.strategyId = 1;
    rest(r, B, BTC, 6_000_000, 10, 2, 2);
    a.price = 6_000_000;
    expect(r, R.SELF_TRADE, a, 'moved onto our bid');
    r.risk.killSwitch.command();
    expect(r, R.KILL_SWITCH, a);
  });

  it('RISK_LIMIT control changes a limit at runtime', () => {
    const r = rig();
    r.risk.setLimit(RiskLimit.MAX_ORDER_QTY, BTC, 50_000n);
    expect(r, R.MAX_QTY, limit(B, BTC, P60K, ONE_BTC));
    r.risk.setLimit(RiskLimit.PRICE_BAND_BPS, 0, 10n);
    expect(r, R.PRICE_BAND, limit(B, BTC, 6_010_000, 10));
    r.risk.setLimit(RiskLimit.MAX_OPEN_ORDERS, 0, 0n);
    expect(r, R.OPEN_ORDERS, limit(B, BTC, P60K, 10));
    assert.throws(() => r.risk.setLimit(RiskLimit.MAX_POSITION, 42, 1n), { code: 'RISK_ID_RANGE' });
    assert.throws(() => r.risk.setLimit(RiskLimit.MAX_POSITION, BTC, -1n), { code: 'RISK_LIMIT' });
    assert.throws(() => r.risk.setLimit(RiskLimit.MAX_POSITION, BTC, 2n ** 60n), { code: 'RISK_LIMIT_RANGE' });
  });

  it('checks run in the documented order (first failure wins)', () => {
    const r = rig();
    r.risk.killSwitch.command();
    // Off-tick, too large, outside the band — and the kill switch is tripped: KILL_SWITCH first.
    expect(r, R.KILL_SWITCH, limit(B, SOL, 99_999, 9_999_999));
    r.risk.killSwitch.resume('ops');
    expect(r, R.TICK, limit(B, SOL, 99_999, 9_999_999));
    expect(r, R.STEP, limit(B, SOL, 99_995, 9_999_999));
    expect(r, R.MAX_QTY, limit(B, SOL, 99_995, 9_999_995));
    expect(r, R.PRICE_BAND, limit(B, SOL, 99_995, 100));
  });

  it('market orders and unusual types', () => {
    const r = rig();
    const m = market(S, BTC, ONE_BTC);
    m.orderType = OrderType.LIMIT;
    m.tif = TimeInForce.FOK;
    m.price = P60K;
    expect(r, R.NONE, m);
  });
});
