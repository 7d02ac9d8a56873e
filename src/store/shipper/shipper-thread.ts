/**
 * Runs the WAL shipper on a worker thread of its own, so neither PostgreSQL latency nor
 * an outage ever touches the oms thread: the writer shares only its DurablePosition
 * (read-only here) and the shipper shares its ShipperStats (read-only there).
 */
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { SILENT_LOG, type StoreLog } from '../store-log.js';
import { ShipperStats } from './shipper-stats.js';
import type { WalShipperOptions } from './wal-shipper.js';

/** Plain settings (no pool, functions or logger: they cannot cross to a thread). */
export type ShipperThreadSettings = Omit<WalShipperOptions, 'walDir' | 'pool' | 'durable' | 'stats' | 'log' | 'beforeCommit'>;

export interface ShipperThreadData {
  walDir: string;
  durableSab: SharedArrayBuffer | null;
  statsSab: SharedArrayBuffer;
  /** node-postgres connection settings, e.g. EmbeddedPostgres.connectionConfig(). */
  connection: pg.PoolConfig;
  options: ShipperThreadSettings;
}

export type ShipperThreadMessage =
  | { kind: 'ready' }
  | { kind: 'stopped' }
  | { kind: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; obj: object; msg: string };

export interface ShipperThread {
  readonly stats: ShipperStats;
  /** Finishes the batch in flight, closes the pool and ends the thread. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface ShipperThreadOptions extends ShipperThreadSettings {
  walDir: string;
  /** The writer's durablePosition.sab. */
  durableSab?: SharedArrayBuffer;
  connection: pg.PoolConfig;
  log?: StoreLog;
}

export async function startShipperThread(o: ShipperThreadOptions): Promise<ShipperThread> {
  const { walDir, durableSab, connection, log = SILENT_LOG, ...options } = o;
  const stats = new ShipperStats();
  const data: ShipperThreadData = { walDir, durableSab: durableSab ?? null, statsSab: stats.sab, connection, options };
  const worker = new Worker(new URL('./shipper-worker.js', import.meta.url), { workerData: data, name: 'wal-shipper' });
  let stopped: (() => void) | null = null;
  worker.on('message', (m: ShipperThreadMessage) => {
    if (m.kind === 'log') log[m.level](m.obj, m.msg);
    else if (m.kind === 'stopped') stopped?.();
  });
  worker.on('error', (err) => log.error({ err: err.message }, 'wal shipper thread crashed'));
  await new Promise<void>((resolve, reject) => {
    const onMsg = (m: ShipperThreadMessage): void => {
      if (m.kind === 'ready') {
        worker.off('message', onMsg);
        worker.off('error', reject);
        resolve();
      }
    };
    worker.on('message', onMsg);
    worker.once('error', reject);
  });
  return {
    stats,
    async stop(timeoutMs = 10_000): Promise<void> {
      const done = new Promise<void>((resolve) => {
        stopped = resolve;
        worker.once('exit', () => resolve());
      });
      worker.postMessage({ kind: 'stop' });
      const timer = setTimeout(() => void worker.terminate(), timeoutMs);
      await done;
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
