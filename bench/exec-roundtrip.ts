/**
 * The Binance execution adapter against the sim over loopback, one order in flight at a
 * time (a 2-core VM, nothing pinned): place → ack round trip (LIMIT GTC resting, ACK
 * reply, then a cancel to keep the book small) via the WebSocket API and via REST,
 * measured around `await adapter.place()`, in alternating blocks so drift hits both
 * alike; and the internal part: the synchronous part of place() (checks, rate gate,
 * params, signing, JSON or urlencoding and, on the WS API, the socket write itself: `ws`
 * writes the frame before send() returns), and place() call → the write's completion
 * callback (bytes confirmed handed to the kernel; one event-loop turn later).
 * A bare signed `ws` client doing the same place/cancel on the same sim, in the same
 * blocks, is the floor the adapter's WS API round trip is compared with.
 * Run: node --expose-gc dist/bench/exec-roundtrip.js [--ci]
 */
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { LatencyHistogram } from '../src/core/metrics/histogram.js';
import { SimExchange } from '../src/venues/sim/server/exchange.js';
import { orderEntryPlugin } from '../src/venues/sim/orderentry/index.js';
import { stderrLog } from '../src/venues/sim/server/log.js';
import { BinanceExecAdapter } from '../src/venues/binance/exec/index.js';
import { writeResults, markdownTable, isCiRun, type BenchFigure } from './lib/results.js';

const ci = isCiRun();
const BLOCKS = ci ? 4 : 10;
const BLOCK_ROUNDS = ci ? 150 : 400;
const WARMUP = ci ? 150 : 500;
const BIG = 1_000_000_000;

const accounts = [{ name: 'bench', apiKey: 'benchKey', apiSecret: 'benchSecret', balances: { USDT: '1000000000', BTC: '1000' } }];
const sim = await SimExchange.start({
  rate: 0,
  symbols: ['BTCUSDT'],
  seedBooks: false,
  accounts,
  log: stderrLog('error'),
  plugins: [orderEntryPlugin({ accounts, rateLimits: { weightPerMinute: BIG, ordersPer10s: BIG, ordersPerDay: BIG } })],
});
const instruments = sim.instruments.all().map((i) => ({ symbol: i.venueSymbol, priceScale: i.priceScale, qtyScale: i.qtyScale }));
const common = {
  restBaseUrl: sim.url,
  credentials: { apiKey: 'benchKey', apiSecret: 'benchSecret' },
  instruments,
  respType: 'ACK' as const,
  clockSyncIntervalMs: 0,
  rateLimits: { weightPerMinute: BIG, ordersPer10s: BIG, ordersPerDay: BIG },
};
const ws = await BinanceExecAdapter.start({ ...common, wsApiUrl: `${sim.wsUrl}/ws-api/v3` });
const rest = await BinanceExecAdapter.start({ ...common, wsApiUrl: null });
if (ws.activeTransport !== 'ws' || rest.activeTransport !== 'rest') throw new Error('transports not as intended');

/** The floor: sign, stringify, send, wait for the reply with that id; nothing else. */
async function bareClient(url: string): Promise<{ call(method: string, params: Record<string, string | number>): Promise<Record<string, unknown>>; close(): void }> {
  const sock = new WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    sock.once('open', () => resolve());
    sock.once('error', reject);
  });
  let waiting: { id: number; resolve(m: Record<string, unknown>): void } | null = null;
  sock.on('message', (d) => {
    const m = JSON.parse(String(d)) as Record<string, unknown>;
    if (waiting && m.id === waiting.id) {
      const w = waiting;
      waiting = null;
      w.resolve(m);
    }
  });
  let id = 0;
  return {
    call(method, params) {
      const all: Record<string, string | number> = { ...params, apiKey: 'benchKey', timestamp: Date.now() };
      const payload = Object.keys(all)
        .sort()
        .map((k) => `${k}=${all[k]}`)
        .join('&');
      all.signature = createHmac('sha256', 'benchSecret').update(payload).digest('hex');
      const myId = ++id;
      return new Promise((resolve) => {
        waiting = { id: myId, resolve };
        sock.send(JSON.stringify({ id: myId, method, params: all }));
      });
    },
    close: () => sock.close(),
  };
}
const bare = await bareClient(`${sim.wsUrl}/ws-api/v3`);

let seq = 0;
async function bareRounds(n: number, h: LatencyHistogram | null): Promise<void> {
  for (let i = 0; i < n; i++) {
    const cid = `b${++seq}`;
    const t0 = process.hrtime.bigint();
    const r = await bare.call('order.place', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '30000', newClientOrderId: cid, newOrderRespType: 'ACK' });
    const t1 = process.hrtime.bigint();
    if (r.status !== 200) throw new Error(`bare place failed: ${JSON.stringify(r)}`);
    h?.record(Number(t1 - t0));
    await bare.call('order.cancel', { symbol: 'BTCUSDT', origClientOrderId: cid });
  }
}

async function rounds(a: BinanceExecAdapter, n: number, h: LatencyHistogram | null, sync: LatencyHistogram | null): Promise<void> {
  for (let i = 0; i < n; i++) {
    const cid = `b${++seq}`;
    const t0 = process.hrtime.bigint();
    const pending = a.place({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', clientOrderId: cid, price: 3_000_000n, quantity: 100n });
    const ts = process.hrtime.bigint();
    const out = await pending;
    const t1 = process.hrtime.bigint();
    if (out.kind !== 'ack') throw new Error(`place failed: ${out.kind} ${'msg' in out ? out.msg : ''}`);
    h?.record(Number(t1 - t0));
    sync?.record(Number(ts - t0));
    const cx = await a.cancel('BTCUSDT', cid);
    if (cx.kind !== 'ack') throw new Error(`cancel failed: ${cx.kind}`);
  }
}

await bareRounds(WARMUP, null);
await rounds(ws, WARMUP, null, null);
await rounds(rest, WARMUP, null, null);
for (const a of [ws, rest]) {
  a.placeToWireNs.ws.reset();
  a.placeToWireNs.rest.reset();
}
const wsRtt = new LatencyHistogram();
const restRtt = new LatencyHistogram();
const bareRtt = new LatencyHistogram();
const wsSync = new LatencyHistogram();
const restSync = new LatencyHistogram();
const t0 = performance.now();
for (let b = 0; b < BLOCKS; b++) {
  await bareRounds(BLOCK_ROUNDS, bareRtt);
  await rounds(ws, BLOCK_ROUNDS, wsRtt, wsSync);
  await rounds(rest, BLOCK_ROUNDS, restRtt, restSync);
}
const elapsedS = (performance.now() - t0) / 1000;
const wsWire = ws.placeToWireNs.ws;
const restWire = rest.placeToWireNs.rest;
if (ws.counters.viaRest !== 0 || rest.counters.viaWs !== 0) throw new Error('a request changed transport during the run');
bare.close();
await ws.stop();
await rest.stop();
await sim.stop();

const us = (ns: number): number => Math.round(ns / 100) / 10;
const q = (h: LatencyHistogram, p: number): number => us(h.percentile(p));
console.log(
  `place→ack WS API p50 ${q(wsRtt, 50)} µs p99 ${q(wsRtt, 99)} µs p99.9 ${q(wsRtt, 99.9)} µs | REST p50 ${q(restRtt, 50)} µs p99 ${q(restRtt, 99)} µs p99.9 ${q(restRtt, 99.9)} µs | ` +
    `bare ws client p50 ${q(bareRtt, 50)} µs | place() sync part WS p50 ${q(wsSync, 50)} µs (frame written), REST p50 ${q(restSync, 50)} µs | place()→write callback WS p50 ${q(wsWire, 50)} µs, REST p50 ${q(restWire, 50)} µs | ${wsRtt.count + restRtt.count + bareRtt.count} measured places in ${elapsedS.toFixed(1)} s`,
);
const figures: BenchFigure[] = [];
for (const p of [50, 99, 99.9] as const) {
  const tag = p === 99.9 ? 'p999' : `p${p}`;
  figures.push({ metric: `wsapi_place_ack_rtt_${tag}_vs_bare_ws`, unit: 'us', value: q(wsRtt, p), baseline: { name: `bare signed ws client ${tag} (same run)`, value: q(bareRtt, p) } });
}
for (const [name, h] of [
  ['wsapi_place_ack_rtt', wsRtt],
  ['rest_place_ack_rtt', restRtt],
  ['wsapi_place_sync_part', wsSync],
  ['rest_place_sync_part', restSync],
  ['wsapi_place_to_write_cb', wsWire],
  ['rest_place_to_write_cb', restWire],
] as const) {
  figures.push({ metric: `${name}_p50`, unit: 'us', value: q(h, 50), baseline: null });
  figures.push({ metric: `${name}_p99`, unit: 'us', value: q(h, 99), baseline: null });
  figures.push({ metric: `${name}_p999`, unit: 'us', value: q(h, 99.9), baseline: null });
}
// How many times faster the WS API round trip is than REST (REST p50 / WS p50, same run).
figures.push({
  metric: 'wsapi_vs_rest_place_rtt_p50_speedup',
  unit: 'x',
  value: Math.round((restRtt.percentile(50) / wsRtt.percentile(50)) * 100) / 100,
  baseline: { name: 'REST place→ack p50 (same run), µs', value: q(restRtt, 50) },
  ratio: Math.round((restRtt.percentile(50) / wsRtt.percentile(50)) * 100) / 100,
});
console.log(markdownTable(writeResults('exec-roundtrip', figures)));
