import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import {
  DEFAULT_LATENCY_BUCKETS_S,
  MetricsRegistry,
  PrometheusExporter,
  planPromBuckets,
} from '../../../src/core/metrics/index.js';
import { LATENCIES_NS, TEST_METRICS } from './fixtures/test-metrics.js';
import { parsePromText, sampleValue } from './prom-text.js';

const WORKER = new URL('./fixtures/metrics-worker.js', import.meta.url);
const INCREMENTS = 1_000_000;
const SAMPLES = 200_000;
const SHARED_EACH = 50_000;

function runWorker(sab: SharedArrayBuffer, role: string, increments: number, samples: number): Promise<void> {
  const w = new Worker(WORKER, { workerData: { sab, role, increments, samples, shared: SHARED_EACH } });
  return new Promise((resolve, reject) => {
    let done = false;
    w.once('message', () => (done = true));
    w.once('error', reject);
    w.once('exit', (code) => (done && code === 0 ? resolve() : reject(new Error(`worker ${role} exited with ${code}`))));
  });
}

test('a worker records 1M increments and latency samples; the main thread scrapes exact figures', async () => {
  const metrics = MetricsRegistry.create(TEST_METRICS);
  const exporter = new PrometheusExporter(metrics, { sampleIntervalMs: 0 });
  try {
    const finished = Promise.all([runWorker(metrics.sab, 'feed', INCREMENTS, SAMPLES), runWorker(metrics.sab, 'book', 0, 0)]);
    // Scrape while the workers run: counters only ever go up.
    let previous = 0;
    let running = true;
    void finished.finally(() => (running = false));
    for (let i = 0; i < 50 && running; i++) {
      const { samples } = parsePromText(await exporter.metrics());
      const now = sampleValue(samples, 'veloz_test_events_total', { venue: 'sim' });
      assert.ok(now >= previous, `counter went back from ${previous} to ${now}`);
      previous = now;
      await new Promise((r) => setTimeout(r, 2));
    }
    await finished;

    const text = await exporter.metrics();
    const { samples, types } = parsePromText(text);
    assert.equal(sampleValue(samples, 'veloz_test_events_total', { venue: 'sim' }), INCREMENTS);
    assert.equal(sampleValue(samples, 'veloz_test_events_total', { venue: 'other' }), 0);
    assert.equal(sampleValue(samples, 'veloz_test_received_bytes_total'), 463_000);
    assert.equal(sampleValue(samples, 'veloz_test_shared_total'), 2 * SHARED_EACH);
    assert.equal(sampleValue(samples, 'veloz_test_queue_depth'), 42.5);
    assert.equal(types.get('veloz_test_events_total'), 'counter');
    assert.equal(types.get('veloz_test_latency_seconds'), 'histogram');
    assert.equal(types.get('veloz_test_queue_depth'), 'gauge');

    const plan = planPromBuckets(DEFAULT_LATENCY_BUCKETS_S);
    const perValue = SAMPLES / LATENCIES_NS.length;
    const buckets = samples.filter((s) => s.name === 'veloz_test_latency_seconds_bucket');
    assert.equal(buckets.length, plan.le.length + 1);
    for (const b of buckets) {
      const le = b.labels['le'] === '+Inf' ? Infinity : Number(b.labels['le']);
      const expected = LATENCIES_NS.filter((ns) => ns / 1e9 <= le).length * perValue;
      assert.equal(b.value, expected, `bucket le=${b.labels['le']}`);
    }
    assert.equal(sampleValue(samples, 'veloz_test_latency_seconds_count'), SAMPLES);
    const sumNs = LATENCIES_NS.reduce((a, b) => a + b, 0) * perValue;
    assert.ok(Math.abs(sampleValue(samples, 'veloz_test_latency_seconds_sum') - sumNs / 1e9) < 1e-9);
    // A second scrape with no new data exports the same totals (deltas are not re-added).
    const again = parsePromText(await exporter.metrics()).samples;
    assert.equal(sampleValue(again, 'veloz_test_events_total', { venue: 'sim' }), INCREMENTS);
    assert.equal(sampleValue(again, 'veloz_test_latency_seconds_count'), SAMPLES);
  } finally {
    exporter.close();
  }
});
