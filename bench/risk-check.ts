/**
 * Cost of the oms hot path per intent: pre-trade risk check + order state transition, with
 * every check enabled (daily loss over two traded instruments, self-trade scan) and 20
 * open orders resting around the mid.
 *
 * Per call: the risk check alone, each NEW intent through the order manager (risk check →
 * Order → PendingNew), each venue report (ack, cancel confirmation) and each CANCEL intent
 * is timed on its own with
 * process.hrtime.bigint() around the call, recorded in a LatencyHistogram (ns). The timer
 * pair itself costs tens of ns (reported as `timer-overhead`, not subtracted). Throughput
 * is timed in batches (one timer pair per ROUND of thousands of calls) so the timer does not
 * count. Bytes per intent come from the heap-growth slope (bench/lib/alloc.ts).
 *
 * Gate: the full NEW check against just the token bucket it ends with, as a throughput
 * ratio measured in the same run; it only catches gross regressions (e.g. bigint or an
 * allocation creeping into the common path).
 *
 *   node --expose-gc dist/bench/risk-check.js [--ci]
 */
import { InstrumentRegistry } from '../src/core/instruments/registry.js';
import { LatencyHistogram } from '../src/core/metrics/histogram.js';
import { IntentAction, OrderType, Side, TimeInForce } from '../src/core/schema/constants.js';
import { OrderEvent, OrderEventKind } from '../src/oms/order.js';
import { OrderManager, SubmitResult } from '../src/oms/order-manager.js';
import { ManualClock } from '../src/risk/clock.js';
import { RiskIntent } from '../src/risk/intent.js';
import { StaticMarks } from '../src/risk/mark-source.js';
import { PreTradeRisk } from '../src/risk/pre-trade-risk.js';
import { TokenBucket } from '../src/risk/token-bucket.js';
import { allocationPerOp, stopAllocationObserver } from './lib/alloc.js';
import { isCiRun, markdownTable, writeResults, type BenchFigure } from './lib/results.js';

const ci = isCiRun();
const CYCLES = ci ? 60_000 : 600_000;
const ROUNDS = ci ? 3 : 7;
const BATCH = ci ? 100_000 : 1_000_000;
const ALLOC_OPS = 20_000;
const OPEN_ORDERS = 20;

if (!(globalThis as { gc?: unknown }).gc) {
  console.error('run with --expose-gc');
  process.exit(2);
}

const registry = InstrumentRegistry.from([
  { venue: 'binance', symbol: 'BTCUSDT', venueSymbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001', minQty: '0.00001', minNotional: '5' },
  { venue: 'binance', symbol: 'ETHUSDT', venueSymbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001', minQty: '0.0001', minNotional: '5' },
]);
const BTC = 1;
const ETH = 2;
const marks = new StaticMarks();
marks.set(BTC, 6_000_000n);
marks.set(ETH, 300_000n);
const clock = new ManualClock(1e9);

function newRisk(): PreTradeRisk {
  return new PreTradeRisk({
    registry,
    marks,
    clock,
    limits: {
      defaults: { maxOrderQty: '10', maxOrderNotional: '1000000', maxPosition: '1000', maxTotalPosition: '2000', priceBandBps: 500 },
      orderRate: { perStrategy: { perSecond: 1_000_000, burst: 1_000 }, global: { perSecond: 1_000_000, burst: 1_000 } },
      maxOpenOrders: { perStrategy: 1000, global: 1000 },
      dailyLoss: { USDT: '1000000' },
      selfTrade: 'account',
      maxStrategies: 4,
    },
  });
}

const risk = newRisk();
const om = new OrderManager({ registry, risk, stateMachine: { notFoundGraceNs: 5e9 } });
const out = new SubmitResult();
const intent = new RiskIntent();
const report = new OrderEvent();
let seq = 0;
let strategyOrderId = 0;

// Positions in both instruments (the daily loss check marks them every time).
for (const [inst, px, qty] of [
  [BTC, 6_000_000, 50_000],
  [ETH, 300_000, 20_000],
] as const) {
  intent.set(IntentAction.NEW, Side.BUY, inst, 1, px, qty, OrderType.LIMIT, TimeInForce.GTC);
  intent.strategyOrderId = ++strategyOrderId;
  om.submit(intent, ++seq, clock.nowNs(), out);
  const o = out.order!;
  om.onEvent(o.seq, report.reset(OrderEventKind.ACK, clock.nowNs()));
  report.reset(OrderEventKind.TRADE, clock.nowNs());
  report.tradeId = BigInt(seq);
  report.lastQty = BigInt(qty);
  report.lastPx = BigInt(px);
  report.cumQty = BigInt(qty);
  om.onEvent(o.seq, report);
}
// 20 resting orders: bids below and asks above the mid, three strategies.
for (let i = 0; i < OPEN_ORDERS; i++) {
  const bid = i % 2 === 0;
  intent.set(IntentAction.NEW, bid ? Side.BUY : Side.SELL, BTC, 1 + (i % 3), bid ? 5_990_000 - i * 100 : 6_010_000 + i * 100, 100, OrderType.LIMIT, TimeInForce.GTC);
  intent.strategyOrderId = ++strategyOrderId;
  if (om.submit(intent, ++seq, clock.nowNs(), out) !== 0) throw new Error(`setup order refused: ${out.reason}`);
  om.onEvent(out.order!.seq, report.reset(OrderEventKind.ACK, clock.nowNs()));
}
if (risk.index.openCount !== OPEN_ORDERS) throw new Error(`expected ${OPEN_ORDERS} open orders, have ${risk.index.openCount}`);

const hNew = new LatencyHistogram();
const hAck = new LatencyHistogram();
const hCancel = new LatencyHistogram();
const hCanceled = new LatencyHistogram();
const hTimer = new LatencyHistogram();
let refused = 0;

function setNew(i: number): void {
  intent.set(IntentAction.NEW, Side.BUY, BTC, 1 + (i % 3), 5_995_000 - (i & 63), 100 + (i & 7) * 10, OrderType.LIMIT, TimeInForce.GTC);
  intent.strategyOrderId = ++strategyOrderId;
}

/** One order lifetime: NEW intent, ack, CANCEL intent, cancel confirmation. Timed when `h`. */
function cycle(i: number, timed: boolean): void {
  clock.advance(1_000);
  setNew(i);
  let t0 = timed ? process.hrtime.bigint() : 0n;
  const r = om.submit(intent, ++seq, clock.nowNs(), out);
  if (timed) hNew.record(Number(process.hrtime.bigint() - t0));
  if (r !== 0) {
    refused++;
    return;
  }
  const o = out.order!;
  const id = o.strategyOrderId;
  const s = o.strategyId;
  const oseq = o.seq;
  report.reset(OrderEventKind.ACK, clock.nowNs());
  report.venueOrderId = 1n;
  if (timed) t0 = process.hrtime.bigint();
  om.onEvent(oseq, report);
  if (timed) hAck.record(Number(process.hrtime.bigint() - t0));
  intent.set(IntentAction.CANCEL, Side.BUY, BTC, s, 0, 0);
  intent.strategyOrderId = id;
  if (timed) t0 = process.hrtime.bigint();
  om.submit(intent, ++seq, clock.nowNs(), out);
  if (timed) hCancel.record(Number(process.hrtime.bigint() - t0));
  report.reset(OrderEventKind.CANCELED, clock.nowNs());
  report.cumQty = 0n;
  if (timed) t0 = process.hrtime.bigint();
  om.onEvent(oseq, report);
  if (timed) hCanceled.record(Number(process.hrtime.bigint() - t0));
}

// Warm up, then time every call.
for (let i = 0; i < 20_000; i++) cycle(i, false);
om.evictFinal(clock.nowNs());
for (let i = 0; i < CYCLES; i++) {
  cycle(i, true);
  if ((i & 4095) === 4095) om.evictFinal(clock.nowNs());
}
for (let i = 0; i < 200_000; i++) {
  const t0 = process.hrtime.bigint();
  hTimer.record(Number(process.hrtime.bigint() - t0));
}
if (refused > 0) throw new Error(`${refused} intents refused: the scenario must pass every check`);
if (risk.index.openCount !== OPEN_ORDERS) throw new Error(`open orders drifted to ${risk.index.openCount}`);

// Throughput in batches: the full NEW check (no order created) vs the token bucket alone.
const checkOnly = newRisk();
for (let i = 0; i < OPEN_ORDERS; i++) {
  const ix = checkOnly.index;
  const bid = i % 2 === 0;
  ix.open(1 + (i % 3), BTC, bid ? Side.BUY : Side.SELL, true, bid ? 5_990_000 - i * 100 : 6_010_000 + i * 100, 100, i + 1, i + 1);
}
checkOnly.ledger.applyFill(1, registry.require(BTC), Side.BUY, 50_000n, 6_000_000n, 0n);
checkOnly.ledger.applyFill(1, registry.require(ETH), Side.BUY, 20_000n, 300_000n, 0n);
let sink = 0;
function checks(n: number): void {
  for (let i = 0; i < n; i++) {
    clock.advance(1_000);
    intent.set(IntentAction.NEW, Side.BUY, BTC, 1 + (i % 3), 5_995_000 - (i & 63), 100 + (i & 7) * 10, OrderType.LIMIT, TimeInForce.GTC);
    sink += checkOnly.check(intent);
  }
}
const bucket = new TokenBucket(1_000_000, 1_000, clock.nowNs());
function buckets(n: number): void {
  for (let i = 0; i < n; i++) {
    clock.advance(1_000);
    sink += bucket.tryTake(clock.nowNs()) ? 0 : 1;
  }
}
function cycles(n: number): void {
  for (let i = 0; i < n; i++) cycle(i, false);
  om.evictFinal(clock.nowNs());
}

function nsPerOp(body: (n: number) => void, n: number): number {
  body(Math.min(n, 50_000));
  const runs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    body(n);
    runs.push(Number(process.hrtime.bigint() - t0) / n);
  }
  runs.sort((a, b) => a - b);
  return runs[runs.length >> 1]!;
}

// The check alone, per call (no order created): what the risk layer itself costs.
const hCheck = new LatencyHistogram();
for (let i = 0; i < CYCLES; i++) {
  clock.advance(1_000);
  intent.set(IntentAction.NEW, Side.BUY, BTC, 1 + (i % 3), 5_995_000 - (i & 63), 100 + (i & 7) * 10, OrderType.LIMIT, TimeInForce.GTC);
  const t0 = process.hrtime.bigint();
  sink += checkOnly.check(intent);
  hCheck.record(Number(process.hrtime.bigint() - t0));
}
const checkNs = nsPerOp(checks, BATCH);
const bucketNs = nsPerOp(buckets, BATCH);
const cycleNs = nsPerOp(cycles, Math.ceil(BATCH / 10));
if (sink !== 0) throw new Error(`the batch check refused ${sink} intents`);

const allocCheck = await allocationPerOp(checks, ALLOC_OPS);
const allocCycle = await allocationPerOp(cycles, ALLOC_OPS);
stopAllocationObserver();

const us = (ns: number) => ns / 1000;
const figures: BenchFigure[] = [];
const pct = (name: string, h: LatencyHistogram) => {
  const s = h.summary();
  figures.push({ metric: `${name}-p50`, unit: 'µs', value: us(s.p50), baseline: null });
  figures.push({ metric: `${name}-p99`, unit: 'µs', value: us(s.p99), baseline: null });
  figures.push({ metric: `${name}-p999`, unit: 'µs', value: us(s.p999), baseline: null });
  console.log(`${name}: n=${s.count} p50 ${us(s.p50).toFixed(2)} µs, p99 ${us(s.p99).toFixed(2)} µs, p99.9 ${us(s.p999).toFixed(2)} µs, max ${us(s.max).toFixed(1)} µs`);
};
pct('risk-check-only', hCheck);
pct('new-intent', hNew);
pct('cancel-intent', hCancel);
pct('ack-report', hAck);
pct('cancel-report', hCanceled);
figures.push({ metric: 'timer-overhead-p50', unit: 'µs', value: us(hTimer.percentile(50)), baseline: null });
figures.push({ metric: 'timer-overhead-p99', unit: 'µs', value: us(hTimer.percentile(99)), baseline: null });
figures.push({
  metric: 'risk-check-throughput',
  unit: 'Mops/s',
  value: 1e3 / checkNs,
  baseline: { name: 'token bucket alone', value: 1e3 / bucketNs },
});
figures.push({ metric: 'risk-check-ns', unit: 'ns/op', value: checkNs, baseline: null });
figures.push({ metric: 'order-lifecycle-ns', unit: 'ns/cycle', value: cycleNs, baseline: null });
figures.push({ metric: 'risk-check-alloc', unit: 'B/intent', value: allocCheck.bytes, baseline: null });
figures.push({ metric: 'order-lifecycle-alloc', unit: 'B/cycle', value: allocCycle.bytes, baseline: null });
figures.push({ metric: 'open-orders', unit: 'count', value: risk.index.openCount, baseline: null });
console.log(`risk check ${checkNs.toFixed(0)} ns/op (token bucket ${bucketNs.toFixed(1)} ns), lifecycle ${cycleNs.toFixed(0)} ns`);
console.log(`alloc: check ${allocCheck.bytes.toFixed(1)} B/intent (${allocCheck.gcs} GCs), lifecycle ${allocCycle.bytes.toFixed(0)} B/cycle (${allocCycle.gcs} GCs)`);

const entries = writeResults('risk-check', figures);
console.log(markdownTable(entries));
