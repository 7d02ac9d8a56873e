import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { MetricsRegistry, PrometheusExporter, engineMetricDefinitions } from '../../src/core/metrics/index.js';
import { MapBookDirectory, startGateway } from '../../src/gateway/index.js';
import { parsePromStrict, valueOf } from './prom-strict.js';
import { TOPOLOGY, startHarness } from './harness.js';

const WORKER = new URL('./fixtures/metrics-recorder.worker.js', import.meta.url);

function record(sab: SharedArrayBuffer, updates: number, latenciesNs: number[]): Promise<void> {
  const w = new Worker(WORKER, { workerData: { sab, topology: TOPOLOGY, updates, latenciesNs } });
  return new Promise((resolve, reject) => {
    let done = false;
    w.once('message', () => (done = true));
    w.once('error', reject);
    w.once('exit', (code) => (done && code === 0 ? resolve() : reject(new Error(`recorder exited ${code}`))));
  });
}

test('the strict exposition parser rejects malformed text (so the /metrics check can fail)', () => {
  const good = '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 3\n';
  assert.equal(parsePromStrict(good).samples.length, 1);
  const bad = [
    'a_total 1', // no trailing newline
    '# TYPE a counter\na{x="1} 1\n', // unterminated label
    '# TYPE a counter\na{x=1} 1\n', // unquoted
    '# TYPE a counter\na 1.2.3\n', // not a float
    '# TYPE a counter\na -1\n', // negative counter
    '# TYPE a counter\na 1\na 2\n', // duplicate series
    '# TYPE a gauge\n# TYPE a gauge\na 1\n', // second TYPE
    '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="y"} 2\n', // interleaved
    '# TYPE a gauge\na{x="\\q"} 1\n', // bad escape
    '# TYPE h histogram\nh_bucket{le="1"} 2\nh_sum 1\nh_count 2\n', // no +Inf
    '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', // not cumulative
    '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 3\n', // count != +Inf
    '# TYPE a bogus\na 1\n', // unknown type
    '9a 1\n', // bad name
  ];
  for (const text of bad) assert.throws(() => parsePromStrict(text), Error, JSON.stringify(text));
});

test('/metrics serves a valid exposition whose series move after a worker thread records into shared memory', async () => {
  const h = await startHarness();
  try {
    const first = await h.get('/metrics', null);
    assert.equal(first.status, 200);
    assert.match(first.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const before = parsePromStrict(await first.text());
    assert.equal(valueOf(before, 'veloz_book_updates_total', { venue: 'sim' }), 0);
    assert.equal(valueOf(before, 'veloz_book_latency_seconds_count', { venue: 'sim' }), 0);
    assert.equal(before.types.get('veloz_book_latency_seconds'), 'histogram');
    assert.equal(before.types.get('veloz_gateway_push_clients'), 'gauge');
    assert.ok(before.help.get('veloz_tick_to_order_latency_seconds'));

    const latencies = [800, 20_000, 20_000, 3_000_000];
    await record(h.registry.sab, 250_000, latencies);

    const after = parsePromStrict(await (await h.get('/metrics', null)).text());
    assert.equal(valueOf(after, 'veloz_book_updates_total', { venue: 'sim' }), 250_000);
    assert.equal(valueOf(after, 'veloz_book_gaps_total', { venue: 'sim' }), 3);
    assert.equal(valueOf(after, 'veloz_book_latency_seconds_count', { venue: 'sim' }), 4);
    const sum = valueOf(after, 'veloz_book_latency_seconds_sum', { venue: 'sim' });
    assert.ok(Math.abs(sum - 3_040_800 / 1e9) < 1e-12, `sum ${sum}`);
    // 1 µs bucket (snapped to 999 ns) holds the 800 ns sample; 25 µs holds three.
    const le = (bound: number) =>
      after.samples.find((s) => s.name === 'veloz_book_latency_seconds_bucket' && s.labels['venue'] === 'sim' && Math.abs(Number(s.labels['le']) - bound) / bound < 0.02)!.value;
    assert.equal(le(1e-6), 1);
    assert.equal(le(2.5e-5), 3);
    assert.equal(le(5e-3), 4);
    // The gateway counted its own earlier scrape.
    assert.equal(valueOf(after, 'veloz_gateway_requests_total', { route: 'metrics', code: '2xx' }), 1);
  } finally {
    await h.close();
  }
});

test('a registry without the gateway series is refused at start with a clear error', async () => {
  const registry = MetricsRegistry.create(engineMetricDefinitions(TOPOLOGY).filter((d) => !d.name.startsWith('veloz_gateway_')));
  const exporter = new PrometheusExporter(registry, { sampleIntervalMs: 0, defaultMetrics: false });
  try {
    await assert.rejects(
      startGateway({ host: '127.0.0.1', port: 0, token: null, metrics: { registry, exporter }, ready: () => ({ ready: true, reasons: [] }), books: new MapBookDirectory() }),
      (err: Error & { code?: string }) => err.code === 'GATEWAY_METRICS' && /GATEWAY_FAMILIES/.test(err.message),
    );
  } finally {
    exporter.close();
  }
});
