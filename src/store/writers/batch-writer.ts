/**
 * The queue and retry loop shared by the market-data writers. add() is synchronous and
 * O(1): it never waits for PostgreSQL. Rows are written in batches of `batchRows`, or
 * sooner once the oldest has waited `flushIntervalMs`; one batch is in flight at a time,
 * so rows reach the database in the order they were added.
 *
 * While PostgreSQL is down the batch is retried with exponential backoff and jitter
 * (retryInitialMs → retryMaxMs) and rows accumulate in memory up to `maxQueueRows`.
 * Beyond that, new rows are dropped: counted in stats().dropped and logged (at most
 * every 10 s), never silently. A batch that reached the server but whose reply was lost
 * is simply written again: every write is idempotent (ON CONFLICT).
 *
 *   add() ──► [chunk ≤ batchRows][chunk][chunk …]  ──pump──► one statement per chunk
 *              (tail takes new rows)                  └─ failed: back to the front, retry
 */
import type pg from 'pg';
import { SILENT_LOG, type StoreLog } from '../store-log.js';

export interface BatchWriterOptions {
  /** Rows per statement (default 1000). */
  batchRows?: number;
  /** Longest a row waits before a partial batch is written (default 1000 ms). */
  flushIntervalMs?: number;
  /** Rows held in memory while PostgreSQL is slow or down (default 100 000). */
  maxQueueRows?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  log?: StoreLog;
}

export interface BatchWriterStats {
  /** Rows taken by add(). */
  accepted: number;
  /** Rows refused by add() as malformed. */
  rejected: number;
  /** Rows refused by add() because the queue was full. */
  dropped: number;
  /** Rows in statements that succeeded (duplicates included). */
  written: number;
  /** Rows the database actually inserted or changed (written minus duplicates / no-op upserts). */
  changed: number;
  /** Failed statements (each retried). */
  retries: number;
  /** Rows waiting, including the batch in flight. */
  queued: number;
  lastError: string | null;
  /** Epoch ms of the first failure of the current outage, or null when healthy. */
  failingSinceMs: number | null;
}

const LOG_EVERY_MS = 10_000;

export abstract class BatchWriter<Row> {
  protected readonly pool: pg.Pool;
  protected readonly log: StoreLog;
  private readonly name: string;
  private readonly batchRows: number;
  private readonly flushIntervalMs: number;
  private readonly maxQueueRows: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly chunks: Row[][] = [];
  private pumping = false;
  private flushDue = false;
  private closing = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private backoffTimer: NodeJS.Timeout | null = null;
  private wakeBackoff: (() => void) | null = null;
  private backoffMs: number;
  private lastFailLogMs = 0;
  private lastDropLogMs = 0;
  private droppedAtLastLog = 0;
  private lastRejectLogMs = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly s: BatchWriterStats = {
    accepted: 0,
    rejected: 0,
    dropped: 0,
    written: 0,
    changed: 0,
    retries: 0,
    queued: 0,
    lastError: null,
    failingSinceMs: null,
  };

  protected constructor(name: string, pool: pg.Pool, opts: BatchWriterOptions = {}) {
    this.name = name;
    this.pool = pool;
    this.log = opts.log ?? SILENT_LOG;
    this.batchRows = positiveInt('batchRows', opts.batchRows ?? 1000);
    this.flushIntervalMs = positiveInt('flushIntervalMs', opts.flushIntervalMs ?? 1000);
    this.maxQueueRows = positiveInt('maxQueueRows', opts.maxQueueRows ?? 100_000);
    this.retryInitialMs = positiveInt('retryInitialMs', opts.retryInitialMs ?? 100);
    this.retryMaxMs = positiveInt('retryMaxMs', opts.retryMaxMs ?? 5000);
    this.backoffMs = this.retryInitialMs;
  }

  /** Writes one batch as one statement; returns the number of rows changed. */
  protected abstract writeBatch(rows: Row[]): Promise<number>;

  stats(): BatchWriterStats {
    return { ...this.s };
  }

  /** Counts (and rate-limits the log of) a malformed row. Always returns false. */
  protected reject(reason: string): false {
    this.s.rejected++;
    const now = Date.now();
    if (now - this.lastRejectLogMs >= LOG_EVERY_MS) {
      this.lastRejectLogMs = now;
      this.log.warn({ writer: this.name, reason, rejected: this.s.rejected }, 'malformed row refused');
    }
    return false;
  }

  /** Queues a row; false (and counted) if the queue is full or the writer is closed. */
  protected enqueue(row: Row): boolean {
    if (this.closing || this.s.queued >= this.maxQueueRows) {
      this.s.dropped++;
      this.logDrops();
      return false;
    }
    let tail = this.chunks[this.chunks.length - 1];
    if (tail === undefined || tail.length >= this.batchRows) {
      tail = [];
      this.chunks.push(tail);
    }
    tail.push(row);
    this.s.accepted++;
    this.s.queued++;
    if (tail.length >= this.batchRows) this.kick();
    else if (this.timer === null) this.armTimer();
    return true;
  }

  /**
   * Writes partial batches now and resolves once the queue is empty (retrying while
   * PostgreSQL is down; under a constant stream of add() it may never be: use close()).
   */
  async flush(): Promise<void> {
    if (this.s.queued === 0) return;
    this.flushDue = true;
    const idle = new Promise<void>((res) => this.idleWaiters.push(res));
    this.kick();
    this.wakeBackoff?.();
    await idle;
  }

  /**
   * Stops taking rows and writes what is queued, giving up after `timeoutMs`.
   * Returns how many rows were left unwritten (0 when everything reached the database).
   */
  async close(timeoutMs = 10_000): Promise<{ unwritten: number }> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      this.flush().then(() => true),
      new Promise<boolean>((res) => (timer = setTimeout(() => res(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    this.stopped = true;
    this.wakeBackoff?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const unwritten = this.s.queued;
    if (!done || unwritten > 0) {
      this.log.error({ writer: this.name, unwritten, lastError: this.s.lastError }, 'writer closed with rows not written');
    }
    return { unwritten };
  }

  private armTimer(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushDue = true;
      this.kick();
    }, this.flushIntervalMs);
    this.timer.unref();
  }

  private kick(): void {
    if (!this.pumping && !this.stopped) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (!this.stopped) {
        const head = this.chunks[0];
        if (head === undefined) break;
        if (head.length < this.batchRows && !this.flushDue && !this.closing) break;
        this.chunks.shift();
        let changed: number;
        try {
          changed = await this.writeBatch(head);
        } catch (err) {
          this.chunks.unshift(head);
          this.onFailure(err as Error);
          await this.backoff();
          continue;
        }
        this.s.queued -= head.length;
        this.s.written += head.length;
        this.s.changed += changed;
        this.onSuccess();
      }
    } finally {
      this.pumping = false;
    }
    if (this.chunks.length === 0) {
      this.flushDue = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    } else if (this.timer === null && !this.stopped) {
      this.armTimer();
    }
  }

  private onFailure(err: Error): void {
    this.s.retries++;
    this.s.lastError = err.message;
    const now = Date.now();
    if (this.s.failingSinceMs === null) {
      this.s.failingSinceMs = now;
      this.lastFailLogMs = now;
      this.log.warn({ writer: this.name, err: err.message, queued: this.s.queued }, 'PostgreSQL write failed; retrying with backoff, rows kept in memory');
    } else if (now - this.lastFailLogMs >= LOG_EVERY_MS) {
      this.lastFailLogMs = now;
      this.log.warn({ writer: this.name, err: err.message, queued: this.s.queued, retries: this.s.retries, dropped: this.s.dropped }, 'PostgreSQL still failing');
    }
  }

  private onSuccess(): void {
    if (this.s.failingSinceMs !== null) {
      this.log.info({ writer: this.name, outageMs: Date.now() - this.s.failingSinceMs, dropped: this.s.dropped }, 'PostgreSQL writes recovered');
      this.s.failingSinceMs = null;
    }
    this.backoffMs = this.retryInitialMs;
  }

  private backoff(): Promise<void> {
    // Full jitter between half and all of the current step, so writers do not retry in lockstep.
    const wait = Math.round(this.backoffMs / 2 + (Math.random() * this.backoffMs) / 2);
    this.backoffMs = Math.min(this.backoffMs * 2, this.retryMaxMs);
    return new Promise<void>((res) => {
      this.wakeBackoff = () => {
        if (this.backoffTimer) clearTimeout(this.backoffTimer);
        this.backoffTimer = null;
        this.wakeBackoff = null;
        res();
      };
      this.backoffTimer = setTimeout(() => this.wakeBackoff?.(), wait);
      this.backoffTimer.unref();
    });
  }

  private logDrops(): void {
    const now = Date.now();
    if (now - this.lastDropLogMs < LOG_EVERY_MS) return;
    this.lastDropLogMs = now;
    this.log.error(
      { writer: this.name, dropped: this.s.dropped, droppedSinceLastLog: this.s.dropped - this.droppedAtLastLog, maxQueueRows: this.maxQueueRows, lastError: this.s.lastError },
      'writer queue full: rows dropped',
    );
    this.droppedAtLastLog = this.s.dropped;
  }
}

function positiveInt(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
}
