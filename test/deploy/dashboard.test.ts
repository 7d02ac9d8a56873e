import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ENGINE_FAMILIES,
  MetricsRegistry,
  PROCESS_METRICS,
  PrometheusExporter,
  engineMetricDefinitions,
  knownMetricNames,
} from '../../src/core/metrics/index.js';
import { LATENCY_FAMILIES } from '../../src/core/metrics/engine-metrics.js';
import { parsePromStrict } from '../gateway/prom-strict.js';

const DASHBOARD = fileURLToPath(new URL('../../../deploy/grafana/veloz-dashboard.json', import.meta.url));
const PROMQL_WORDS = new Set(['sum', 'by', 'rate', 'increase', 'max', 'histogram_quantile', 'le', 'instance']);

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}

function exprs(): Array<{ panel: string; expr: string }> {
  const dash = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  return dash.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
}

/** Metric names in a PromQL expression: identifiers followed by `{` (every query here selects by instance). */
function metricNames(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]!).filter((n) => !PROMQL_WORDS.has(n));
}

const HISTOGRAMS = new Set([...ENGINE_FAMILIES.filter((f) => f.type === 'histogram').map((f) => f.name), 'nodejs_gc_duration_seconds']);

function family(name: string): string {
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  return m && HISTOGRAMS.has(m[1]!) ? m[1]! : name;
}

test('every metric the Grafana dashboard queries is defined in engine-metrics.ts', () => {
  const known = knownMetricNames();
  const all = exprs();
  assert.ok(all.length > 30, `the dashboard has its queries (${all.length})`);
  for (const { panel, expr } of all) {
    const names = metricNames(expr);
    assert.ok(names.length > 0, `panel "${panel}" queries a metric: ${expr}`);
    for (const n of names) assert.ok(known.has(family(n)), `panel "${panel}" uses ${n}, which engine-metrics.ts does not define`);
  }
});

test('the dashboard has a latency panel for every stage, and every queried series exists in a real scrape', async () => {
  const used = new Set(exprs().flatMap((e) => metricNames(e.expr).map(family)));
  for (const f of LATENCY_FAMILIES) assert.ok(used.has(f.name), `no dashboard panel for ${f.name}`);

  const registry = MetricsRegistry.create(engineMetricDefinitions({ venues: ['binance', 'sim'], strategies: ['mm-btc'] }));
  const exporter = new PrometheusExporter(registry, { sampleIntervalMs: 0 });
  try {
    const scraped = parsePromStrict(await exporter.metrics());
    // Declared (TYPE line) counts: a labelled histogram such as nodejs_gc_duration_seconds has
    // no samples until its first observation.
    const families = new Set([...scraped.samples.map((s) => s.family), ...scraped.types.keys()]);
    for (const name of used) assert.ok(families.has(name), `${name} is queried by the dashboard but absent from /metrics`);
    for (const name of PROCESS_METRICS) assert.ok(families.has(name), `PROCESS_METRICS lists ${name}, which prom-client does not export`);
  } finally {
    exporter.close();
  }
});
