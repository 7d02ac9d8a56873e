import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LINE_BYTES,
  MetricsError,
  MetricsRegistry,
  PrometheusExporter,
  SharedMetricsDescriptor,
  validateDefinitions,
  type MetricDefinition,
} from '../../../src/core/metrics/index.js';
import { TEST_METRICS } from './fixtures/test-metrics.js';
import { parsePromText } from './prom-text.js';

test('every exported name follows Prometheus conventions, and process metrics are there', async () => {
  const metrics = MetricsRegistry.create(TEST_METRICS);
  const exporter = new PrometheusExporter(metrics, { sampleIntervalMs: 0 });
  const { samples, types } = parsePromText(await exporter.metrics());
  for (const [name, type] of types) {
    assert.match(name, /^[a-z_:][a-z0-9_:]*$/, name);
    if (type === 'counter') assert.match(name, /_total$/, `counter ${name}`);
    if (name.startsWith('veloz_') && type === 'histogram') assert.match(name, /_seconds$/, name);
  }
  for (const s of samples) assert.ok(types.has(s.name.replace(/_(bucket|sum|count)$/, '')) || types.has(s.name), s.name);
  for (const name of ['process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_gc_duration_seconds', 'process_cpu_seconds_total']) {
    assert.ok(types.has(name), `default metric ${name}`);
  }
  exporter.close();
});

test('definitions that break the conventions are refused with the reason', () => {
  const base: MetricDefinition = { name: 'veloz_x_total', help: 'x', type: 'counter', writer: 'io' };
  const bad: [Partial<MetricDefinition>, RegExp][] = [
    [{ name: 'veloz_x' }, /counter names end in _total/],
    [{ name: 'VelozX_total' }, /snake_case/],
    [{ name: 'veloz_x_total', unit: 'bytes' }, /end in _bytes_total/],
    [{ name: 'veloz_x_ms_total', unit: 'ms' }, /not a base unit/],
    [{ type: 'gauge' }, /only counters end in _total/],
    [{ name: 'veloz_lat_seconds', type: 'histogram', unit: 'seconds', buckets: [0.1, 0.01] }, /increasing/],
    [{ name: 'veloz_lat_ms', type: 'histogram', unit: 'ms' }, /not a base unit/],
    [{ name: 'veloz_lat_bytes', type: 'histogram', unit: 'bytes' }, /unit must be seconds/],
    [{ name: 'veloz_x_count' }, /must not end in _count|end in _total/],
    [{ labels: { le: '1' } }, /reserved/],
    [{ labels: { 'bad-label': '1' } }, /not valid/],
    [{ help: ' ' }, /help text/],
    [{ writer: '' }, /writer/],
    [{ name: 'veloz_g', type: 'gauge', writer: '*' }, /only counters may have several writers/],
  ];
  for (const [patch, why] of bad) {
    assert.throws(() => validateDefinitions([{ ...base, ...patch } as MetricDefinition]), (e: unknown) => {
      return e instanceof MetricsError && e.code === 'METRICS_DEFINITION' && why.test(e.message);
    }, JSON.stringify(patch));
  }
  assert.throws(() => validateDefinitions([base, base]), /defined twice/);
  assert.throws(() => validateDefinitions([base, { ...base, labels: { a: '1' } }]), /same label names/);
  assert.throws(() => validateDefinitions([{ ...base, labels: { a: '1' } }, { ...base, help: 'y', labels: { a: '2' } }]), /share type, help/);
});

test('writers never share a cache line; histograms start on their own lines', () => {
  const d = new SharedMetricsDescriptor(TEST_METRICS);
  const lineOwners = new Map<number, string>();
  for (const s of d.series) {
    assert.equal(s.offset % (s.def.type === 'histogram' ? LINE_BYTES : 8), 0, s.key);
    for (let line = Math.floor(s.offset / LINE_BYTES); line <= Math.floor((s.offset + s.bytes - 1) / LINE_BYTES); line++) {
      const owner = s.def.writer === '*' || s.def.type === 'histogram' ? s.key : s.def.writer;
      const prev = lineOwners.get(line);
      assert.ok(prev === undefined || prev === owner, `line ${line} shared by ${prev} and ${owner}`);
      lineOwners.set(line, owner);
    }
  }
  assert.ok(!lineOwners.has(0), 'line 0 is the header');
  assert.equal(d.totalBytes % LINE_BYTES, 0);
});

test('attach checks the layout, the writer and the type', () => {
  const metrics = MetricsRegistry.create(TEST_METRICS);
  const other = TEST_METRICS.slice(0, 3);
  assert.throws(() => MetricsRegistry.attach(metrics.sab, other), { code: 'METRICS_LAYOUT_MISMATCH' });
  assert.throws(() => MetricsRegistry.attach(new SharedArrayBuffer(metrics.sab.byteLength), TEST_METRICS), {
    code: 'METRICS_LAYOUT_MISMATCH',
    message: /bad magic/,
  });
  const book = MetricsRegistry.attach(metrics.sab, TEST_METRICS, { writer: 'book' });
  assert.throws(() => book.counter('veloz_test_events_total', { venue: 'sim' }), { code: 'METRICS_WRONG_WRITER' });
  book.counter('veloz_test_events_total', { venue: 'other' }).inc();
  book.counter('veloz_test_shared_total').inc();
  assert.throws(() => book.gauge('veloz_test_events_total', { venue: 'other' }), { code: 'METRICS_WRONG_TYPE' });
  assert.throws(() => book.counter('veloz_nope_total'), { code: 'METRICS_UNKNOWN_SERIES' });
  const feedView = MetricsRegistry.attach(metrics.sab, TEST_METRICS);
  assert.equal(feedView.counter('veloz_test_events_total', { venue: 'other' }).raw, 1);
  assert.equal(feedView.counter('veloz_test_shared_total').raw, 1);
});
