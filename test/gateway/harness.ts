/** A real gateway on 127.0.0.1:0 over a real shared metrics region and real shared books. */
import { Writable } from 'node:stream';
import WebSocket from 'ws';
import { SharedBookReader, SharedBookWriter, Side } from '../../src/book/index.js';
import { createLogger, type VelozLogger } from '../../src/core/log/index.js';
import { MetricsRegistry, PrometheusExporter, engineMetricDefinitions } from '../../src/core/metrics/index.js';
import { MapBookDirectory, startGateway, type Gateway, type GatewayOptions } from '../../src/gateway/index.js';

export const TOKEN = 'test-token-7f3a9c';
export const TOPOLOGY = { venues: ['sim'], strategies: ['mm'] };

export interface Harness {
  gw: Gateway;
  base: string;
  registry: MetricsRegistry;
  exporter: PrometheusExporter;
  writer: SharedBookWriter;
  logLines: string[];
  log: VelozLogger;
  state: { ready: boolean; reasons: string[] };
  get(path: string, token?: string | null): Promise<Response>;
  close(): Promise<void>;
}

/** A book at price scale 2, qty scale 3, with one level per side. */
export function seededWriter(): SharedBookWriter {
  const w = new SharedBookWriter({ maxLevels: 200 });
  w.beginBatch();
  w.applyLevel(Side.BID, 6_500_000, 1_500);
  w.applyLevel(Side.ASK, 6_500_100, 2_000);
  w.endBatch(1, 1_700_000_000_000, true);
  return w;
}

export async function startHarness(overrides: Partial<GatewayOptions> = {}, writer = seededWriter()): Promise<Harness> {
  const registry = MetricsRegistry.create(engineMetricDefinitions(TOPOLOGY));
  const exporter = new PrometheusExporter(registry, { sampleIntervalMs: 0, defaultMetrics: false });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger({ name: 'test', level: 'info', destination: { write: (s: string) => sink.write(s) } });
  const books = new MapBookDirectory([{ venue: 'sim', symbol: 'BTCUSDT', reader: new SharedBookReader(writer.buffer), priceScale: 2, qtyScale: 3 }]);
  const state = { ready: false, reasons: ['feeds not live'] };
  const gw = await startGateway({
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    metrics: { registry, exporter },
    ready: () => ({ ...state }),
    books,
    log,
    ...overrides,
  });
  const base = `http://127.0.0.1:${gw.port}`;
  return {
    gw,
    base,
    registry,
    exporter,
    writer,
    logLines,
    log,
    state,
    get: (path, token = TOKEN) => fetch(base + path, token === null ? {} : { headers: { authorization: `Bearer ${token}` } }),
    async close() {
      await gw.stop();
      exporter.close();
    },
  };
}

/** A push client (the `ws` package) that records every frame it receives. */
export class TestPushClient {
  readonly frames: Array<Record<string, unknown>> = [];
  private waiters: Array<{ pred: (f: Record<string, unknown>) => boolean; resolve: (f: Record<string, unknown>) => void }> = [];
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Record<string, unknown>;
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(f)) return true;
        w.resolve(f);
        return false;
      });
    });
  }

  static async connect(port: number, token: string | null = TOKEN): Promise<TestPushClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new TestPushClient(ws);
  }

  send(msg: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(msg));
  }

  /** The first frame (already received or coming) matching `pred`, within `ms`. */
  next(pred: (f: Record<string, unknown>) => boolean, ms = 3000): Promise<Record<string, unknown>> {
    const seen = this.frames.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no matching push frame within ${ms} ms; got ${JSON.stringify(this.frames.slice(-3))}`)), ms);
      this.waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(t);
          resolve(f);
        },
      });
    });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
