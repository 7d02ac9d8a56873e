/**
 * The shipper's own thread (started by startShipperThread): opens a small pool, runs a
 * WalShipper until told to stop. Position, lag and counters go out through the shared
 * ShipperStats; log lines are posted to the owner.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import type { StoreLog } from '../store-log.js';
import { ShipperStats } from './shipper-stats.js';
import type { ShipperThreadData, ShipperThreadMessage } from './shipper-thread.js';
import { WalShipper } from './wal-shipper.js';

const data = workerData as ShipperThreadData;
if (parentPort === null || data === null || typeof data !== 'object') throw new Error('shipper-worker.js runs only as the WAL shipper thread');
const port = parentPort;
const post = (m: ShipperThreadMessage): void => port.postMessage(m);
const line =
  (level: 'debug' | 'info' | 'warn' | 'error') =>
  (obj: object, msg: string): void =>
    post({ kind: 'log', level, obj, msg });
const log: StoreLog = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };

const pool = new pg.Pool({ max: 1, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000, application_name: 'veloz-wal-shipper', ...data.connection });
pool.on('error', (err) => log.warn({ err: err.message }, 'wal shipper: PostgreSQL connection lost'));

const shipper = new WalShipper({ ...data.options, walDir: data.walDir, pool, stats: new ShipperStats(data.statsSab), log, ...(data.durableSab ? { durable: data.durableSab } : {}) });
shipper.start();
post({ kind: 'ready' });

port.on('message', (m: { kind: 'stop' }) => {
  if (m.kind !== 'stop') return;
  void shipper
    .stop()
    .then(() => pool.end())
    .then(() => post({ kind: 'stopped' }))
    .finally(() => port.close());
});
