import { IntentFlag, OrderState, OrderType, Side, TimeInForce } from '../../src/core/schema/constants.js';
import { InstrumentRegistry } from '../../src/core/instruments/registry.js';
import { Order, OrderEvent, OrderEventKind } from '../../src/oms/order.js';
import { applyOrderEvent, TransitionResult, type StateMachineConfig } from '../../src/oms/order-state-machine.js';

export const GRACE_NS = 1_000_000_000;
export const CFG: StateMachineConfig = { notFoundGraceNs: GRACE_NS };

/** BTCUSDT (tick 0.01, step 0.00001, min notional 5) and ETHUSDT, as Binance lists them. */
export function registry(): InstrumentRegistry {
  return InstrumentRegistry.from([
    { venue: 'binance', symbol: 'BTCUSDT', venueSymbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001', minQty: '0.00001', minNotional: '5' },
    { venue: 'binance', symbol: 'ETHUSDT', venueSymbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001', minQty: '0.0001', minNotional: '5' },
  ]);
}

export function newOrder(qty = 10n, price = 100n, seq = 1, side: number = Side.BUY): Order {
  return new Order({
    seq,
    strategyId: 1,
    strategyOrderId: seq,
    instrument: 1,
    side,
    orderType: OrderType.LIMIT,
    tif: TimeInForce.GTC,
    flags: side === Side.BUY ? IntentFlag.BUY : IntentFlag.SELL,
    price,
    qty,
    timeNs: 0,
  });
}

export function ev(kind: number, fields: Partial<OrderEvent> = {}, timeNs = 0): OrderEvent {
  return OrderEvent.of(kind as OrderEvent['kind'], timeNs, fields);
}

export function apply(o: Order, e: OrderEvent, out = new TransitionResult()): number {
  return applyOrderEvent(o, e, CFG, out);
}

export const K = OrderEventKind;
export const S = OrderState;
