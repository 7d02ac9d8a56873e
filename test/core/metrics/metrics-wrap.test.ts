import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsRegistry, PrometheusExporter, type MetricDefinition } from '../../../src/core/metrics/index.js';
import { parsePromText, sampleValue } from './prom-text.js';

const DEFS: MetricDefinition[] = [
  { name: 'veloz_wrap_events_total', help: 'Wrapping counter.', type: 'counter', writer: 'feed' },
  { name: 'veloz_wrap_latency_seconds', help: 'Wrapping histogram.', type: 'histogram', unit: 'seconds', writer: 'feed', buckets: [1e-6] },
];
const TWO32 = 2 ** 32;

async function scrape(exporter: PrometheusExporter) {
  return parsePromText(await exporter.metrics()).samples;
}

test('32-bit counter words that wrap between scrapes still export exact 64-bit totals', async () => {
  const metrics = MetricsRegistry.create(DEFS);
  const exporter = new PrometheusExporter(metrics, { sampleIntervalMs: 0, defaultMetrics: false });
  const c = metrics.counter('veloz_wrap_events_total');
  c.add(0xfffffff0);
  assert.equal(sampleValue(await scrape(exporter), 'veloz_wrap_events_total'), 0xfffffff0);
  c.add(0x20);
  assert.equal(c.raw, 0x10, 'the shared word wrapped');
  assert.equal(sampleValue(await scrape(exporter), 'veloz_wrap_events_total'), TWO32 + 0x10);
  for (let i = 0; i < 3; i++) {
    c.add(0xffffffff);
    await scrape(exporter);
  }
  const expected = TWO32 + 0x10 + 3 * 0xffffffff;
  assert.equal(sampleValue(await scrape(exporter), 'veloz_wrap_events_total'), expected);
  assert.equal(exporter.counterTotal('veloz_wrap_events_total'), expected);
  exporter.close();
});

test('histogram bucket words that wrap are tracked the same way', async () => {
  const metrics = MetricsRegistry.create(DEFS);
  const h = metrics.histogram('veloz_wrap_latency_seconds');
  // Bring the 500 ns bucket and the total to the edge of 2^32 by writing the raw words.
  const words = new Uint32Array(metrics.sab);
  const layout = metrics.descriptor.find('veloz_wrap_latency_seconds')!;
  h.record(500);
  const bucketWord = words.findIndex((w, i) => i >= layout.offset >> 2 && w === 1);
  words[bucketWord] = 0xfffffffe;
  const exporter = new PrometheusExporter(metrics, { sampleIntervalMs: 0, defaultMetrics: false });
  let s = await scrape(exporter);
  assert.equal(sampleValue(s, 'veloz_wrap_latency_seconds_bucket', { le: '9.99e-7' }), 0xfffffffe);
  for (let i = 0; i < 3; i++) h.record(500);
  h.record(5000);
  assert.equal(words[bucketWord], 1, 'the bucket word wrapped');
  s = await scrape(exporter);
  assert.equal(sampleValue(s, 'veloz_wrap_latency_seconds_bucket', { le: '9.99e-7' }), 0xfffffffe + 3);
  assert.equal(sampleValue(s, 'veloz_wrap_latency_seconds_bucket', { le: '+Inf' }), 0xfffffffe + 4);
  assert.equal(sampleValue(s, 'veloz_wrap_latency_seconds_count'), 0xfffffffe + 4);
  exporter.close();
});

test('the background sampler keeps totals right when scrapes are rarer than wraps', async () => {
  const metrics = MetricsRegistry.create(DEFS);
  const exporter = new PrometheusExporter(metrics, { sampleIntervalMs: 5, defaultMetrics: false });
  const c = metrics.counter('veloz_wrap_events_total');
  for (let i = 0; i < 3; i++) {
    c.add(0xffffffff);
    await new Promise((r) => setTimeout(r, 30));
  }
  assert.equal(sampleValue(await scrape(exporter), 'veloz_wrap_events_total'), 3 * 0xffffffff);
  exporter.close();
});
