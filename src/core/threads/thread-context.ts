import type { WaitStrategy } from './thread-spec.js';

/**
 * What a role module's `run(ctx)` receives inside its worker. The role owns the
 * thread until `run` settles; it should poll `stopRequested()` between batches (or park
 * with `waitForStop`) and return once asked to stop. Returning before that, or
 * throwing, counts as an unexpected exit and the thread's exit policy applies.
 */
export interface ThreadContext {
  readonly name: string;
  /** Kernel thread id, or null if the native addon is unavailable. */
  readonly tid: number | null;
  /** The cpus the thread may run on, as the kernel reports them after placement. */
  readonly cpus: readonly number[] | null;
  readonly waitStrategy: WaitStrategy;
  readonly rings: Readonly<Record<string, SharedArrayBuffer>>;
  readonly config: unknown;
  /** 0 on first start; n after the n-th restart. */
  readonly incarnation: number;
  /** The control block (see control-block.ts), for roles that fold it into their own waits. */
  readonly control: Int32Array;
  stopRequested(): boolean;
  /** Parks until stop is requested or `timeoutMs` passes; returns whether stop was requested. */
  waitForStop(timeoutMs: number): boolean;
}

export type RoleRun = (ctx: ThreadContext) => void | Promise<void>;
