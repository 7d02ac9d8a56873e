/** What the writer and its flusher worker tell each other (off the hot path only). */
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
}

export type FlusherMessage =
  | { kind: 'ready' }
  | { kind: 'durable'; seq: number }
  | { kind: 'error'; code: string; message: string; file?: string | undefined }
  | { kind: 'closed'; durableSeq: number };
