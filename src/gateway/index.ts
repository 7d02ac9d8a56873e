/** Public surface of the gateway: HTTP API, /metrics, health, push channel. */
export { startGateway, GatewayError, type Gateway, type GatewayOptions, type PushOptions, type PushSource } from './gateway.js';
export { RouteTable, routeLabelFor, HTTP_METHODS, type HttpMethod, type RouteHandler, type RouteOptions } from './http/route-table.js';
export { GatewayResponse, reply, type GatewayRequest } from './http/request.js';
export { HttpError, errorBody, type GatewayErrorCode } from './http/errors.js';
export { BearerAuth } from './http/auth.js';
export { MapBookDirectory, type BookDirectory, type BookHandle } from './books/book-directory.js';
export { formatMantissa } from './books/mantissa-format.js';
export { PushHub, type PushHubOptions, type PushTotals } from './push/push-hub.js';
export type { PushClientStats } from './push/push-client.js';
export { BookPushSource, type BookPushOptions } from './push/book-push-source.js';
export { ALL_KEY, bookTopicKey, type ChannelAdapter } from './push/channel-adapters.js';
export type { Readiness } from './routes/system-routes.js';
export { GatewayMetricsError } from './gateway-metrics.js';
