/**
 * Order entry round trips on loopback, one client waiting for each reply (pinned to
 * nothing; a 2-core VM): WebSocket API order.place (LIMIT GTC, resting) then order.cancel,
 * HMAC-signed like a real client, against a plain `ws` echo server round trip measured in
 * the same run (the floor any WebSocket request/response pays here).
 * Run: node --expose-gc dist/bench/sim-orderentry.js [--ci]
 */
import { createHmac } from 'node:crypto';
import WebSocket, { WebSocketServer } from 'ws';
import { LatencyHistogram } from '../src/core/metrics/histogram.js';
import { SimExchange } from '../src/venues/sim/server/exchange.js';
import { orderEntryPlugin } from '../src/venues/sim/orderentry/index.js';
import { stderrLog } from '../src/venues/sim/server/log.js';
import { writeResults, markdownTable, type BenchFigure } from './lib/results.js';

const ci = process.argv.includes('--ci');
const ROUNDS = ci ? 400 : 3000;
const WARMUP = ci ? 100 : 500;
const KEY = 'benchKey';
const SECRET = 'benchSecret';

function client(url: string): Promise<{ ws: WebSocket; rtt(msg: string): Promise<string> }> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  let pending: ((s: string) => void) | null = null;
  ws.on('message', (d) => {
    const p = pending;
    pending = null;
    p?.(String(d));
  });
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        rtt: (msg) =>
          new Promise((r) => {
            pending = r;
            ws.send(msg);
          }),
      }),
    );
  });
}

function signedRequest(id: number, method: string, params: Record<string, string | number>): string {
  const all: Record<string, string | number> = { ...params, apiKey: KEY, timestamp: Date.now() };
  const payload = Object.keys(all)
    .sort()
    .map((k) => `${k}=${all[k]}`)
    .join('&');
  const signature = createHmac('sha256', SECRET).update(payload).digest('hex');
  return JSON.stringify({ id, method, params: { ...all, signature } });
}

async function simRoundTrips(): Promise<{ place: LatencyHistogram; cancel: LatencyHistogram; perSec: number }> {
  const accounts = [{ name: 'bench', apiKey: KEY, apiSecret: SECRET, balances: { USDT: '1000000000', BTC: '1000' } }];
  const sim = await SimExchange.start({
    rate: 0,
    symbols: ['BTCUSDT'],
    accounts,
    log: stderrLog('error'),
    plugins: [orderEntryPlugin({ accounts, rateLimits: { weightPerMinute: 1e9, ordersPer10s: 1e9, ordersPerDay: 1e9 } })],
  });
  const c = await client(`${sim.wsUrl}/ws-api/v3`);
  const place = new LatencyHistogram();
  const cancel = new LatencyHistogram();
  let id = 0;
  const t0 = performance.now();
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const a = process.hrtime.bigint();
    const placed = JSON.parse(
      await c.rtt(signedRequest(++id, 'order.place', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '30000', newOrderRespType: 'ACK' })),
    ) as { result?: { orderId: number }; error?: unknown };
    const b = process.hrtime.bigint();
    if (!placed.result) throw new Error(`place failed: ${JSON.stringify(placed)}`);
    await c.rtt(signedRequest(++id, 'order.cancel', { symbol: 'BTCUSDT', orderId: placed.result.orderId }));
    const e = process.hrtime.bigint();
    if (i >= WARMUP) {
      place.record(Number(b - a) / 1000);
      cancel.record(Number(e - b) / 1000);
    }
  }
  const perSec = ((WARMUP + ROUNDS) * 2 * 1000) / (performance.now() - t0);
  c.ws.close();
  await sim.stop();
  return { place, cancel, perSec };
}

async function echoRoundTrips(sample: string): Promise<LatencyHistogram> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (ws) => ws.on('message', (d) => ws.send(String(d))));
  const c = await client(`ws://127.0.0.1:${(wss.address() as { port: number }).port}`);
  const h = new LatencyHistogram();
  for (let i = 0; i < WARMUP + ROUNDS; i++) {
    const a = process.hrtime.bigint();
    await c.rtt(sample);
    if (i >= WARMUP) h.record(Number(process.hrtime.bigint() - a) / 1000);
  }
  c.ws.close();
  await new Promise<void>((r) => wss.close(() => r()));
  return h;
}

const sim = await simRoundTrips();
const echo = await echoRoundTrips(signedRequest(1, 'order.place', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '30000' }));
const p50 = (h: LatencyHistogram) => Math.round(h.percentile(50) * 10) / 10;
const p99 = (h: LatencyHistogram) => Math.round(h.percentile(99) * 10) / 10;
console.log(`order.place RTT p50 ${p50(sim.place)} µs p99 ${p99(sim.place)} µs; order.cancel p50 ${p50(sim.cancel)} µs; ws echo p50 ${p50(echo)} µs; ${Math.round(sim.perSec)} requests/s`);
const figures: BenchFigure[] = [
  { metric: 'wsapi_order_place_rtt_p50', unit: 'us', value: p50(sim.place), baseline: { name: 'ws echo rtt p50 (same run)', value: p50(echo) } },
  { metric: 'wsapi_order_place_rtt_p99', unit: 'us', value: p99(sim.place), baseline: { name: 'ws echo rtt p99 (same run)', value: p99(echo) } },
  { metric: 'wsapi_order_cancel_rtt_p50', unit: 'us', value: p50(sim.cancel), baseline: null },
  { metric: 'wsapi_sequential_requests_per_sec', unit: 'req/s', value: Math.round(sim.perSec), baseline: null },
];
console.log(markdownTable(writeResults('sim-orderentry', figures)));
