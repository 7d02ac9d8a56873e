/**
 * The gateway's own series in the shared metrics region (families in
 * src/core/metrics/engine-metrics.ts), resolved to handles once at start. The gateway
 * runs on the io thread, the writer of all of them.
 */
import type { Counter, Gauge, SharedCounter } from '../core/metrics/handles.js';
import type { MetricsRegistry } from '../core/metrics/registry.js';
import {
  GATEWAY_ERROR_CODES,
  GATEWAY_ROUTES,
  GATEWAY_STATUS_CLASSES,
  PUSH_CHANNELS,
  PUSH_DISCONNECT_REASONS,
  PUSH_DROP_REASONS,
  type GatewayRouteLabel,
  type PushChannelName,
  type PushDisconnectReason,
  type PushDropReason,
} from '../core/metrics/engine-metrics.js';
import { MetricsError } from '../core/metrics/definitions.js';

type AnyCounter = Counter | SharedCounter;

export class GatewayMetricsError extends Error {
  readonly code = 'GATEWAY_METRICS';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayMetricsError';
  }
}

export class GatewayMetrics {
  private readonly requests = new Map<string, AnyCounter[]>();
  private readonly errors = new Map<string, AnyCounter>();
  private readonly sent = new Map<string, AnyCounter>();
  private readonly dropped = new Map<string, AnyCounter>();
  private readonly disconnects = new Map<string, AnyCounter>();
  readonly pushProtocolErrors: Counter | SharedCounter;
  readonly pushClients: Gauge;
  readonly pushSubscriptions: Gauge;

  constructor(registry: MetricsRegistry) {
    try {
      for (const route of GATEWAY_ROUTES) {
        this.requests.set(
          route,
          GATEWAY_STATUS_CLASSES.map((code) => registry.counter('veloz_gateway_requests_total', { route, code })),
        );
      }
      for (const code of GATEWAY_ERROR_CODES) this.errors.set(code, registry.counter('veloz_gateway_errors_total', { code }));
      for (const channel of PUSH_CHANNELS) this.sent.set(channel, registry.counter('veloz_gateway_push_messages_sent_total', { channel }));
      for (const reason of PUSH_DROP_REASONS) this.dropped.set(reason, registry.counter('veloz_gateway_push_messages_dropped_total', { reason }));
      for (const reason of PUSH_DISCONNECT_REASONS) {
        this.disconnects.set(reason, registry.counter('veloz_gateway_push_disconnects_total', { reason }));
      }
      this.pushProtocolErrors = registry.counter('veloz_gateway_push_protocol_errors_total');
      this.pushClients = registry.gauge('veloz_gateway_push_clients');
      this.pushSubscriptions = registry.gauge('veloz_gateway_push_subscriptions');
    } catch (err) {
      if (!(err instanceof MetricsError)) throw err;
      throw new GatewayMetricsError(
        `the metrics registry lacks the gateway series (${err.message}): create it from engineMetricDefinitions() or include GATEWAY_FAMILIES`,
        { cause: err },
      );
    }
  }

  request(route: GatewayRouteLabel, status: number): void {
    const cls = status >= 500 ? 3 : status >= 400 ? 2 : status >= 300 ? 1 : 0;
    this.requests.get(route)![cls]!.inc();
    if (status >= 400) (this.errors.get(String(status)) ?? this.errors.get('other')!).inc();
  }

  sentTo(channel: PushChannelName, n: number): void {
    if (n > 0) this.sent.get(channel)!.add(n);
  }

  drop(reason: PushDropReason, n = 1): void {
    if (n > 0) this.dropped.get(reason)!.add(n);
  }

  disconnect(reason: PushDisconnectReason): void {
    this.disconnects.get(reason)!.inc();
  }
}
