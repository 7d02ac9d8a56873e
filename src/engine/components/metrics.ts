/**
 * The shared-memory metrics region and its prom-client exporter: created first so every
 * thread started after it can attach and record (design §9: no message per update).
 */
import { MetricsRegistry, PrometheusExporter, engineMetricDefinitions } from '../../core/metrics/index.js';
import type { ComponentSpec, RunningComponent } from '../component.js';

export const METRICS = 'metrics';

export interface MetricsComponent extends RunningComponent {
  readonly registry: MetricsRegistry;
  readonly exporter: PrometheusExporter;
}

export const metricsComponent: ComponentSpec = {
  name: METRICS,
  async start({ config }): Promise<MetricsComponent> {
    const registry = MetricsRegistry.create(
      engineMetricDefinitions({ venues: Object.keys(config.venues), strategies: config.strategies.map((s) => s.name) }),
    );
    const exporter = new PrometheusExporter(registry);
    return {
      registry,
      exporter,
      describe: () => ({ series: registry.descriptor.series.length }),
      readiness: () => ({ ready: true, reasons: [] }),
      stop: async () => exporter.close(),
    };
  },
};
