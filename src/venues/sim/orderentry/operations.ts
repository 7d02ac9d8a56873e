/**
 * The account and order operations both transports serve, by their WebSocket API method
 * names (REST routes map onto the same table). Each names its request weight (Binance's
 * figures) and whether it is SIGNED or places an order (ORDERS limiter, order faults).
 */
import type { SimAccount } from '../account/account.js';
import { ApiErrors } from './errors.js';
import { readClientOrderId, readNewOrder, readOrderId, readOrderRef, readSymbol } from './order-params.js';
import type { RequestParams } from './params.js';
import type { OrderEntryService } from './service.js';

export type OperationName =
  | 'order.place'
  | 'order.test'
  | 'order.status'
  | 'order.cancel'
  | 'openOrders.status'
  | 'openOrders.cancelAll'
  | 'account.status'
  | 'myTrades';

export interface Operation {
  name: OperationName;
  weight(p: RequestParams): number;
  placesOrder: boolean;
  run(account: SimAccount, p: RequestParams): unknown;
}

const INT_RE = /^[0-9]{1,15}$/;

function readInt(p: RequestParams, name: string): number | undefined {
  const v = p.get(name);
  if (v === undefined) return undefined;
  if (!INT_RE.test(v)) throw ApiErrors.illegalChars(name, '^[0-9]{1,15}$');
  return Number(v);
}

export function buildOperations(service: OrderEntryService): Map<OperationName, Operation> {
  const inst = (s: string) => service.instrument(s);
  const ops: Operation[] = [
    {
      name: 'order.place',
      weight: () => 1,
      placesOrder: true,
      run: (account, p) => service.placeOrder(account, readNewOrder(p, inst)),
    },
    {
      name: 'order.test',
      weight: () => 1,
      placesOrder: false,
      run: (account, p) => service.testOrder(account, readNewOrder(p, inst)),
    },
    {
      name: 'order.status',
      weight: () => 4,
      placesOrder: false,
      run: (account, p) => service.queryOrder(account, readSymbol(p, inst), readOrderRef(p)),
    },
    {
      name: 'order.cancel',
      weight: () => 1,
      placesOrder: false,
      run: (account, p) => {
        const i = readSymbol(p, inst);
        const ref = readOrderRef(p);
        return service.cancelOrder(account, i, ref, readClientOrderId(p, 'newClientOrderId'));
      },
    },
    {
      name: 'openOrders.status',
      weight: (p) => (p.has('symbol') ? 6 : 80),
      placesOrder: false,
      run: (account, p) => service.openOrders(account, p.has('symbol') ? readSymbol(p, inst) : undefined),
    },
    {
      name: 'openOrders.cancelAll',
      weight: () => 1,
      placesOrder: false,
      run: (account, p) => service.cancelAll(account, readSymbol(p, inst)),
    },
    {
      name: 'account.status',
      weight: () => 20,
      placesOrder: false,
      run: (account, p) => service.accountInfo(account, p.get('omitZeroBalances') === 'true'),
    },
    {
      name: 'myTrades',
      weight: (p) => (p.has('orderId') ? 5 : 20),
      placesOrder: false,
      run: (account, p) => {
        const i = readSymbol(p, inst);
        const limit = readInt(p, 'limit') ?? 500;
        if (limit < 1 || limit > 1000) throw ApiErrors.invalidParam('limit');
        const q: { orderId?: number; fromId?: number; startTime?: number; endTime?: number; limit: number } = { limit };
        const orderId = readOrderId(p);
        if (orderId !== undefined) q.orderId = orderId;
        const fromId = readInt(p, 'fromId');
        if (fromId !== undefined) q.fromId = fromId;
        const startTime = readInt(p, 'startTime');
        if (startTime !== undefined) q.startTime = startTime;
        const endTime = readInt(p, 'endTime');
        if (endTime !== undefined) q.endTime = endTime;
        return service.myTrades(account, i, q);
      },
    },
  ];
  return new Map(ops.map((o) => [o.name, o]));
}
