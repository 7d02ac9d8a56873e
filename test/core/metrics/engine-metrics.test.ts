import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsRegistry, engineMetricDefinitions, strategyWriter } from '../../../src/core/metrics/index.js';

const TOPOLOGY = { venues: ['binance', 'sim'], strategies: ['mm-btc', 'basis-eth'] };

test('engine metric families expand per venue and strategy, each series with one writing thread', () => {
  const defs = engineMetricDefinitions(TOPOLOGY);
  const series = (name: string) => defs.filter((d) => d.name === name);
  assert.deepEqual(series('veloz_decode_latency_seconds').map((d) => d.labels?.['venue']), ['binance', 'sim']);
  assert.deepEqual(
    series('veloz_strategy_latency_seconds').map((d) => [d.labels?.['strategy'], d.writer]),
    [['mm-btc', 'strategy:mm-btc'], ['basis-eth', 'strategy:basis-eth']],
  );
  const rings = series('veloz_ring_occupancy_ratio').map((d) => [d.labels?.['ring'], d.writer]);
  assert.deepEqual(rings, [
    ['md', 'io'],
    ['book', 'book'],
    ['orders_out', 'oms'],
    ['exec_in', 'io'],
    ['intents/mm-btc', 'strategy:mm-btc'],
    ['intents/basis-eth', 'strategy:basis-eth'],
  ]);
  assert.equal(series('veloz_gateway_requests_total').length, 12 * 4);
  assert.ok(defs.every((d) => d.name.startsWith('veloz_')));
});

test('threads can only take the series they write', () => {
  const defs = engineMetricDefinitions(TOPOLOGY);
  const region = MetricsRegistry.create(defs);
  const strategy = MetricsRegistry.attach(region.sab, defs, { writer: strategyWriter('mm-btc') });
  strategy.histogram('veloz_strategy_latency_seconds', { strategy: 'mm-btc' }).record(1200);
  assert.throws(() => strategy.histogram('veloz_strategy_latency_seconds', { strategy: 'basis-eth' }), { code: 'METRICS_WRONG_WRITER' });
  const io = MetricsRegistry.attach(region.sab, defs, { writer: 'io' });
  io.counter('veloz_gateway_requests_total', { route: 'books', code: '2xx' }).inc();
  assert.throws(() => io.counter('veloz_orders_total', { state: 'filled' }), { code: 'METRICS_WRONG_WRITER' });
  assert.throws(() => io.counter('veloz_gateway_requests_total', { route: 'nope', code: '2xx' }), { code: 'METRICS_UNKNOWN_SERIES' });
});
