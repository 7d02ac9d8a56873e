/**
 * A real control server on a private temp directory, serving the core commands over a
 * real shared book, and a raw line client for protocol tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SharedBookReader } from '../../src/book/shared-book-reader.js';
import { SharedBookWriter } from '../../src/book/shared-book-writer.js';
import { Side } from '../../src/book/side.js';
import { InstrumentRegistry } from '../../src/core/instruments/registry.js';
import { createLogger, type VelozLogger } from '../../src/core/log/index.js';
import { MapBookDirectory } from '../../src/control/book-directory.js';
import { registerCoreCommands } from '../../src/control/commands/index.js';
import { CommandRegistry } from '../../src/control/registry.js';
import { ControlServer, type ControlServerOptions } from '../../src/control/server.js';

export function tempDir(prefix = 'vz-ctl-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const INSTRUMENTS = InstrumentRegistry.from([
  { venue: 'sim', symbol: 'BTCUSDT', venueSymbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', tickSize: '0.01', stepSize: '0.00001' },
  { venue: 'sim', symbol: 'ETHUSDT', venueSymbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', tickSize: '0.01', stepSize: '0.0001' },
]);

/** A BTCUSDT book: bids 65000.01 × 1.5, 65000.00 × 0.25; asks 65000.02 × 0.2, 65000.10 × 3. */
export function btcBook(): SharedBookWriter {
  const w = new SharedBookWriter({ maxLevels: 64 });
  w.beginBatch();
  w.applyLevel(Side.BID, 6500001, 150000);
  w.applyLevel(Side.BID, 6500000, 25000);
  w.applyLevel(Side.ASK, 6500002, 20000);
  w.applyLevel(Side.ASK, 6500010, 300000);
  w.endBatch(42, 1_700_000_000_000, true);
  return w;
}

export interface TestEngine {
  dir: string;
  path: string;
  server: ControlServer;
  registry: CommandRegistry;
  logger: VelozLogger;
  logLines: string[];
  close(): Promise<void>;
}

export async function startEngine(opts: Partial<ControlServerOptions> & { engine?: string; dir?: string } = {}): Promise<TestEngine> {
  const dir = opts.dir ?? tempDir();
  const path = opts.path ?? join(dir, 'veloz.sock');
  const registry = opts.registry ?? new CommandRegistry();
  const logLines: string[] = [];
  const logger = createLogger({ name: 'test', destination: { write: (l: string) => void logLines.push(l) } });
  const server = new ControlServer({ ...opts, path, registry });
  const books = new MapBookDirectory();
  books.add('sim', INSTRUMENTS.bySymbol('sim', 'BTCUSDT')!, new SharedBookReader(btcBook().buffer));
  registerCoreCommands(registry, {
    status: { engine: opts.engine ?? 'test-engine', version: '0.1.0', startedAtMs: Date.now(), control: () => server.stats() },
    log: { logger },
    books,
  });
  await server.start();
  return {
    dir,
    path: server.path,
    server,
    registry,
    logger,
    logLines,
    async close() {
      await server.close();
      if (opts.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A line-level client: write anything, collect reply lines. */
export class RawClient {
  readonly socket: Socket;
  readonly lines: string[] = [];
  closed = false;
  private buf = '';
  private waiters: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      let nl: number;
      while ((nl = this.buf.indexOf('\n')) >= 0) {
        this.lines.push(this.buf.slice(0, nl));
        this.buf = this.buf.slice(nl + 1);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static connect(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = createConnection({ path });
      s.once('connect', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  write(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (err) => (err ? reject(err) : resolve())));
  }

  /** Resolves once `n` reply lines arrived in total; rejects after `timeoutMs`. */
  async waitLines(n: number, timeoutMs = 5000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length < n) {
      if (this.closed) throw new Error(`connection closed after ${this.lines.length} of ${n} replies`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`only ${this.lines.length} of ${n} replies within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.lines;
  }

  /** Parsed reply lines so far. */
  replies(): { id: unknown; ok: boolean; result?: unknown; error?: { code: string; message: string } }[] {
    return this.lines.map((l) => JSON.parse(l) as { id: unknown; ok: boolean });
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
