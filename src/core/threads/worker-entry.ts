/**
 * The common entry of every role thread: place the thread (affinity, SCHED_FIFO)
 * before the role's code is even loaded, report where it landed once, then hand over
 * to the role's `run(ctx)`. Errors are not caught here: they reach the runtime as the
 * worker's 'error' event with their `code`, and the runtime reports them by name.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { tryNative } from '../../native/load-addon.js';
import { isStopRequested, waitForStop } from './control-block.js';
import type { RoleRun, ThreadContext } from './thread-context.js';
import type { ReadyMessage, SchedOutcome, WorkerData } from './worker-protocol.js';

const data = workerData as WorkerData;
if (parentPort === null || data === null || typeof data !== 'object') {
  throw new Error('worker-entry.js runs only as a ThreadRuntime worker');
}

const { addon, error: addonError } = tryNative();
if (addon === null && (data.cpus !== null || data.schedFifo !== null)) {
  throw addonError;
}

if (addon !== null && data.cpus !== null) addon.setAffinity(data.cpus);
let schedFifo: SchedOutcome | null = null;
if (addon !== null && data.schedFifo !== null) schedFifo = addon.setSchedFifo(data.schedFifo);

const tid = addon !== null ? addon.currentTid() : null;
const cpus = addon !== null ? addon.getAffinity() : null;

const mod = (await import(data.moduleUrl)) as { run?: unknown; default?: unknown };
const run = typeof mod.run === 'function' ? mod.run : mod.default;
if (typeof run !== 'function') {
  throw new Error(`thread ${data.name}: role module ${data.moduleUrl} exports neither run(ctx) nor a default function`);
}

const control = new Int32Array(data.control);
const ctx: ThreadContext = {
  name: data.name,
  tid,
  cpus,
  waitStrategy: data.waitStrategy,
  rings: data.rings,
  config: data.config,
  incarnation: data.incarnation,
  control,
  stopRequested: () => isStopRequested(control),
  waitForStop: (timeoutMs: number) => waitForStop(control, timeoutMs),
};

const ready: ReadyMessage = { kind: 'veloz.thread.ready', tid, cpus, schedFifo };
parentPort.postMessage(ready);

await (run as RoleRun)(ctx);
// The role is done; leave even if it left handles open, so the runtime sees the end.
process.exit(0);
