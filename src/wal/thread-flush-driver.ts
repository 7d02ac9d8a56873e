/**
 * Group commit on a dedicated flusher worker (./flusher-worker.ts), so the oms thread
 * never blocks on the disk: append() copies into the shared ring and, at most once per
 * flusher park, pays an Atomics.notify. Durable advances come back as one message per
 * batch, and only while someone waits for them (WANT_DURABLE), so an idle oms gets no
 * messages at all. The worker is unref'd unless there are waiters, so an open writer
 * alone does not keep the process alive; close() drains and syncs.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { AppendRing, Ctl, FlusherState } from './append-ring.js';
import type { FlushDriver, FlushDriverEvents } from './flush-driver.js';
import type { FlusherFailure, FlusherMessage, FlusherWorkerData } from './flusher-protocol.js';
import { WalError, WalErrorCode, type WalErrorCode as Code } from './errors.js';

const WAIT_SLICE_MS = 100;

export class ThreadFlushDriver implements FlushDriver {
  private failure: WalError | null = null;
  private closedPromise: Promise<void> | null = null;
  private wanted = false;

  private constructor(
    private readonly worker: Worker,
    private readonly errorPort: MessagePort,
    private readonly ring: AppendRing,
    private readonly maxBatchBytes: number,
    private readonly stallTimeoutMs: number,
    private readonly events: FlushDriverEvents,
    private readonly onBackpressure: () => void,
  ) {
    worker.on('message', (m: FlusherMessage) => this.onMessage(m));
    worker.on('error', (err) => this.fail(new WalError(WalErrorCode.IO, `wal: flusher thread crashed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => {
      if (this.closedPromise === null && this.failure === null) {
        this.fail(new WalError(WalErrorCode.IO, `wal: flusher thread exited unexpectedly (code ${code})`));
      }
    });
  }

  /** Starts the worker and waits until it has opened the segment (or failed to). */
  static async start(
    data: Omit<FlusherWorkerData, 'errorPort'>,
    ring: AppendRing,
    stallTimeoutMs: number,
    events: FlushDriverEvents,
    onBackpressure: () => void,
  ): Promise<ThreadFlushDriver> {
    const { port1, port2 } = new MessageChannel();
    port1.unref();
    const workerData: FlusherWorkerData = { ...data, errorPort: port2 };
    const worker = new Worker(new URL('./flusher-worker.js', import.meta.url), { workerData, transferList: [port2], name: 'wal-flusher' });
    const first = await new Promise<FlusherMessage | Error>((resolve) => {
      worker.once('message', resolve);
      worker.once('error', resolve);
    });
    if (first instanceof Error || first.kind !== 'ready') {
      await worker.terminate();
      port1.close();
      if (first instanceof Error) throw new WalError(WalErrorCode.IO, `wal: flusher thread failed to start: ${first.message}`, { cause: first });
      const m = first as Extract<FlusherMessage, { kind: 'error' }>;
      throw new WalError(m.code as Code, m.message, { file: m.file });
    }
    worker.unref();
    return new ThreadFlushDriver(worker, port1, ring, data.maxBatchBytes, stallTimeoutMs, events, onBackpressure);
  }

  afterCommit(): void {
    const st = Atomics.load(this.ring.ctl, Ctl.STATE);
    if (st === FlusherState.PARKED_IDLE || (st === FlusherState.PARKED_DELAY && this.ring.pending() >= this.maxBatchBytes)) {
      this.ring.nudge(false);
    }
  }

  waitForSpace(need: number, free: () => number): void {
    this.onBackpressure();
    const ctl = this.ring.ctl;
    const deadline = Date.now() + this.stallTimeoutMs;
    Atomics.store(ctl, Ctl.WRITER_WAITING, 1);
    try {
      for (;;) {
        this.checkHealthy();
        const read = Atomics.load(ctl, Ctl.READ_POS);
        if (free() >= need) return;
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new WalError(WalErrorCode.STALLED, `wal: flusher freed no ring space for ${this.stallTimeoutMs} ms (disk stalled?)`);
        }
        this.ring.nudge(false);
        Atomics.wait(ctl, Ctl.READ_POS, read, Math.min(left, WAIT_SLICE_MS));
      }
    } finally {
      Atomics.store(ctl, Ctl.WRITER_WAITING, 0);
    }
  }

  wantDurable(on: boolean): void {
    if (on === this.wanted) return;
    this.wanted = on;
    Atomics.store(this.ring.ctl, Ctl.WANT_DURABLE, on ? 1 : 0);
    if (on) this.worker.ref();
    else this.worker.unref();
  }

  flushSoon(): void {
    Atomics.store(this.ring.ctl, Ctl.FLUSH_NOW, 1);
    this.ring.nudge(false);
  }

  checkHealthy(): void {
    if (this.failure !== null) throw this.failure;
    if (Atomics.load(this.ring.ctl, Ctl.ERROR) !== 0) {
      const got = receiveMessageOnPort(this.errorPort);
      const f = got?.message as FlusherFailure | undefined;
      this.fail(
        f !== undefined
          ? new WalError(f.code as Code, f.message, { file: f.file })
          : new WalError(WalErrorCode.IO, 'wal: the flusher thread failed without details'),
      );
      throw this.failure;
    }
  }

  close(): Promise<void> {
    if (this.closedPromise !== null) return this.closedPromise;
    this.closedPromise = new Promise<void>((resolve, reject) => {
      if (this.failure !== null) {
        void this.worker.terminate().then(() => resolve());
        return;
      }
      this.worker.ref();
      this.worker.once('exit', () => {
        this.errorPort.close();
        if (this.failure !== null) reject(this.failure);
        else resolve();
      });
      Atomics.store(this.ring.ctl, Ctl.STOP, 1);
      this.ring.nudge(true);
    });
    return this.closedPromise;
  }

  private onMessage(m: FlusherMessage): void {
    switch (m.kind) {
      case 'durable':
      case 'closed':
        this.events.durable(m.kind === 'durable' ? m.seq : m.durableSeq);
        break;
      case 'error':
        this.fail(new WalError(m.code as Code, m.message, { file: m.file }));
        break;
      case 'ready':
        break;
    }
  }

  private fail(err: WalError): void {
    if (this.failure !== null) return;
    this.failure = err;
    this.events.failed(err);
  }
}
