/**
 * Parsing the documented payloads (executionReport, outboundAccountPosition, new-order
 * FULL/RESULT replies) into fixed-point fields, refusing malformed ones with a
 * ReplyFormatError that names the field, and the option checks' errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseExecutionReport, parseAccountPosition } from '../../../src/venues/binance/exec/parse-user-event.js';
import { parseVenueOrder } from '../../../src/venues/binance/exec/parse-order.js';
import { ScaleBook } from '../../../src/venues/binance/exec/scales.js';
import { ReplyFormatError } from '../../../src/venues/binance/exec/errors.js';
import { ExecConfigError, resolveExecConfig, type BinanceExecOptions } from '../../../src/venues/binance/exec/index.js';
import { newOrderParams, InvalidOrderError } from '../../../src/venues/binance/exec/order-params.js';
import { fixturePath } from '../sim/orderentry-helpers.js';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(fixturePath(name), 'utf8')) as Record<string, unknown>;
const scales = new ScaleBook([
  { symbol: 'ETHBTC', priceScale: 8, qtyScale: 8 },
  { symbol: 'BTCUSDT', priceScale: 2, qtyScale: 5 },
]);

test('the documented executionReport parses at the symbol scales', () => {
  const e = (fixture('spot_user_executionReport.stripped.json') as { event: Record<string, unknown> }).event;
  const r = parseExecutionReport(e, scales, 7, 123n);
  assert.equal(r.symbol, 'ETHBTC');
  assert.equal(r.orderClientId, 'mUvoqJxFIILMdfAW5iGSOW');
  assert.equal(r.origClientOrderId, '');
  assert.deepEqual([r.executionType, r.orderStatus, r.side, r.orderType, r.timeInForce, r.rejectReason], ['NEW', 'NEW', 'BUY', 'LIMIT', 'GTC', 'NONE']);
  assert.equal(r.price, 10_264_410n);
  assert.equal(r.quantity, 100_000_000n);
  assert.deepEqual([r.lastQty, r.cumQty, r.lastPrice, r.commission, r.commissionAsset], [0n, 0n, 0n, 0n, null]);
  assert.deepEqual([r.orderId, r.tradeId, r.executionId, r.transactTimeMs, r.eventTimeMs, r.onBook, r.isMaker], [4293153, -1, 8641984, 1499405658657, 1499405658658, true, false]);
  assert.deepEqual([r.seq, r.receivedNs], [7, 123n]);
  // A cancel names the order in C and the cancel request in c.
  const cancel = parseExecutionReport({ ...e, x: 'CANCELED', X: 'CANCELED', c: 'cx-1', C: 'mUvoqJxFIILMdfAW5iGSOW' }, scales, 8, 0n);
  assert.deepEqual([cancel.orderClientId, cancel.clientOrderId], ['mUvoqJxFIILMdfAW5iGSOW', 'cx-1']);
});

test('malformed reports are refused naming the field; a price finer than the scale is refused, not rounded', () => {
  const e = (fixture('spot_user_executionReport.stripped.json') as { event: Record<string, unknown> }).event;
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ ...e, p: 0.1 }, /field p must be a string/],
    [{ ...e, p: '1e-3' }, /field p "1e-3" is not a decimal/],
    [{ ...e, s: 'BTCUSDT', p: '60000.001' }, /field p "60000.001" is not a decimal at scale 2/],
    [{ ...e, X: 'WEIRD' }, /field X has unknown value/],
    [{ ...e, i: '4293153' }, /field i must be an integer/],
    [{ ...e, s: 'DOGEUSDT' }, /DOGEUSDT is not one this adapter trades/],
  ];
  for (const [ev, re] of bad) assert.throws(() => parseExecutionReport(ev, scales, 1, 0n), (err: Error) => err instanceof ReplyFormatError && err.code === 'BINANCE_BAD_REPLY' && re.test(err.message));
});

test('outboundAccountPosition and the new-order replies parse to bigint balances, quantities and fills', () => {
  const pos = parseAccountPosition((fixture('spot_wsapi_user_event_outboundAccountPosition.stripped.json') as { event: Record<string, unknown> }).event, scales, 3);
  assert.deepEqual(
    pos.balances.map((b) => [b.asset, b.free, b.locked, b.scale]),
    [
      ['BTC', 1_181_800_000_000n, 18_200_000_000n, 8],
      ['USDT', 1_058_000_000_000n, 7_000_000_000n, 8],
    ],
  );
  const full = parseVenueOrder(fixture('spot_rest_new_order_response_full.stripped.json'), scales, 'order.place');
  assert.deepEqual([full.orderId, full.status, full.executedQty, full.cumQuote, full.transactTimeMs], [28, 'FILLED', 1_000_000n, 100_000_000n, 1507725176595]);
  assert.deepEqual(
    full.fills!.map((f) => [f.price, f.qty, f.commission, f.commissionAsset, f.tradeId]),
    [
      [400_000n, 100_000n, 400_000_000n, 'USDT', 56],
      [399_900n, 500_000n, 1_999_500_000n, 'USDT', 57],
      [399_800n, 200_000n, 799_600_000n, 'USDT', 58],
      [399_700n, 100_000n, 399_700_000n, 'USDT', 59],
      [399_500n, 100_000n, 399_500_000n, 'USDT', 60],
    ],
  );
  const result = parseVenueOrder(fixture('spot_rest_new_order_response_result.stripped.json'), scales, 'order.place');
  assert.equal(result.fills, undefined);
  assert.equal(result.status, 'FILLED');
  const ack = parseVenueOrder({ symbol: 'BTCUSDT', orderId: 28, orderListId: -1, clientOrderId: 'x', transactTime: 1 }, scales, 'order.place');
  assert.equal(ack.status, undefined);
});

test('orders are checked before anything is sent; mantissas print exactly at the scales', () => {
  const p = newOrderParams({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', clientOrderId: 'a-1', price: 6_000_001n, quantity: 1n }, scales, 'RESULT');
  assert.deepEqual(p, { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.00001', price: '60000.01', newClientOrderId: 'a-1', newOrderRespType: 'RESULT' });
  const m = newOrderParams({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', clientOrderId: 'a-2', quoteOrderQty: 1_000_000_000n }, scales, 'ACK');
  assert.deepEqual([m.quoteOrderQty, m.quantity, m.newOrderRespType], ['100', undefined, 'ACK']);
  const bad: [Parameters<typeof newOrderParams>[0], RegExp][] = [
    [{ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'a', quantity: 1n }, /price must be a bigint/],
    [{ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'a', quantity: 0n, price: 1n }, /quantity must be positive/],
    [{ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', clientOrderId: 'a', quantity: 1n, quoteOrderQty: 1n }, /exactly one of quantity and quoteOrderQty/],
    [{ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', clientOrderId: 'a', quantity: 1n, price: 1n }, /neither price/],
    [{ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: 'x'.repeat(37), quantity: 1n, price: 1n }, /clientOrderId/],
    [{ symbol: 'BTCUSDT', side: 'HOLD' as 'BUY', type: 'LIMIT', clientOrderId: 'a', quantity: 1n, price: 1n }, /side must be BUY or SELL/],
  ];
  for (const [o, re] of bad) assert.throws(() => newOrderParams(o, scales, 'RESULT'), (err: Error) => err instanceof InvalidOrderError && re.test(err.message));
});

test('option errors name the field', () => {
  const ok: BinanceExecOptions = {
    restBaseUrl: 'https://api.binance.com',
    wsApiUrl: 'wss://ws-api.binance.com:443/ws-api/v3',
    credentials: { apiKey: 'k', apiSecret: 's' },
    instruments: [{ symbol: 'BTCUSDT', priceScale: 2, qtyScale: 5 }],
  };
  const cfg = resolveExecConfig(ok);
  assert.deepEqual([cfg.recvWindowMs, cfg.requestTimeoutMs, cfg.respType, cfg.rateLimits.weightPerMinute, cfg.rateLimits.cancelReserveWeight], [5000, 5000, 'RESULT', 6000, 300]);
  const cases: [Partial<BinanceExecOptions>, RegExp][] = [
    [{ restBaseUrl: 'ftp://x' }, /restBaseUrl: must use http: or https:/],
    [{ restBaseUrl: 'https://api.binance.com/api/v3' }, /restBaseUrl: must be a base without a path/],
    [{ wsApiUrl: 'https://x' }, /wsApiUrl: must use ws: or wss:/],
    [{ recvWindowMs: 60_001 }, /recvWindowMs: must be an integer in \[1, 60000\]/],
    [{ instruments: [] }, /instruments: must list at least one symbol/],
    [{ instruments: [{ symbol: 'btcusdt', priceScale: 2, qtyScale: 5 }] }, /instruments\[0\]\.symbol/],
    [{ instruments: [{ symbol: 'BTCUSDT', priceScale: 19, qtyScale: 5 }] }, /instruments\[0\]\.priceScale/],
    [{ credentials: { apiKeyEnv: 'NOPE_NOT_SET', apiSecret: 's' } }, /credentials: .*NOPE_NOT_SET is not set/],
    [{ rateLimits: { orderBudgetPolicy: 'drop' as 'wait' } }, /orderBudgetPolicy/],
    [{ respType: 'FAST' as 'ACK' }, /respType/],
  ];
  for (const [over, re] of cases) assert.throws(() => resolveExecConfig({ ...ok, ...over }), (err: Error) => err instanceof ExecConfigError && err.code === 'BINANCE_EXEC_CONFIG' && re.test(err.message), String(re));
});
