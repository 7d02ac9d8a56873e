/**
 * Flushing on the writer's own thread.
 *
 * 'always': every append is written and fdatasynced before append() returns, so its
 * seq is durable on return. Doing this through a flusher thread would only add a
 * cross-thread wake-up (~40-50 µs here) to an fsync that dominates anyway.
 *
 * 'group'/'none' inline: a timer flushes at the batch deadline, the size bound flushes
 * inside append(). Simple, but the oms thread then blocks for the whole write+fdatasync
 * of a batch (bench/wal-append.ts shows it in the p99.9 append latency), which is why
 * the default for those policies is the flusher thread.
 */
import type { FlushAgent } from './flush-agent.js';
import type { FlushDriver, FlushDriverEvents } from './flush-driver.js';
import type { DurablePosition } from './durable-position.js';
import type { SegmentAppender } from './segment-appender.js';
import { WalError, WalErrorCode } from './errors.js';

export class InlineFlushDriver implements FlushDriver {
  private timer: NodeJS.Timeout | null = null;
  private armed = false;
  private failure: Error | null = null;
  private readonly onTimer = (): void => {
    this.armed = false;
    try {
      this.flushNow();
    } catch (err) {
      // A timer cannot throw to anyone: the failure is kept and raised by the next call.
      this.fail(err);
    }
  };

  constructor(
    private readonly agent: FlushAgent,
    private readonly appender: SegmentAppender,
    private readonly durable: DurablePosition,
    private readonly everyAppend: boolean,
    private readonly delayMs: number,
    private readonly maxBatchBytes: number,
    private readonly events: FlushDriverEvents,
  ) {}

  afterCommit(): void {
    if (this.everyAppend || this.agent.available() >= this.maxBatchBytes) {
      this.guarded();
      return;
    }
    if (this.armed) return;
    this.armed = true;
    if (this.timer === null) this.timer = setTimeout(this.onTimer, this.delayMs);
    else this.timer.refresh();
  }

  waitForSpace(need: number, free: () => number): void {
    this.guarded();
    if (free() < need) throw new WalError(WalErrorCode.IO, `wal: ring still lacks ${need} bytes after a full flush`);
  }

  wantDurable(): void {
    // durable advances are reported synchronously after each flush
  }

  flushSoon(): void {
    this.disarm();
    this.guarded();
  }

  checkHealthy(): void {
    if (this.failure !== null) throw this.failure;
  }

  async close(): Promise<void> {
    this.disarm();
    if (this.failure !== null) return;
    this.flushNow();
    this.appender.close();
  }

  /** A cleared Timeout cannot be re-armed with refresh(): drop it, the next batch makes a new one. */
  private disarm(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.armed = false;
  }

  private guarded(): void {
    try {
      this.flushNow();
    } catch (err) {
      this.fail(err);
      throw this.failure;
    }
  }

  private flushNow(): void {
    this.checkHealthy();
    const before = this.durable.seq;
    this.agent.drainAll();
    const after = this.durable.seq;
    if (after !== before) this.events.durable(after);
  }

  private fail(err: unknown): void {
    if (this.failure !== null) return;
    this.failure = err instanceof Error ? err : new WalError(WalErrorCode.IO, String(err));
    this.events.failed(this.failure);
  }
}
