/**
 * The oms thread (a ThreadRuntime role). Rings (by role name):
 *   exec-in      SPSC, 128-byte slots: ExecReports from the io thread
 *   orders-out   SPSC, 64-byte slots: order commands to the io thread
 *   status       a small SharedArrayBuffer of OmsStatusWord words
 *   <strategy intents / updates rings as named in config.strategies>
 * Start-up: open the WAL, replay it, recover (oms-engine.ts), then go live. The loop
 * runs synchronous batches and yields to the event loop between them (the WAL's flusher
 * messages and timers need it), idling with the exec-in ring's wait strategy.
 */
import { writeFileSync } from 'node:fs';
import type { ThreadContext } from '../core/threads/thread-context.js';
import { InstrumentRegistry } from '../core/instruments/registry.js';
import type { InstrumentDefinition } from '../core/instruments/instrument.js';
import { EventBuffer } from '../core/schema/event-buffer.js';
import { SpscRing } from '../core/ring/spsc-ring.js';
import type { SpscConsumer } from '../core/ring/spsc-consumer.js';
import { StaticMarks } from '../risk/mark-source.js';
import { PreTradeRisk } from '../risk/pre-trade-risk.js';
import type { RiskLimitsConfig } from '../risk/limits.js';
import { WalWriter, type FsyncPolicy } from '../wal/wal-writer.js';
import { replayWal } from '../wal/wal-reader.js';
import { AssetTable } from './asset-table.js';
import { MonotonicClock } from './monotonic-clock.js';
import { OmsEngine, OmsPhase, type OmsUpdateSink } from './oms-engine.js';
import { OrderManager } from './order-manager.js';

export const OmsStatusWord = {
  PHASE: 0,
  MISMATCHES: 1,
  DUMP_REQUEST: 2,
  DUMP_DONE: 3,
  COMMANDS_SENT: 4,
  REJECTED: 5,
  /** 1 once the worker failed (message in the thread's error). */
  FAILED: 6,
  KILL_REQUEST: 7,
} as const;
export const OMS_STATUS_BYTES = 64;

export interface OmsWorkerConfig {
  walDir: string;
  fsync: FsyncPolicy;
  groupCommitMaxDelayUs?: number;
  instruments: InstrumentDefinition[];
  limits: RiskLimitsConfig;
  /** Static marks (instrument symbol → mid as a price mantissa string) until the shared book is wired in. */
  marks: Record<string, string>;
  strategies: Array<{ id: number; intents: string; updates: string }>;
  notFoundGraceNs: number;
  /** Where a dump requested through the status word is written (JSON). */
  dumpPath?: string;
}

export async function run(ctx: ThreadContext): Promise<void> {
  const cfg = ctx.config as OmsWorkerConfig;
  const status = new Int32Array(ctx.rings['status']!);
  const registry = InstrumentRegistry.from(cfg.instruments);
  const assets = new AssetTable(registry);
  const marks = new StaticMarks();
  for (const [sym, mid] of Object.entries(cfg.marks)) {
    const inst = registry.all().find((i) => i.symbol === sym || i.venueSymbol === sym);
    if (inst) marks.set(inst.id, BigInt(mid));
  }
  const clock = new MonotonicClock();
  const risk = new PreTradeRisk({ registry, limits: cfg.limits, marks, clock });
  const manager = new OrderManager({ registry, risk, stateMachine: { notFoundGraceNs: cfg.notFoundGraceNs } });
  const wal = await WalWriter.open({ dir: cfg.walDir, fsync: cfg.fsync, groupCommitMaxDelayUs: cfg.groupCommitMaxDelayUs });
  const execIn = SpscRing.attach(ctx.rings['exec-in']!).consumer('backoff');
  const execBuf = new EventBuffer(ctx.rings['exec-in']!);
  const ordersOut = SpscRing.attach(ctx.rings['orders-out']!).producer('backoff');
  const updates = new Map<number, OmsUpdateSink>();
  const intents: Array<{ consumer: SpscConsumer; buf: EventBuffer }> = [];
  for (const s of cfg.strategies) {
    updates.set(s.id, { producer: SpscRing.attach(ctx.rings[s.updates]!).producer('backoff'), buf: new EventBuffer(ctx.rings[s.updates]!) });
    intents.push({ consumer: SpscRing.attach(ctx.rings[s.intents]!).consumer('backoff'), buf: new EventBuffer(ctx.rings[s.intents]!) });
  }
  const engine = new OmsEngine({ manager, registry, wal, ordersOut, updates, assetName: assets.name, nowNs: () => clock.nowNs() });
  try {
    replayWal({ dir: cfg.walDir, toSeq: wal.lastSeq }, (r) => engine.replayRecord(r));
    engine.startRecovery();
    const onExec = (_v: DataView, at: number): void => engine.onExecRecord(execBuf, at);
    const handlers = intents.map((s) => (_v: DataView, at: number): void => {
      engine.onIntent(s.buf, at);
    });
    let killSeen = 0;
    while (!ctx.stopRequested()) {
      const sliceEnd = performance.now() + 5;
      do {
        let work = execIn.poll(onExec, 256);
        if (work < 0) work = 0;
        if (engine.canTakeIntent()) {
          for (let i = 0; i < intents.length; i++) {
            const n = intents[i]!.consumer.poll(handlers[i]!, 64);
            if (n > 0) work += n;
          }
        }
        work += engine.pump();
        Atomics.store(status, OmsStatusWord.PHASE, engine.phase);
        status[OmsStatusWord.MISMATCHES] = engine.counters.mismatches;
        status[OmsStatusWord.COMMANDS_SENT] = engine.counters.commandsSent;
        status[OmsStatusWord.REJECTED] = engine.counters.rejected;
        const kill = Atomics.load(status, OmsStatusWord.KILL_REQUEST);
        if (kill !== killSeen && engine.phase === OmsPhase.LIVE) {
          killSeen = kill;
          engine.tripKillSwitch();
        }
        const req = Atomics.load(status, OmsStatusWord.DUMP_REQUEST);
        if (req !== Atomics.load(status, OmsStatusWord.DUMP_DONE) && cfg.dumpPath) {
          writeFileSync(cfg.dumpPath, JSON.stringify(engine.snapshot()));
          Atomics.store(status, OmsStatusWord.DUMP_DONE, req);
          Atomics.notify(status, OmsStatusWord.DUMP_DONE);
        }
        if (work === 0) {
          if (engine.pending > 0) break; // waiting on the WAL: let the event loop run
          execIn.idle(0);
        }
      } while (performance.now() < sliceEnd && !ctx.stopRequested());
      await new Promise<void>((r) => setImmediate(r));
    }
  } catch (err) {
    Atomics.store(status, OmsStatusWord.FAILED, 1);
    throw err;
  } finally {
    await wal.close();
  }
}
