/**
 * Assembles the order path on the calling (io) thread: rings, the oms worker under a
 * ThreadRuntime, the Binance execution adapter and the OrderIo gateway between them.
 * `ready()` resolves once the oms has replayed its WAL, resolved every order it found in
 * doubt and reconciled open orders — the "recovered" gate before any intent is read.
 */
import { fileURLToPath } from 'node:url';
import { InstrumentRegistry } from '../../core/instruments/registry.js';
import type { InstrumentDefinition } from '../../core/instruments/instrument.js';
import { EventBuffer } from '../../core/schema/event-buffer.js';
import { SpscRing } from '../../core/ring/spsc-ring.js';
import type { SpscConsumer } from '../../core/ring/spsc-consumer.js';
import type { SpscProducer } from '../../core/ring/spsc-producer.js';
import { ThreadRuntime } from '../../core/threads/thread-runtime.js';
import type { RuntimeLogger } from '../../core/threads/logger.js';
import { BinanceExecAdapter, type BinanceExecOptions } from '../../venues/binance/exec/index.js';
import { AssetTable } from '../asset-table.js';
import { OmsPhase } from '../oms-engine.js';
import { OMS_STATUS_BYTES, OmsStatusWord, type OmsWorkerConfig } from '../oms-worker.js';
import { OrderIo, type OrderIoOptions } from './order-io.js';

export interface StrategyPorts {
  id: number;
  intents: SpscProducer;
  intentsBuf: EventBuffer;
  updates: SpscConsumer;
  updatesBuf: EventBuffer;
}

export interface OrderPathOptions {
  adapter: BinanceExecOptions;
  worker: Omit<OmsWorkerConfig, 'strategies'>;
  strategyIds: number[];
  ringCapacity?: number;
  logger?: RuntimeLogger;
  onSent?: OrderIoOptions['onSent'];
}

const silent: RuntimeLogger = { info() {}, warn() {}, error: (obj, msg) => { if (process.env.VELOZ_OMS_DEBUG) console.error(msg, obj); } };

export class OrderPath {
  readonly status: Int32Array;
  private constructor(
    readonly runtime: ThreadRuntime,
    readonly adapter: BinanceExecAdapter,
    readonly io: OrderIo,
    readonly strategies: Map<number, StrategyPorts>,
    statusSab: SharedArrayBuffer,
  ) {
    this.status = new Int32Array(statusSab);
  }

  static async start(o: OrderPathOptions): Promise<OrderPath> {
    const cap = o.ringCapacity ?? 1024;
    const execIn = SpscRing.create({ capacity: cap, slotBytes: 128 });
    const ordersOut = SpscRing.create({ capacity: cap, slotBytes: 64 });
    const statusSab = new SharedArrayBuffer(OMS_STATUS_BYTES);
    const rings: Record<string, SharedArrayBuffer> = { 'exec-in': execIn.buffer, 'orders-out': ordersOut.buffer, status: statusSab };
    const strategies = new Map<number, StrategyPorts>();
    const decl: OmsWorkerConfig['strategies'] = [];
    for (const id of o.strategyIds) {
      const intents = SpscRing.create({ capacity: cap, slotBytes: 64 });
      const updates = SpscRing.create({ capacity: cap, slotBytes: 64 });
      rings[`intents-${id}`] = intents.buffer;
      rings[`updates-${id}`] = updates.buffer;
      decl.push({ id, intents: `intents-${id}`, updates: `updates-${id}` });
      strategies.set(id, { id, intents: intents.producer('backoff'), intentsBuf: new EventBuffer(intents.buffer), updates: updates.consumer('backoff'), updatesBuf: new EventBuffer(updates.buffer) });
    }
    const registry = InstrumentRegistry.from(o.worker.instruments as InstrumentDefinition[]);
    const assets = new AssetTable(registry);
    const adapter = await BinanceExecAdapter.start(o.adapter);
    const io = new OrderIo({ venue: adapter, registry, ordersOut: ordersOut.consumer('backoff'), execIn: execIn.producer('backoff'), assetId: assets.id, onSent: o.onSent });
    io.start(1);
    const config: OmsWorkerConfig = { ...o.worker, strategies: decl };
    const runtime = new ThreadRuntime({
      logger: o.logger ?? silent,
      rings,
      threads: [{ name: 'oms', module: fileURLToPath(new URL('../oms-worker.js', import.meta.url)), waitStrategy: 'backoff', rings: Object.keys(rings), config }],
    });
    runtime.on('fatal', () => Atomics.store(new Int32Array(statusSab), OmsStatusWord.FAILED, 1));
    await runtime.start();
    return new OrderPath(runtime, adapter, io, strategies, statusSab);
  }

  get phase(): number {
    return Atomics.load(this.status, OmsStatusWord.PHASE);
  }

  /** Resolves once recovery is done (phase LIVE); rejects after `timeoutMs` or if the oms failed. */
  async ready(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.phase !== OmsPhase.LIVE) {
      if (Atomics.load(this.status, OmsStatusWord.FAILED) !== 0) throw new Error('oms worker failed during recovery');
      if (Date.now() > deadline) throw new Error(`oms not recovered after ${timeoutMs} ms (phase ${this.phase})`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  /** Asks the oms to write its snapshot to config.dumpPath; resolves when written. */
  async dump(timeoutMs = 5000): Promise<void> {
    const n = Atomics.add(this.status, OmsStatusWord.DUMP_REQUEST, 1) + 1;
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(this.status, OmsStatusWord.DUMP_DONE) !== n) {
      if (Date.now() > deadline) throw new Error('oms dump timed out');
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  killSwitch(): void {
    Atomics.add(this.status, OmsStatusWord.KILL_REQUEST, 1);
  }

  async stop(): Promise<void> {
    await this.runtime.stop(5000);
    await this.io.stop();
    await this.adapter.stop();
  }
}
