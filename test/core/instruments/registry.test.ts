import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InstrumentRegistry } from '../../../src/core/instruments/registry.js';
import { INSTRUMENT_UNDEF, InstrumentDefinitionError, significantScale } from '../../../src/core/instruments/instrument.js';

const BTC = { venue: 'binance', symbol: 'BTCUSDT', venueSymbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01000000', stepSize: '0.00001000', minQty: '0.00001000', minNotional: '5.00000000' };
const DOGE = { venue: 'binance', symbol: 'DOGEUSDT', venueSymbol: 'DOGEUSDT', base: 'DOGE', quote: 'USDT', tickSize: '0.00001', stepSize: '1', minNotional: '1' };
const OKX_BTC = { venue: 'okx', symbol: 'BTCUSDT', venueSymbol: 'BTC-USDT', base: 'BTC', quote: 'USDT', tickSize: '0.1', stepSize: '0.00000001', kind: 'spot' as const };

test('ids are dense u32 from 1 and interned by venue and canonical symbol', () => {
  const r = InstrumentRegistry.from([BTC, DOGE, OKX_BTC]);
  assert.equal(r.size, 3);
  assert.deepEqual(r.all().map((i) => i.id), [1, 2, 3]);
  assert.equal(r.add(BTC).id, 1, 're-adding returns the same instrument');
  assert.equal(r.byId(INSTRUMENT_UNDEF), undefined);
  assert.equal(r.byId(4), undefined);
  assert.throws(() => r.require(99), /unknown instrument id 99/);
  assert.equal(r.bySymbol('okx', 'BTCUSDT')?.id, 3);
  assert.equal(r.bySymbol('binance', 'BTCUSDT')?.id, 1);
});

test('venue spellings map back, in both cases where the venue uses both', () => {
  const r = InstrumentRegistry.from([BTC, OKX_BTC]);
  assert.equal(r.byVenueSymbol('binance', 'btcusdt')?.symbol, 'BTCUSDT');
  assert.equal(r.byVenueSymbol('binance', 'BTCUSDT')?.symbol, 'BTCUSDT');
  assert.equal(r.byVenueSymbol('okx', 'BTC-USDT')?.venueSymbol, 'BTC-USDT');
  assert.equal(r.byVenueSymbol('okx', 'BTCUSDT'), undefined);
  assert.throws(() => r.add({ ...OKX_BTC, venueSymbol: 'BTC-USDC' }), InstrumentDefinitionError);
});

test('scales come from the filters and every filter is fixed-point at its scale', () => {
  const r = InstrumentRegistry.from([BTC, DOGE]);
  const btc = r.require(1);
  assert.equal(btc.priceScale, 2);
  assert.equal(btc.qtyScale, 5);
  assert.equal(btc.tickSize, 1n);
  assert.equal(btc.stepSize, 1n);
  assert.equal(btc.minQty, 1n);
  assert.equal(btc.minNotional, 500_00000n, 'min notional at priceScale + qtyScale');
  assert.equal(btc.contractMultiplier, 1n);
  const doge = r.require(2);
  assert.equal(doge.priceScale, 5);
  assert.equal(doge.qtyScale, 0);
  assert.equal(significantScale('0.01000000'), 2);
  assert.equal(significantScale('1'), 0);
  assert.equal(significantScale('10.0'), 0);
});

test('bad definitions are errors naming the instrument and the field', () => {
  assert.throws(() => InstrumentRegistry.from([{ ...BTC, tickSize: '0' }]), /binance:BTCUSDT: tickSize must be positive/);
  assert.throws(() => InstrumentRegistry.from([{ ...BTC, stepSize: '1e-5' }]), /binance:BTCUSDT: stepSize: .*exponent/);
  assert.throws(() => InstrumentRegistry.from([{ ...BTC, minNotional: '-5' }]), /minNotional: .*sign/);
  assert.throws(() => InstrumentRegistry.from([{ ...BTC, tickSize: '0.001', priceScale: 2 }]), /tickSize: .*scale/);
});
