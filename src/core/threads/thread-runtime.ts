import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { clearStop, createControlBlock, requestStop } from './control-block.js';
import { ThreadError, describeError } from './errors.js';
import { consoleLogger, type RuntimeLogger } from './logger.js';
import { lockProcessMemory } from './memory-lock.js';
import { nextRestartDelay } from './restart-backoff.js';
import {
  ringBindings,
  resolveModuleUrl,
  validateThreadSpecs,
  type ExitPolicy,
  type RingDecl,
  type ThreadSpec,
} from './thread-spec.js';
import { isReadyMessage, type SchedOutcome, type WorkerData } from './worker-protocol.js';

const ENTRY_URL = new URL('./worker-entry.js', import.meta.url);

export interface ThreadRuntimeOptions {
  threads: readonly ThreadSpec[];
  /** Ring name → bytes to allocate, or memory the owner already has. */
  rings?: Readonly<Record<string, RingDecl>>;
  logger?: RuntimeLogger;
  /**
   * mlockall the whole process once at start, if a probe process shows this V8
   * survives it; refused or unsafe is a warning, not a failure (memory-lock.ts).
   */
  mlockall?: boolean;
  /** How long a thread may take to place itself and load its role (default 10 s). */
  startTimeoutMs?: number;
  /** Default grace period of stop() before threads are terminated (default 2 s). */
  stopTimeoutMs?: number;
}

/** Where a thread landed, as its worker reported it. */
export interface ThreadInfo {
  name: string;
  tid: number | null;
  cpus: number[] | null;
  schedFifo: SchedOutcome | null;
  incarnation: number;
}

export interface ThreadExit {
  name: string;
  exitCode: number;
  /** What the worker threw, if it threw. */
  error: Error | undefined;
  /** True when the runtime had asked the thread to stop. */
  expected: boolean;
  incarnation: number;
}

export interface ThreadRestart {
  name: string;
  /** 1 for the first restart. */
  attempt: number;
  delayMs: number;
}

export interface ThreadFatal {
  name: string;
  error: ThreadError;
  exit: ThreadExit;
}

export interface ThreadStopResult {
  name: string;
  /** False when the thread ignored the stop flag and was terminated. */
  graceful: boolean;
  /** Null when the thread was not running. */
  exitCode: number | null;
}

export interface ThreadRuntimeEvents {
  'thread-started': [ThreadInfo];
  'thread-exit': [ThreadExit];
  'thread-restart': [ThreadRestart];
  fatal: [ThreadFatal];
}

type Phase = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

interface ManagedThread {
  spec: ThreadSpec;
  moduleUrl: string;
  policy: ExitPolicy;
  rings: Record<string, SharedArrayBuffer>;
  control: SharedArrayBuffer;
  words: Int32Array;
  worker: Worker | null;
  exited: Promise<number> | null;
  incarnation: number;
  info: ThreadInfo | null;
  lastError: Error | undefined;
  /** The current worker died before reporting ready. */
  setupFailed: boolean;
  stopRequested: boolean;
  restartHistory: number[];
  restartTimer: NodeJS.Timeout | null;
  state: 'idle' | 'starting' | 'running' | 'restarting' | 'exited' | 'failed';
}

const PAGE_BYTES = 4096;

/**
 * Touches every page of fresh ring memory so the kernel backs it now, at start, and
 * not with a page fault on the first event of the session.
 */
function prefaulted(mem: SharedArrayBuffer): SharedArrayBuffer {
  const bytes = new Uint8Array(mem);
  for (let i = 0; i < bytes.length; i += PAGE_BYTES) bytes[i] = 0;
  return mem;
}

/**
 * Starts the engine's role threads from specs, hands each its rings, pins and
 * prioritises them, and watches them: a thread that throws or exits without being
 * asked is reported ('thread-exit'), then restarted or declared fatal ('fatal') by its
 * exit policy. It never disappears silently. The owner decides what a fatal thread
 * means for the others (usually a graceful stop of everything).
 */
export class ThreadRuntime extends EventEmitter<ThreadRuntimeEvents> {
  private readonly logger: RuntimeLogger;
  private readonly opts: ThreadRuntimeOptions;
  private readonly ringMemory: Record<string, SharedArrayBuffer>;
  private readonly managed: ManagedThread[];
  private phaseNow: Phase = 'idle';
  private stopping: Promise<ThreadStopResult[]> | null = null;

  constructor(opts: ThreadRuntimeOptions) {
    super();
    this.opts = opts;
    this.logger = opts.logger ?? consoleLogger;
    const rings = opts.rings ?? {};
    validateThreadSpecs(opts.threads, rings);
    this.ringMemory = {};
    for (const [name, decl] of Object.entries(rings)) {
      this.ringMemory[name] = decl instanceof SharedArrayBuffer ? decl : prefaulted(new SharedArrayBuffer(decl));
    }
    this.managed = opts.threads.map((spec) => {
      const control = createControlBlock();
      const handed: Record<string, SharedArrayBuffer> = {};
      for (const [as, ring] of ringBindings(spec)) handed[as] = this.ringMemory[ring] as SharedArrayBuffer;
      return {
        spec,
        moduleUrl: resolveModuleUrl(spec.name, spec.module),
        policy: spec.onExit ?? { kind: 'fail' },
        rings: handed,
        control,
        words: new Int32Array(control),
        worker: null,
        exited: null,
        incarnation: -1,
        info: null,
        lastError: undefined,
        setupFailed: false,
        stopRequested: false,
        restartHistory: [],
        restartTimer: null,
        state: 'idle',
      };
    });
  }

  get phase(): Phase {
    return this.phaseNow;
  }

  /** A ring's memory, for the owning (io) thread's side of it. */
  ring(name: string): SharedArrayBuffer {
    const mem = this.ringMemory[name];
    if (mem === undefined) throw new ThreadError('VELOZ_THREAD_SPEC', `ring ${name} is not declared`);
    return mem;
  }

  /** Each thread's last reported placement and state. */
  threads(): Array<{ name: string; state: ManagedThread['state']; info: ThreadInfo | null }> {
    return this.managed.map((t) => ({ name: t.spec.name, state: t.state, info: t.info }));
  }

  /**
   * Locks memory if configured, starts every thread and resolves once each has placed
   * itself and loaded its role. If any cannot start, the others are stopped and the
   * returned promise rejects with VELOZ_THREAD_SETUP naming every failed thread.
   */
  async start(): Promise<ThreadInfo[]> {
    if (this.phaseNow !== 'idle') {
      throw new ThreadError('VELOZ_THREAD_SPEC', `start() called on a runtime that is ${this.phaseNow}`);
    }
    this.phaseNow = 'starting';
    if (this.opts.mlockall === true) await lockProcessMemory(this.logger);
    this.warnAboutSpinning();
    const results = await Promise.allSettled(this.managed.map((t) => this.spawn(t)));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as ThreadError] : []));
    if (failed.length > 0) {
      await this.stop();
      throw new ThreadError('VELOZ_THREAD_SETUP', failed.map((e) => e.message).join('; '), {
        thread: failed[0]?.thread ?? '',
        cause: failed[0],
      });
    }
    this.phaseNow = 'running';
    return results.map((r) => (r as PromiseFulfilledResult<ThreadInfo>).value);
  }

  /**
   * Raises every thread's stop flag, waits up to `timeoutMs` for each to return, then
   * terminates the ones that did not. Cancels pending restarts. Idempotent.
   */
  stop(timeoutMs: number = this.opts.stopTimeoutMs ?? 2000): Promise<ThreadStopResult[]> {
    if (this.stopping !== null) return this.stopping;
    this.phaseNow = 'stopping';
    this.stopping = Promise.all(this.managed.map((t) => this.stopThread(t, timeoutMs))).then((r) => {
      this.phaseNow = 'stopped';
      return r;
    });
    return this.stopping;
  }

  private async stopThread(t: ManagedThread, timeoutMs: number): Promise<ThreadStopResult> {
    if (t.restartTimer !== null) {
      clearTimeout(t.restartTimer);
      t.restartTimer = null;
    }
    const name = t.spec.name;
    const worker = t.worker;
    const exited = t.exited;
    if (worker === null || exited === null) return { name, graceful: true, exitCode: null };
    t.stopRequested = true;
    requestStop(t.words);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (code !== null) return { name, graceful: true, exitCode: code };
    this.logger.warn({ thread: name, timeoutMs }, `thread ${name} did not stop within ${timeoutMs} ms; terminating it`);
    await worker.terminate();
    return { name, graceful: false, exitCode: await exited };
  }

  private spawn(t: ManagedThread): Promise<ThreadInfo> {
    const name = t.spec.name;
    t.incarnation += 1;
    t.state = 'starting';
    t.lastError = undefined;
    t.setupFailed = false;
    t.stopRequested = false;
    clearStop(t.words);
    const data: WorkerData = {
      name,
      moduleUrl: t.moduleUrl,
      cpus: t.spec.cpus === undefined ? null : [...t.spec.cpus],
      schedFifo: t.spec.schedFifo ?? null,
      waitStrategy: t.spec.waitStrategy,
      rings: t.rings,
      control: t.control,
      config: t.spec.config,
      incarnation: t.incarnation,
    };
    const incarnation = t.incarnation;
    const worker = new Worker(ENTRY_URL, {
      workerData: data,
      name,
      ...(t.spec.resourceLimits ? { resourceLimits: t.spec.resourceLimits } : {}),
    });
    t.worker = worker;
    let markExited!: (code: number) => void;
    t.exited = new Promise<number>((resolve) => {
      markExited = resolve;
    });

    return new Promise<ThreadInfo>((resolve, reject) => {
      let settled = false;
      const startTimeoutMs = this.opts.startTimeoutMs ?? 10_000;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        t.setupFailed = true;
        reject(new ThreadError('VELOZ_THREAD_SETUP', `thread ${name} did not report ready within ${startTimeoutMs} ms`, { thread: name }));
        void worker.terminate();
      }, startTimeoutMs);

      worker.on('message', (m: unknown) => {
        if (settled || !isReadyMessage(m)) return;
        settled = true;
        clearTimeout(timer);
        const info: ThreadInfo = { name, tid: m.tid, cpus: m.cpus, schedFifo: m.schedFifo, incarnation };
        t.info = info;
        t.state = 'running';
        this.reportPlacement(t, info);
        this.emit('thread-started', info);
        resolve(info);
      });
      worker.on('error', (err: Error) => {
        t.lastError = err;
      });
      worker.on('exit', (code: number) => {
        t.worker = null;
        markExited(code);
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          t.setupFailed = true;
          const why = t.lastError !== undefined ? describeError(t.lastError) : `exited with code ${code} before it was ready`;
          reject(new ThreadError('VELOZ_THREAD_SETUP', `thread ${name} could not start: ${why}`, { thread: name, cause: t.lastError }));
        }
        this.onExit(t, code, incarnation);
      });
    });
  }

  private onExit(t: ManagedThread, exitCode: number, incarnation: number): void {
    const name = t.spec.name;
    const exit: ThreadExit = { name, exitCode, error: t.lastError, expected: t.stopRequested, incarnation };
    if (exit.expected) {
      t.state = 'exited';
      this.logger.info({ thread: name, exitCode }, `thread ${name} stopped`);
      this.emit('thread-exit', exit);
      return;
    }
    const why =
      exit.error !== undefined
        ? `threw: ${describeError(exit.error)}`
        : exitCode === 0
          ? 'returned before it was asked to stop'
          : `exited with code ${exitCode}`;
    this.logger.error({ thread: name, exitCode, incarnation, err: exit.error }, `thread ${name} ended unexpectedly: ${why}`);
    this.emit('thread-exit', exit);

    // A thread that never got going on the first start is reported by start() itself.
    if (t.setupFailed && this.phaseNow === 'starting') {
      t.state = 'failed';
      return;
    }
    if (this.phaseNow === 'stopping' || this.phaseNow === 'stopped') {
      t.state = 'exited';
      return;
    }
    if (t.policy.kind === 'restart') {
      const delayMs = nextRestartDelay(t.policy, t.restartHistory, Date.now());
      if (delayMs !== null) {
        const attempt = incarnation + 1;
        t.state = 'restarting';
        this.logger.warn({ thread: name, attempt, delayMs }, `restarting thread ${name} in ${delayMs} ms (restart ${attempt})`);
        this.emit('thread-restart', { name, attempt, delayMs });
        t.restartTimer = setTimeout(() => {
          t.restartTimer = null;
          // A failed restart is reported through its own exit, which applies the policy again.
          this.spawn(t).catch(() => undefined);
        }, delayMs);
        return;
      }
      this.fatal(t, exit, `${why}; gave up after ${t.policy.maxRestarts} restart(s)`);
      return;
    }
    this.fatal(t, exit, why);
  }

  private fatal(t: ManagedThread, exit: ThreadExit, why: string): void {
    const name = t.spec.name;
    t.state = 'failed';
    const error = new ThreadError('VELOZ_THREAD_EXIT', `thread ${name} ${why}`, { thread: name, cause: exit.error });
    this.logger.error(
      { thread: name, exitCode: exit.exitCode, handled: this.listenerCount('fatal') > 0 },
      `fatal: ${error.message}`,
    );
    this.emit('fatal', { name, error, exit });
  }

  private reportPlacement(t: ManagedThread, info: ThreadInfo): void {
    const name = t.spec.name;
    this.logger.info(
      { thread: name, tid: info.tid, cpus: info.cpus, incarnation: info.incarnation, waitStrategy: t.spec.waitStrategy },
      `thread ${name} started`,
    );
    if (info.schedFifo !== null && !info.schedFifo.ok) {
      this.logger.warn(
        { thread: name, errno: info.schedFifo.errno },
        `thread ${name}: ${info.schedFifo.message}; continuing under the normal scheduler ` +
          '(grant CAP_SYS_NICE or LimitRTPRIO in the systemd unit, or drop schedFifo)',
      );
    }
  }

  private warnAboutSpinning(): void {
    const spinning = this.managed.filter((t) => t.spec.waitStrategy === 'spin');
    for (const t of spinning) {
      if (t.spec.cpus === undefined) {
        this.logger.warn({ thread: t.spec.name }, `thread ${t.spec.name} spins without pinned cpus: it burns a shared core`);
      }
    }
    const cpus = availableParallelism();
    if (spinning.length >= cpus) {
      this.logger.warn(
        { spinning: spinning.length, cpus },
        `${spinning.length} spinning threads on ${cpus} cpus leave none for the io thread; use 'backoff' or 'block'`,
      );
    }
  }
}
