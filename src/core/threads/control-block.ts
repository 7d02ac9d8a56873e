/**
 * The per-thread control block: a small SharedArrayBuffer the runtime and one worker
 * share, so stopping a thread needs no message (a spinning worker never reads its
 * message port). One cache line, so it never shares a line with ring data.
 *
 *   byte 0        4                                          64
 *        +--------+------------------------------------------+
 *        | STOP   |  reserved (heartbeat, phase: later)      |
 *        +--------+------------------------------------------+
 *   STOP: 0 = run, 1 = stop requested (written by the runtime, read by the worker)
 */
export const ControlBlockDescriptor = {
  BYTES: 64,
  STOP_INDEX: 0,
} as const;

export function createControlBlock(): SharedArrayBuffer {
  return new SharedArrayBuffer(ControlBlockDescriptor.BYTES);
}

/** Clears the stop flag before a (re)start. */
export function clearStop(words: Int32Array): void {
  Atomics.store(words, ControlBlockDescriptor.STOP_INDEX, 0);
}

/** Raises the stop flag and wakes a worker parked on it. */
export function requestStop(words: Int32Array): void {
  Atomics.store(words, ControlBlockDescriptor.STOP_INDEX, 1);
  Atomics.notify(words, ControlBlockDescriptor.STOP_INDEX);
}

export function isStopRequested(words: Int32Array): boolean {
  return Atomics.load(words, ControlBlockDescriptor.STOP_INDEX) !== 0;
}

/**
 * Parks the calling worker until stop is requested or `timeoutMs` passes; returns
 * whether stop was requested. Never call it on the main thread (Atomics.wait blocks it).
 */
export function waitForStop(words: Int32Array, timeoutMs: number): boolean {
  if (isStopRequested(words)) return true;
  Atomics.wait(words, ControlBlockDescriptor.STOP_INDEX, 0, timeoutMs);
  return isStopRequested(words);
}
