/**
 * Binance spot REST order entry on the sim's router: SIGNED routes with X-MBX-APIKEY,
 * the HMAC over query + body, X-MBX-USED-WEIGHT-1M / X-MBX-ORDER-COUNT-* headers, and
 * the order faults that act on a reply (exec-before-ack, lost ack: the reply is
 * withheld until the client gives up or the sim stops).
 */
import { restSignedPayload } from '../auth/hmac.js';
import type { SimHttpMethod, SimHttpRequest, SimHttpResponse, SimPluginContext } from '../server/plugin.js';
import type { Dispatcher, Outcome } from './dispatcher.js';
import type { Operation, OperationName } from './operations.js';
import { restParams } from './params.js';
import type { RateLimiter } from './rate-limits.js';
import type { OrderEntryService } from './service.js';

export const REST_ROUTES: [SimHttpMethod, string, OperationName][] = [
  ['POST', '/api/v3/order', 'order.place'],
  ['POST', '/api/v3/order/test', 'order.test'],
  ['GET', '/api/v3/order', 'order.status'],
  ['DELETE', '/api/v3/order', 'order.cancel'],
  ['GET', '/api/v3/openOrders', 'openOrders.status'],
  ['DELETE', '/api/v3/openOrders', 'openOrders.cancelAll'],
  ['GET', '/api/v3/account', 'account.status'],
  ['GET', '/api/v3/myTrades', 'myTrades'],
];

export interface RestDeps {
  ctx: SimPluginContext;
  service: OrderEntryService;
  dispatcher: Dispatcher;
  limiter: RateLimiter;
  operations: Map<OperationName, Operation>;
  /** Lost-ack replies never settle; stop() forgets them. */
  withheld: Set<(r: SimHttpResponse) => void>;
}

export function installRestRoutes(d: RestDeps): void {
  for (const [method, path, name] of REST_ROUTES) {
    const op = d.operations.get(name);
    if (!op) throw new Error(`sim order entry: no operation ${name}`);
    d.ctx.registerRoute(method, path, (req) => handle(d, op, req));
  }
  d.ctx.registerRoute('GET', '/sim/balances', () => ({ status: 200, body: d.service.balancesSnapshot() }), { httpFaults: false });
}

function handle(d: RestDeps, op: Operation, req: SimHttpRequest): SimHttpResponse | Promise<SimHttpResponse> {
  // Only POST/PUT/DELETE may carry a body; a GET body is not part of what Binance reads.
  const body = req.method === 'GET' ? '' : req.body;
  const outcome = d.dispatcher.run(op, {
    ip: req.remoteAddress,
    apiKey: req.headers['x-mbx-apikey'],
    read: () => ({ params: restParams(req.rawQuery, body), payload: restSignedPayload(req.rawQuery, body) }),
  });
  const res = toResponse(d.limiter, req.remoteAddress, outcome);
  if (outcome.execBeforeAck) {
    d.service.flushEvents();
    return res;
  }
  // Reports go out once the reply has been written (the router writes it on return).
  setImmediate(() => d.service.flushEvents());
  if (outcome.lostAck) {
    // Never answered: the client sees a request that hangs until its own timeout.
    return new Promise<SimHttpResponse>((resolve) => d.withheld.add(resolve));
  }
  return res;
}

function toResponse(limiter: RateLimiter, ip: string, o: Outcome): SimHttpResponse {
  const headers = limiter.headers(ip, o.orderAccount);
  if (o.retryAfterSec !== undefined) headers['Retry-After'] = String(o.retryAfterSec);
  return { status: o.status, headers, body: o.body };
}
