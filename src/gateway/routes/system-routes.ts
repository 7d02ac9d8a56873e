/**
 * The operational endpoints: /metrics (Prometheus text from the shared-memory exporter),
 * /health (liveness: answering at all proves the io loop runs) and /ready (readiness, as
 * the engine owner decides it). No token by default: scrapers and probes rarely carry one.
 */
import type { PrometheusExporter } from '../../core/metrics/prometheus-exporter.js';
import { GatewayResponse } from '../http/request.js';
import type { RouteTable } from '../http/route-table.js';

export interface Readiness {
  ready: boolean;
  /** Why not ready (empty when ready): "feed binance not live", "wal replay running"… */
  reasons: string[];
}

export interface SystemRouteOptions {
  exporter: PrometheusExporter;
  health?: () => Record<string, unknown>;
  ready: () => Readiness;
  /** Require the token on these three too. Default false. */
  auth: boolean;
  startedAtMs: number;
}

export function registerSystemRoutes(routes: RouteTable, o: SystemRouteOptions): void {
  const auth = o.auth;
  routes.register(
    'GET',
    '/metrics',
    async () => new GatewayResponse(200, await o.exporter.metrics(), { 'Content-Type': o.exporter.contentType }),
    { auth },
  );
  routes.register(
    'GET',
    '/health',
    () => ({ status: 'ok', uptimeS: Math.round((Date.now() - o.startedAtMs) / 1000), ...(o.health?.() ?? {}) }),
    { auth },
  );
  routes.register(
    'GET',
    '/ready',
    () => {
      const r = o.ready();
      if (r.ready) return { ready: true, reasons: [] };
      const reasons = r.reasons.length > 0 ? r.reasons : ['not ready'];
      return new GatewayResponse(503, {
        ready: false,
        reasons,
        error: { code: 'NOT_READY', message: `not ready: ${reasons.join('; ')}` },
      });
    },
    { auth },
  );
}
