/**
 * Messages per second the sim sends on loopback to one `ws` client (in a worker thread,
 * so server and reader each have a core):
 *   live    generated flow at rate 'max' through the matching engine, diff depth of three
 *           symbols on one combined-stream connection (target ≥ 200k msgs/s);
 *   replay  pre-generated depth frames sent by the sim's replay mode (target ≥ 1M msgs/s),
 *           against a `ws` WebSocketServer sending the same frames as fast as it can.
 * Run: node --expose-gc dist/bench/sim-throughput.js [--ci]
 */
import { Worker } from 'node:worker_threads';
import { WebSocketServer, type WebSocket as WsSocket } from 'ws';
import { SimExchange } from '../src/venues/sim/server/exchange.js';
import { stderrLog } from '../src/venues/sim/server/log.js';
import { pregenerateDepthFrames } from '../src/venues/sim/market/replay.js';
import { SIM_CATALOG } from '../src/venues/sim/market/catalog.js';
import { writeResults, markdownTable, type BenchFigure } from './lib/results.js';

const ci = process.argv.includes('--ci');
const LIVE_MS = ci ? 3000 : 8000;
const REPLAY_MS = ci ? 2500 : 6000;
const WARMUP_MS = ci ? 700 : 1500;
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'DOGEUSDT'];

interface Reader {
  count(): number;
  stop(): Promise<void>;
}

async function reader(url: string): Promise<Reader> {
  const shared = new SharedArrayBuffer(8);
  const view = new Int32Array(shared);
  const worker = new Worker(new URL('./lib/ws-count-worker.js', import.meta.url), { workerData: { url, counter: shared } });
  worker.on('message', (m) => {
    if (m?.error) console.error('reader:', m.error);
  });
  const deadline = Date.now() + 5000;
  while (Atomics.load(view, 1) !== 1) {
    if (Date.now() > deadline) throw new Error(`reader did not connect to ${url}`);
    await sleep(5);
  }
  return {
    count: () => Atomics.load(view, 0),
    stop: async () => {
      worker.postMessage('close');
      await sleep(50);
      await worker.terminate();
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Frames per second the reader saw over `ms`, after a warm-up. */
async function measure(r: Reader, ms: number): Promise<number> {
  await sleep(WARMUP_MS);
  const c0 = r.count();
  const t0 = performance.now();
  await sleep(ms);
  return ((r.count() - c0) * 1000) / (performance.now() - t0);
}

async function live(): Promise<number> {
  const sim = await SimExchange.start({ port: 0, plugins: [], rate: 'max', symbols: SYMBOLS, seed: 1, maxIncomingPerSec: 0, log: stderrLog('error') });
  const streams = SYMBOLS.map((s) => `${s.toLowerCase()}@depth`).join('/');
  const r = await reader(`${sim.wsUrl}/stream?streams=${streams}`);
  const rate = await measure(r, LIVE_MS);
  const events = Object.values(sim.generator.counts()).reduce((a, b) => a + b, 0);
  await r.stop();
  await sim.stop();
  console.log(`live: ${Math.round(rate)} depth msgs/s (${events} flow events generated)`);
  return rate;
}

async function replaySim(frames: Buffer[]): Promise<number> {
  const sim = await SimExchange.start({ port: 0, plugins: [], rate: 0, symbols: SYMBOLS, seed: 1, maxIncomingPerSec: 0, log: stderrLog('error') });
  const r = await reader(`${sim.wsUrl}/ws`);
  // Enough repeats to outlast the measurement; the reader closing ends the replay.
  const done = sim.replay(frames, { repeat: 1000 });
  const rate = await measure(r, REPLAY_MS);
  await r.stop();
  await done;
  await sim.stop();
  console.log(`replay (uWS sim): ${Math.round(rate)} msgs/s`);
  return rate;
}

async function replayWs(frames: Buffer[]): Promise<number> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((res) => wss.once('listening', () => res()));
  const port = (wss.address() as { port: number }).port;
  let stop = false;
  wss.on('connection', (ws: WsSocket) => {
    let i = 0;
    const pump = (): void => {
      if (stop || ws.readyState !== ws.OPEN) return;
      // Same batching policy as the sim: write until 4 MiB are buffered (or a turn's
      // worth of frames is out, when the reader keeps up), then yield.
      for (let k = 0; k < 65_536 && ws.bufferedAmount < 4 << 20; k++) ws.send(frames[i++ % frames.length] as Buffer);
      setImmediate(pump);
    };
    pump();
  });
  const r = await reader(`ws://127.0.0.1:${port}/`);
  const rate = await measure(r, REPLAY_MS);
  stop = true;
  await r.stop();
  await new Promise<void>((res) => wss.close(() => res()));
  console.log(`replay (ws server): ${Math.round(rate)} msgs/s`);
  return rate;
}

const frames = pregenerateDepthFrames({ seed: 1, symbols: SYMBOLS.map((s) => SIM_CATALOG[s]!), count: ci ? 50_000 : 200_000, combined: true });
const avgBytes = Math.round(frames.reduce((a, f) => a + f.length, 0) / frames.length);
console.log(`pre-generated ${frames.length} combined depth frames, ${avgBytes} bytes on average`);

const liveRate = await live();
const simReplay = await replaySim(frames);
const wsReplay = await replayWs(frames);

const figures: BenchFigure[] = [
  { metric: 'live_depth_msgs_per_s', unit: 'msgs/s', value: Math.round(liveRate), baseline: { name: 'issue target', value: 200_000 } },
  { metric: 'replay_msgs_per_s', unit: 'msgs/s', value: Math.round(simReplay), baseline: { name: 'ws WebSocketServer, same frames', value: Math.round(wsReplay) } },
  { metric: 'replay_vs_target', unit: 'msgs/s', value: Math.round(simReplay), baseline: { name: 'issue target', value: 1_000_000 } },
  { metric: 'frame_bytes_avg', unit: 'bytes', value: avgBytes, baseline: null },
];
const entries = writeResults('sim-throughput', figures);
console.log(markdownTable(entries));
process.exit(0);
