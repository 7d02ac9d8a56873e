import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BookLevels } from '../../src/book/book-levels.js';
import { micropriceMantissa } from '../../src/book/book-math.js';
import { SpscRing } from '../../src/core/ring/spsc-ring.js';
import type { RecordHandler } from '../../src/core/ring/status.js';
import { BookFlag, EventType, IdSentinel, MdFlag, OrderFlag, OrderState, RejectReason, Sentinel, Source } from '../../src/core/schema/constants.js';
import { EventBuffer } from '../../src/core/schema/event-buffer.js';
import { writeRecord, type RecordValues } from '../../src/core/schema/record-io.js';
import {
  decimalParam,
  defineStrategy,
  SimulatedClock,
  StrategyDriver,
  z,
  type BestPrices,
  type BookDepth,
  type OrderEvent,
  type TimerEvent,
  type TradeEvent,
} from '../../src/strategy/sdk/index.js';
import { BTC, ETH, harness, INSTRUMENTS, setBook } from './fixtures.js';

/** The host's side: records go into a real SPSC ring, the driver polls it. */
function feed() {
  const ring = SpscRing.create({ capacity: 64 });
  const producer = ring.producer('backoff');
  const consumer = SpscRing.attach(ring.buffer).consumer('backoff');
  const buf = new EventBuffer(ring.buffer);
  return {
    push(record: string, values: RecordValues) {
      const at = producer.tryClaim();
      assert.ok(at >= 0);
      writeRecord(buf, at, record, values);
      producer.commit();
    },
    pump(driver: { onRecord: RecordHandler }) {
      return consumer.poll(driver.onRecord);
    },
  };
}

const bookChanged = (instrument: number, recv: bigint, bid: bigint, ask: bigint, flags = BookFlag.VALID | BookFlag.TOP_CHANGED): RecordValues => ({
  type: EventType.BOOK_CHANGED,
  source: Source.VENUE_STREAM,
  flags,
  instrument,
  bookVersion: 2n,
  seq: 1234n,
  exchTimeNs: Sentinel.TIME_UNDEF,
  recvTimeNs: recv,
  publishTimeNs: recv + 1000n,
  bidPrice: bid,
  askPrice: ask,
});

const update = (ref: number, state: number, flags: number, extra: Partial<Record<string, bigint | number>> = {}): RecordValues => ({
  type: EventType.ORDER_UPDATE,
  state,
  flags,
  instrument: BTC.id,
  strategyId: 7,
  reason: RejectReason.NONE,
  clientOrderId: BigInt(ref),
  filledQty: 0n,
  leavesQty: 0n,
  lastPx: Sentinel.PRICE_UNDEF,
  lastQty: 0n,
  fee: 0n,
  ...extra,
});

test('book events read the shared book; intents carry the triggering receive stamp', async () => {
  const seen: { best: BestPrices | null; depth: BookDepth | null; bid: bigint | null; valid: boolean; micro: bigint | null }[] = [];
  const strategy = defineStrategy({
    name: 'mm',
    params: z.object({ size: decimalParam(5) }),
    onBook(ctx, ev) {
      const best = ev.book.best();
      const copy = new BookLevels(2);
      ev.book.readInto(copy);
      seen.push({ best, depth: ev.book.levels(2), bid: ev.bidPrice, valid: ev.valid, micro: micropriceMantissa(copy, 2) });
      if (best?.bidPrice != null) ctx.place({ instrument: ev.instrument, side: 'buy', type: 'limit', tif: 'GTC', price: best.bidPrice, qty: ctx.params.size });
    },
  });
  const h = harness({ params: strategy.parseParams({ size: '0.01' }) });
  const driver = new StrategyDriver(strategy, h.ctx, INSTRUMENTS);
  const f = feed();
  setBook(h.btcBook, [[6500001, 150000], [6500000, 25000]], [[6500002, 50000], [6500010, 300000]]);
  await driver.start();
  f.push('BookChanged', bookChanged(BTC.id, 777_000_000n, 6500001n, 6500002n));
  assert.equal(f.pump(driver), 1);
  assert.deepEqual(seen[0]!.best, { bidPrice: 6500001n, bidQty: 150000n, askPrice: 6500002n, askQty: 50000n, valid: true, version: 2 });
  assert.deepEqual(seen[0]!.depth!.bids, [[6500001n, 150000n], [6500000n, 25000n]]);
  assert.deepEqual(seen[0]!.depth!.asks, [[6500002n, 50000n], [6500010n, 300000n]]);
  assert.equal(seen[0]!.bid, 6500001n);
  assert.equal(seen[0]!.valid, true);
  // (6500001 × 50000 + 6500002 × 150000) / 200000 = 6500001.75 at 2 extra digits
  assert.equal(seen[0]!.micro, 650000175n);
  const [intent] = h.drain();
  assert.equal(intent!['price'], 6500001n);
  assert.equal(intent!['qty'], 1000n);
  assert.equal(intent!['triggerRecvTimeNs'], 777_000_000n, 'tick-to-order starts at the market event');
  // An empty side reads as null; an invalid book says so.
  setBook(h.btcBook, [], [[6500002, 50000]], 2);
  f.push('BookChanged', bookChanged(BTC.id, 778_000_000n, Sentinel.PRICE_UNDEF, 6500002n, BookFlag.INVALID));
  f.pump(driver);
  assert.equal(seen[1]!.best!.bidPrice, null);
  assert.equal(seen[1]!.bid, null);
  assert.equal(seen[1]!.valid, false);
  assert.deepEqual(h.drain(), []);
});

test('trade events, unknown instruments and other record types', async () => {
  const trades: { price: bigint; qty: bigint; aggressor: string | null; tradeId: bigint | null; recv: bigint }[] = [];
  const strategy = defineStrategy({
    name: 'tape',
    onTrade(_ctx, ev: TradeEvent) {
      trades.push({ price: ev.price, qty: ev.qty, aggressor: ev.aggressor, tradeId: ev.tradeId, recv: ev.recvTimeNs });
    },
  });
  const h = harness();
  const driver = new StrategyDriver(strategy, h.ctx, INSTRUMENTS);
  const f = feed();
  const trade = (instrument: number, flags: number, tradeId: bigint): RecordValues => ({
    type: EventType.TRADE,
    source: Source.VENUE_STREAM,
    flags,
    instrument,
    seq: IdSentinel.SEQ_UNDEF,
    exchTimeNs: 1n,
    recvTimeNs: 99n,
    price: 300012n,
    qty: 7n,
    tradeId,
  });
  f.push('MdTrade', trade(ETH.id, MdFlag.SELL, 55n));
  f.pump(driver);
  assert.equal(driver.stats().dropped, 1, 'nothing is handed over before start');
  await driver.start();
  f.push('MdTrade', trade(ETH.id, MdFlag.BUY, 55n));
  f.push('MdTrade', trade(ETH.id, 0, IdSentinel.TRADE_ID_UNDEF));
  f.push('MdTrade', trade(9999, MdFlag.BUY, 1n));
  f.push('MdLevel', { type: EventType.LEVEL_BID, instrument: ETH.id, price: 1n, qty: 1n });
  f.pump(driver);
  assert.deepEqual(trades, [
    { price: 300012n, qty: 7n, aggressor: 'buy', tradeId: 55n, recv: 99n },
    { price: 300012n, qty: 7n, aggressor: null, tradeId: null, recv: 99n },
  ]);
  const s = driver.stats();
  assert.equal(s.trades, 2);
  assert.equal(s.unknownInstrument, 1);
  assert.equal(s.ignored, 1);
});

test('order updates become update/fill/reject events and keep positions and open orders', async () => {
  const events: OrderEvent[] = [];
  const strategy = defineStrategy({ name: 'oms-view', onOrder: (_ctx, ev) => void events.push(ev) });
  const h = harness();
  const driver = new StrategyDriver(strategy, h.ctx, INSTRUMENTS);
  const f = feed();
  await driver.start();
  const a = h.ctx.place({ instrument: 'BTCUSDT', side: 'buy', type: 'limit', tif: 'GTC', price: 6500000n, qty: 1000n, clientTag: 'a' });
  const b = h.ctx.place({ instrument: 'BTCUSDT', side: 'sell', type: 'limit', tif: 'GTC', price: 6600000n, qty: 400n });
  const buy = OrderFlag.BUY;
  const sell = OrderFlag.SELL;
  f.push('OrderUpdate', update(a, OrderState.NEW, buy, { leavesQty: 1000n }));
  f.push('OrderUpdate', update(a, OrderState.PARTIALLY_FILLED, buy | OrderFlag.FILL | OrderFlag.MAKER, { filledQty: 300n, leavesQty: 700n, lastPx: 6500000n, lastQty: 300n, fee: -15n, feeAsset: 2 }));
  f.push('OrderUpdate', update(b, OrderState.REJECTED, sell | OrderFlag.FINAL, { reason: RejectReason.PRICE_BAND, leavesQty: 0n }));
  f.pump(driver);
  assert.deepEqual(
    events.map((e) => [e.kind, e.ref, e.state, e.final]),
    [
      ['update', a, 'NEW', false],
      ['fill', a, 'PARTIALLY_FILLED', false],
      ['reject', b, 'REJECTED', true],
    ],
  );
  const fill = events[1]!;
  assert.ok(fill.kind === 'fill');
  assert.deepEqual([fill.fillPrice, fill.fillQty, fill.fee, fill.feeAsset, fill.maker, fill.clientTag], [6500000n, 300n, -15n, 2, true, 'a']);
  const reject = events[2]!;
  assert.ok(reject.kind === 'reject');
  assert.equal(reject.reason, 'PRICE_BAND');
  assert.equal(reject.reasonCode, RejectReason.PRICE_BAND);
  assert.equal(h.ctx.positions('BTCUSDT'), 300n);
  assert.deepEqual([...h.ctx.positions()], [['BTCUSDT', 300n]]);
  assert.deepEqual(h.ctx.openOrders().map((o) => [o.ref, o.state, o.filledQty, o.leavesQty]), [[a, 'PARTIALLY_FILLED', 300n, 700n]]);
  // An accepted amend adopts the new price; the final fill closes the order.
  h.ctx.amend(a, { price: 6500100n });
  f.push('OrderUpdate', update(a, OrderState.PARTIALLY_FILLED, buy, { filledQty: 300n, leavesQty: 700n }));
  f.pump(driver);
  assert.equal(h.ctx.openOrders()[0]!.price, 6500100n);
  f.push('OrderUpdate', update(a, OrderState.FILLED, buy | OrderFlag.FILL | OrderFlag.FINAL, { filledQty: 1000n, leavesQty: 0n, lastPx: 6500100n, lastQty: 700n }));
  f.pump(driver);
  assert.equal(h.ctx.positions('BTCUSDT'), 1000n);
  assert.deepEqual(h.ctx.openOrders(), []);
  // A sell fill of an order from before a restart still moves the position.
  f.push('OrderUpdate', update(40, OrderState.FILLED, sell | OrderFlag.FILL | OrderFlag.FINAL, { filledQty: 250n, lastPx: 6600000n, lastQty: 250n }));
  f.pump(driver);
  assert.equal(h.ctx.positions('BTCUSDT'), 750n);
  assert.equal(h.ctx.orders.unknownUpdates, 1);
  assert.equal(events.at(-1)!.ref, 40);
});

test('timers run on the context clock: one-shot, repeating, late ones coalesced', async () => {
  const fired: TimerEvent[] = [];
  const clock = new SimulatedClock(1_000_000_000n);
  const strategy = defineStrategy({
    name: 'clocked',
    onStart(ctx) {
      ctx.setTimer('once', 5);
      ctx.setTimer('tick', 10, true);
    },
    onTimer: (ctx, ev) => {
      fired.push(ev);
      if (ev.name === 'once') ctx.place({ instrument: 'BTCUSDT', side: 'buy', type: 'market', qty: 1n });
    },
  });
  const h = harness({ clock });
  const driver = new StrategyDriver(strategy, h.ctx, INSTRUMENTS);
  await driver.start();
  assert.equal(driver.nextTimerDueNs(), 1_005_000_000n);
  assert.equal(driver.runTimers(), 0);
  clock.advanceTo(1_005_000_000n);
  assert.equal(driver.runTimers(), 1);
  clock.advanceTo(1_010_000_000n);
  assert.equal(driver.runTimers(), 1);
  clock.advanceTo(1_045_000_000n);
  assert.equal(driver.runTimers(), 1);
  assert.deepEqual(
    fired.map((e) => [e.name, e.dueNs, e.nowNs, e.missed]),
    [
      ['once', 1_005_000_000n, 1_005_000_000n, 0],
      ['tick', 1_010_000_000n, 1_010_000_000n, 0],
      ['tick', 1_020_000_000n, 1_045_000_000n, 2],
    ],
  );
  assert.equal(driver.nextTimerDueNs(), 1_050_000_000n, 'the period grid is kept');
  const [intent] = h.drain();
  assert.equal(intent!['createdTimeNs'], 1_005_000_000n, 'intents are stamped by the simulated clock');
  assert.equal(intent!['triggerRecvTimeNs'], Sentinel.TIME_UNDEF);
  assert.equal(h.ctx.clearTimer('tick'), true);
  assert.equal(driver.nextTimerDueNs(), null);
  assert.throws(() => h.ctx.setTimer('bad', 0), /period must be a number of ms/);
  assert.throws(() => h.ctx.setTimer('', 5), /timer name/);
});

test('a throwing handler is counted and reported; the strategy goes on; state is handed over on stop', async () => {
  const reported: string[] = [];
  let count = 0;
  const v1 = defineStrategy({
    name: 'counter',
    onStart(_ctx, state?: { count: number }) {
      count = state?.count ?? 0;
    },
    onTrade(_ctx, ev) {
      if (ev.qty === 13n) throw new Error('unlucky');
      count++;
    },
    onStop: () => ({ count }),
  });
  const h = harness();
  const driver = new StrategyDriver(v1, h.ctx, INSTRUMENTS, { onError: (err, where) => reported.push(`${where}: ${(err as Error).message}`) });
  const f = feed();
  await driver.start({ count: 10 });
  for (const qty of [1n, 13n, 2n]) {
    f.push('MdTrade', { type: EventType.TRADE, instrument: BTC.id, price: 1n, qty, tradeId: 1n, recvTimeNs: 1n });
  }
  f.pump(driver);
  assert.deepEqual(reported, ['onTrade: unlucky']);
  assert.equal(driver.stats().handlerErrors, 1);
  const state = await driver.stop();
  assert.deepEqual(state, { count: 12 });
  f.push('MdTrade', { type: EventType.TRADE, instrument: BTC.id, price: 1n, qty: 1n, recvTimeNs: 1n });
  f.pump(driver);
  assert.equal(driver.stats().dropped, 1);

  // The successor starts from the handed-over state and past every intent id in use.
  const h2 = harness({ firstIntentId: h.ctx.nextIntentId });
  const next = new StrategyDriver(v1, h2.ctx, INSTRUMENTS);
  await next.start(state);
  assert.equal(count, 12);
  // Default error reporting goes to the strategy's log.
  const g = feed();
  g.push('MdTrade', { type: EventType.TRADE, instrument: BTC.id, price: 1n, qty: 13n, recvTimeNs: 1n });
  g.pump(next);
  assert.ok(h2.logLines.some((l) => l.includes('onTrade threw') && l.includes('unlucky')));
});
