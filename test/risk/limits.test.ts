import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseLimitDecimal, parseRiskLimits } from '../../src/risk/limits.js';
import { RiskConfigError } from '../../src/risk/errors.js';
import { limitsConfig, riskRegistry } from './helpers.js';

describe('risk limits', () => {
  it('parses decimal strings to fixed point at each instrument scale', () => {
    const l = parseRiskLimits(limitsConfig({ instruments: { 'binance:SOLUSDT': { maxOrderQty: '100.5', priceBandBps: 50 } } }), riskRegistry());
    const btc = l.instruments[1]!;
    assert.equal(btc.maxOrderQty, 200_000); // 2 BTC at qs 5
    assert.equal(btc.maxOrderNotional, 150_000n * 10n ** 7n); // ps+qs = 7
    assert.equal(btc.maxPosition, 300_000);
    assert.equal(btc.bandBps, 500);
    assert.equal(btc.minNotional, 5n * 10n ** 7n);
    const sol = l.instruments[3]!;
    assert.equal(sol.maxOrderQty, 10_050);
    assert.equal(sol.bandBps, 50);
    assert.equal(sol.tick, 5);
    assert.equal(l.dailyLoss.get('USDT')!.mantissa, 1000n * 10n ** 18n);
    assert.equal(l.requireMark, true);
    assert.equal(l.selfTrade, 'account');
  });

  it('parses notionals beyond int64 and scales beyond 18', () => {
    assert.equal(parseLimitDecimal('1000000', 20, 'x'), 10n ** 26n);
    assert.equal(parseLimitDecimal('0.5', 24, 'x'), 5n * 10n ** 23n);
    assert.throws(() => parseLimitDecimal('0.001', 2, 'x'), { code: 'RISK_LIMIT' });
  });

  it('refuses bad limits with a code and the path', () => {
    const reg = riskRegistry();
    const bad = (over: object, code = 'RISK_LIMIT', path?: RegExp) =>
      assert.throws(
        () => parseRiskLimits({ ...limitsConfig(), ...over } as never, reg),
        (e: unknown) => e instanceof RiskConfigError && e.code === code && (!path || path.test(e.message)),
      );
    bad({ defaults: { ...limitsConfig().defaults, maxOrderQty: '-1' } }, 'RISK_LIMIT', /maxOrderQty/);
    bad({ defaults: { ...limitsConfig().defaults, maxOrderQty: 2 } }, 'RISK_LIMIT', /maxOrderQty/);
    bad({ defaults: { ...limitsConfig().defaults, maxPosition: '1e5' } }, 'RISK_LIMIT', /maxPosition/);
    bad({ defaults: { ...limitsConfig().defaults, maxPosition: '100000000000000' } }, 'RISK_LIMIT_RANGE', /2\^53/);
    bad({ defaults: { ...limitsConfig().defaults, priceBandBps: 0 } }, 'RISK_LIMIT', /priceBandBps/);
    bad({ instruments: { 'binance:NOPE': { maxOrderQty: '1' } } }, 'RISK_LIMIT', /NOPE/);
    bad({ orderRate: { perStrategy: { perSecond: 0, burst: 1 }, global: { perSecond: 1, burst: 1 } } }, 'RISK_LIMIT', /perStrategy/);
    bad({ maxOpenOrders: { perStrategy: -1, global: 1 } }, 'RISK_LIMIT', /maxOpenOrders/);
    bad({ dailyLoss: { USDT: '0' } }, 'RISK_LIMIT', /dailyLoss/);
    bad({ selfTrade: 'sometimes' }, 'RISK_LIMIT', /selfTrade/);
    bad({ maxStrategies: 0 }, 'RISK_LIMIT', /maxStrategies/);
  });
});
