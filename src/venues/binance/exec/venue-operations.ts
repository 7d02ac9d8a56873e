/**
 * The venue requests the adapter makes, each named once with its WS API method, its
 * REST route and its request weight (Binance spot's figures), so transport choice and
 * budgeting read from one table.
 */
import type { HttpMethod } from './rest-client.js';
import type { RequestClass } from './request-budget.js';

export interface VenueOperation {
  wsMethod: string;
  httpMethod: HttpMethod;
  path: string;
  cls: RequestClass;
  /** REQUEST_WEIGHT; a function when it depends on the parameters. */
  weight: number | ((params: Record<string, unknown>) => number);
  /** Counts against the ORDERS limits. */
  isOrder: boolean;
  signed: boolean;
}

export const OPS = {
  place: { wsMethod: 'order.place', httpMethod: 'POST', path: '/api/v3/order', cls: 'place', weight: 1, isOrder: true, signed: true },
  cancel: { wsMethod: 'order.cancel', httpMethod: 'DELETE', path: '/api/v3/order', cls: 'cancel', weight: 1, isOrder: false, signed: true },
  query: { wsMethod: 'order.status', httpMethod: 'GET', path: '/api/v3/order', cls: 'query', weight: 4, isOrder: false, signed: true },
  openOrders: {
    wsMethod: 'openOrders.status',
    httpMethod: 'GET',
    path: '/api/v3/openOrders',
    cls: 'query',
    weight: (p) => (p.symbol !== undefined ? 6 : 80),
    isOrder: false,
    signed: true,
  },
  account: { wsMethod: 'account.status', httpMethod: 'GET', path: '/api/v3/account', cls: 'query', weight: 20, isOrder: false, signed: true },
  time: { wsMethod: 'time', httpMethod: 'GET', path: '/api/v3/time', cls: 'query', weight: 1, isOrder: false, signed: false },
} as const satisfies Record<string, VenueOperation>;
