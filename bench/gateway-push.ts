/**
 * Gateway push fan-out on loopback: N WebSocket clients (a child process, raw sockets that
 * count frames) subscribed to one book, while a book thread updates the shared book at a
 * fixed rate and the publisher samples it R times a second (top 10 levels, serialised once,
 * published, fanned out). Measured in one run, first with 1 subscribed client, then with N:
 *
 *   publish-call latency p50/p99   (gw.publish: must not depend on N)
 *   fan-out busy time per cycle    (the io thread's cost of delivering one update to N)
 *   fan-out slice / loop delay     (how long the io thread's event loop is held at a time)
 *   messages/s delivered           (frames counted by the clients) vs offered N × R
 *   book-thread updates/s          (the engine's rate while the io thread fans out)
 *
 * The offered load is N × R messages/s; when fanning one update out to N sockets takes longer
 * than 1/R, updates conflate (books: only the latest matters) and delivery falls below it.
 *
 * Run: node --expose-gc dist/bench/gateway-push.js [--ci] [--clients N] [--rate R]
 * The full form uses 10,000 clients: it needs `ulimit -n` ≥ N + a few hundred in both
 * processes (the clients live in a child so each side has its own descriptor table).
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { BookLevels, SharedBookReader } from '../src/book/index.js';
import { createLogger } from '../src/core/log/index.js';
import { LatencyHistogram } from '../src/core/metrics/histogram.js';
import { MetricsRegistry, PrometheusExporter, engineMetricDefinitions } from '../src/core/metrics/index.js';
import { startGateway } from '../src/gateway/index.js';
import { bookFields } from '../src/gateway/books/book-json.js';
import { isCiRun, markdownTable, writeResults, type BenchFigure } from './lib/results.js';

const ci = isCiRun();
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const TOKEN = 'bench-token';
const KEY = 'sim:BTCUSDT:10';
const DEPTH = 10;
const RATE = Number(arg('--rate') ?? (ci ? 50 : 20));
const PHASE_MS = ci ? 3000 : 6000;
const WARMUP_MS = ci ? 500 : 1500;
const WRITER_RATE = 1000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function fdLimit(): number {
  const r = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' });
  const n = Number(r.stdout.trim());
  return Number.isFinite(n) ? n : 1024;
}

const wanted = Number(arg('--clients') ?? (ci ? 500 : 10_000));
const limit = fdLimit();
const CLIENTS = Math.min(wanted, Math.max(1, limit - 300));
if (CLIENTS < wanted) console.log(`fd limit ${limit}: using ${CLIENTS} clients instead of ${wanted} (raise it with \`ulimit -n ${wanted + 1000}\`)`);

class ClientProcess {
  private waiters = new Map<string, (m: Record<string, unknown>) => void>();
  constructor(readonly child: ChildProcess) {
    child.on('message', (m: Record<string, unknown>) => {
      const w = this.waiters.get(m['type'] as string);
      this.waiters.delete(m['type'] as string);
      w?.(m);
    });
  }
  request(msg: Record<string, unknown>, reply: string, ms = 120_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`push client process: no ${reply} within ${ms} ms`)), ms);
      this.waiters.set(reply, (m) => {
        clearTimeout(t);
        resolve(m);
      });
      if (msg['cmd'] !== undefined) this.child.send(msg);
    });
  }
}

interface PhaseResult {
  clients: number;
  publish: LatencyHistogram;
  fanout: LatencyHistogram;
  publishes: number;
  deliveredPerS: number;
  sentPerS: number;
  writerPerS: number;
  dropped: number;
  flushes: number;
  conflated: number;
  /** Each fan-out slice: how long the io thread's event loop was held at a time. */
  slice: LatencyHistogram;
  /** Event-loop delay p99 of the io thread (perf_hooks, 1 ms resolution). */
  loopDelayP99Ns: number;
}

async function main(): Promise<void> {
  const registry = MetricsRegistry.create(engineMetricDefinitions({ venues: ['sim'], strategies: [] }));
  const exporter = new PrometheusExporter(registry, { sampleIntervalMs: 0, defaultMetrics: false });
  const counter = new SharedArrayBuffer(4);
  const applied = new Int32Array(counter);
  const writer = new Worker(new URL('./workers/paced-book-writer.js', import.meta.url), { workerData: { ratePerS: WRITER_RATE, counter } });
  const { buffer } = await new Promise<{ buffer: SharedArrayBuffer }>((resolve, reject) => {
    writer.once('message', resolve);
    writer.once('error', reject);
  });
  const reader = new SharedBookReader(buffer);
  const handle = { venue: 'sim', symbol: 'BTCUSDT', reader, priceScale: 2, qtyScale: 3 };
  const levels = new BookLevels(DEPTH);
  // No book directory: this benchmark plays the book publisher itself, to time each call.
  const gw = await startGateway({
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    metrics: { registry, exporter },
    ready: () => ({ ready: true, reasons: [] }),
    push: { sendLimitBytes: 256 * 1024 },
    log: createLogger({ name: 'bench', level: 'warn' }),
  });
  const child = new ClientProcess(fork(new URL('./workers/push-clients.js', import.meta.url), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  await child.request({}, 'up');

  // The fan-out runs as in production: in the setImmediate the first publish schedules.
  // When it takes longer than the publish period, later publishes conflate into one flush.
  const publishOnce = (publish: LatencyHistogram | null): void => {
    if (!reader.readTop(DEPTH, levels)) return;
    // Serialised (and UTF-8 encoded) once per update, before the timed call.
    const frame = Buffer.from(`{"channel":"book","sub":"book:${KEY}",${bookFields(handle, levels)}}`, 'utf8');
    const t0 = performance.now();
    gw.publish('book', KEY, frame);
    publish?.record(Math.round((performance.now() - t0) * 1e6));
  };

  async function publishFor(ms: number, publish: LatencyHistogram | null): Promise<number> {
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < ms) {
      const due = Math.floor(((performance.now() - start) * RATE) / 1000) + 1;
      while (n < due) {
        publishOnce(publish);
        n++;
      }
      await sleep(Math.max(1, Math.floor(1000 / RATE / 2)));
    }
    return n;
  }

  async function phase(clients: number): Promise<PhaseResult> {
    const have = gw.hub.totals.clients;
    if (clients > have) {
      const t0 = performance.now();
      const r = await child.request({ cmd: 'connect', port: gw.port, token: TOKEN, count: clients - have, batch: 250 }, 'connected', 300_000);
      if ((r['failed'] as number) > 0) throw new Error(`${r['failed']} push clients failed to connect: ${r['firstError']}`);
      console.log(`connected ${r['connected']} clients in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const deadline = Date.now() + 60_000;
    while (gw.hub.totals.subscriptions < clients) {
      if (Date.now() > deadline) throw new Error(`only ${gw.hub.totals.subscriptions} of ${clients} subscribed`);
      await sleep(20);
    }
    await publishFor(WARMUP_MS, null);
    await sleep(200);
    globalThis.gc?.();
    const before = (await child.request({ cmd: 'stats' }, 'stats')) as { frames: number };
    const sent0 = gw.hub.totals.sent;
    const dropped0 = gw.hub.totals.dropped;
    const w0 = Atomics.load(applied, 0);
    const publish = new LatencyHistogram();
    gw.hub.flushLatency.reset();
    gw.hub.sliceLatency.reset();
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const flushes0 = gw.hub.totals.flushes;
    const conflated0 = gw.hub.totals.conflated;
    const t0 = performance.now();
    const publishes = await publishFor(PHASE_MS, publish);
    loopDelay.disable();
    const fanout = new LatencyHistogram();
    fanout.add(gw.hub.flushLatency);
    const slice = new LatencyHistogram();
    slice.add(gw.hub.sliceLatency);
    const flushes = gw.hub.totals.flushes - flushes0;
    const conflated = gw.hub.totals.conflated - conflated0;
    const secs = (performance.now() - t0) / 1000;
    const w1 = Atomics.load(applied, 0);
    const sent = gw.hub.totals.sent - sent0;
    await sleep(300); // let frames in flight arrive
    const after = (await child.request({ cmd: 'stats' }, 'stats')) as { frames: number };
    return {
      clients,
      publish,
      fanout,
      publishes,
      deliveredPerS: (after.frames - before.frames) / secs,
      sentPerS: sent / secs,
      writerPerS: (w1 - w0) / secs,
      dropped: gw.hub.totals.dropped - dropped0,
      flushes,
      conflated,
      slice,
      loopDelayP99Ns: loopDelay.percentile(99),
    };
  }

  const one = await phase(1);
  const many = await phase(CLIENTS);
  child.child.send({ cmd: 'close' });
  await gw.stop();
  exporter.close();
  writer.postMessage('stop');
  await writer.terminate().catch(() => {});

  const us = (ns: number) => ns / 1000;
  const p1 = one.publish.summary();
  const pn = many.publish.summary();
  const fn = many.fanout.summary();
  const f1 = one.fanout.summary();
  const offered = CLIENTS * (many.publishes / (PHASE_MS / 1000));
  const figures: BenchFigure[] = [
    { metric: 'publish p50 [1 client]', unit: 'µs', value: us(p1.p50), baseline: null },
    { metric: 'publish p99 [1 client]', unit: 'µs', value: us(p1.p99), baseline: null },
    { metric: `publish p50 [${CLIENTS} clients]`, unit: 'µs', value: us(pn.p50), baseline: { name: 'publish p50 [1 client]', value: us(p1.p50) } },
    { metric: `publish p99 [${CLIENTS} clients]`, unit: 'µs', value: us(pn.p99), baseline: { name: 'publish p99 [1 client]', value: us(p1.p99) } },
    {
      metric: 'publish p99 kept, 1 client vs N clients',
      unit: 'ratio',
      value: pn.p99 > 0 ? p1.p99 / pn.p99 : 1,
      baseline: null,
      ratio: pn.p99 > 0 ? p1.p99 / pn.p99 : 1,
    },
    { metric: 'fan-out busy time per cycle p50 [1 client]', unit: 'µs', value: us(f1.p50), baseline: null },
    { metric: `fan-out busy time per cycle p50 [${CLIENTS} clients]`, unit: 'µs', value: us(fn.p50), baseline: null },
    { metric: `fan-out busy time per cycle p99 [${CLIENTS} clients]`, unit: 'µs', value: us(fn.p99), baseline: null },
    { metric: 'fan-out cost per client send', unit: 'µs', value: us(fn.p50) / CLIENTS, baseline: null },
    { metric: `fan-out slice p50 [${CLIENTS} clients]`, unit: 'µs', value: us(many.slice.percentile(50)), baseline: null },
    { metric: `fan-out slice p99 [${CLIENTS} clients]`, unit: 'µs', value: us(many.slice.percentile(99)), baseline: null },
    {
      metric: `io event-loop delay p99 [${CLIENTS} clients]`,
      unit: 'ms',
      value: many.loopDelayP99Ns / 1e6,
      baseline: { name: 'with 1 client', value: one.loopDelayP99Ns / 1e6 },
    },
    {
      metric: 'delivered msgs/s vs offered',
      unit: 'msgs/s',
      value: many.deliveredPerS,
      baseline: { name: `offered: ${CLIENTS} clients × ${RATE}/s`, value: offered },
    },
    { metric: 'messages dropped (slow clients)', unit: 'msgs', value: many.dropped, baseline: null },
    { metric: 'updates conflated (fan-out slower than publishing)', unit: 'updates', value: many.conflated, baseline: null },
    {
      metric: 'book thread updates/s during fan-out',
      unit: 'updates/s',
      value: many.writerPerS,
      baseline: { name: 'with 1 client', value: one.writerPerS },
    },
  ];
  const entries = writeResults('gateway-push', figures);
  console.log(markdownTable(entries));
  console.log(
    `clients ${CLIENTS}, rate ${RATE}/s, phase ${PHASE_MS} ms; ${many.publishes} publishes, ${many.flushes} flushes; hub sent ${many.sentPerS.toFixed(0)}/s, clients read ${many.deliveredPerS.toFixed(0)}/s; ` +
      `publish p50/p99 ${us(p1.p50).toFixed(1)}/${us(p1.p99).toFixed(1)} µs (1) vs ${us(pn.p50).toFixed(1)}/${us(pn.p99).toFixed(1)} µs (${CLIENTS})`,
  );
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
