/**
 * The uWebSockets.js gateway on the io thread: /metrics, /health, /ready, the REST API and
 * the push channel (src/gateway). Listens on 127.0.0.1:8080 unless configured otherwise.
 */
import { resolveGatewayToken } from '../../core/config/secrets.js';
import { startGateway } from '../../gateway/index.js';
import type { ComponentSpec, RunningComponent } from '../component.js';
import { METRICS, type MetricsComponent } from './metrics.js';

export const GATEWAY = 'gateway';

export const gatewayComponent: ComponentSpec = {
  name: GATEWAY,
  async start({ config, log, running, engineReadiness, engineStatus }): Promise<RunningComponent> {
    const metrics = running.get(METRICS) as MetricsComponent | undefined;
    if (!metrics) throw new Error('the gateway needs the metrics component started first');
    const token = resolveGatewayToken(config.gateway);
    const gw = await startGateway({
      host: config.gateway.host,
      port: config.gateway.port,
      token,
      metrics: { registry: metrics.registry, exporter: metrics.exporter },
      ready: engineReadiness,
      status: engineStatus,
      log,
    });
    const base = `http://${gw.host}:${gw.port}`;
    return {
      describe: () => ({
        url: base,
        metrics: `${base}/metrics`,
        ready: `${base}/ready`,
        push: `ws://${gw.host}:${gw.port}/ws`,
        auth: token === null ? 'none (no gateway token configured)' : 'bearer token',
      }),
      readiness: () => ({ ready: true, reasons: [] }),
      stop: () => gw.stop(),
    };
  },
};
