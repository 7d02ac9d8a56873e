/**
 * What crosses between the runtime and a worker outside the rings: the workerData at
 * start and ONE setup message back. Nothing here is on the hot path.
 */
import type { WaitStrategy } from './thread-spec.js';

export interface SchedOutcome {
  ok: boolean;
  errno: number;
  message: string;
}

export interface WorkerData {
  name: string;
  moduleUrl: string;
  cpus: number[] | null;
  schedFifo: number | null;
  waitStrategy: WaitStrategy;
  /** Name the role sees → the ring's memory. */
  rings: Record<string, SharedArrayBuffer>;
  control: SharedArrayBuffer;
  config: unknown;
  /** 0 on first start, n after the n-th restart. */
  incarnation: number;
}

/** Sent once, after placement and after the role module loaded, just before `run`. */
export interface ReadyMessage {
  kind: 'veloz.thread.ready';
  tid: number | null;
  /** The affinity the kernel reports after placement. */
  cpus: number[] | null;
  schedFifo: SchedOutcome | null;
}

export function isReadyMessage(m: unknown): m is ReadyMessage {
  return typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'veloz.thread.ready';
}
