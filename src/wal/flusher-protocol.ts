/** What the writer and its flusher worker tell each other (off the hot path only). */
import type { MessagePort } from 'node:worker_threads';
import type { OpenSegment } from './segment-appender.js';

export interface FlusherWorkerData {
  dir: string;
  segment: OpenSegment | null;
  ringSab: SharedArrayBuffer;
  durableSab: SharedArrayBuffer;
  statsSab: SharedArrayBuffer;
  syncing: boolean;
  maxBatchBytes: number;
  maxDelayUs: number;
  /**
   * Failure details also go here: the writer reads them synchronously
   * (receiveMessageOnPort) when it sees the ERROR word in the middle of an append loop
   * that never yields to the event loop.
   */
  errorPort: MessagePort;
}

export interface FlusherFailure {
  code: string;
  message: string;
  file?: string | undefined;
}

export type FlusherMessage =
  | { kind: 'ready' }
  | { kind: 'durable'; seq: number }
  | ({ kind: 'error' } & FlusherFailure)
  | { kind: 'closed'; durableSeq: number };
