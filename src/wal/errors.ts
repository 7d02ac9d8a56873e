/**
 * Errors of the write-ahead log. `code` is stable (tests, alerts and the oms match on
 * it); corruption errors also name the file and byte offset so an operator can look.
 */
export const WalErrorCode = {
  /** A record or header that must be intact is not (mid-segment, sealed segment, gap). */
  CORRUPT: 'WAL_CORRUPT',
  /** A file system call failed; after a failed fsync the writer is dead (no retry). */
  IO: 'WAL_IO',
  /** The writer or reader was used after close(). */
  CLOSED: 'WAL_CLOSED',
  /** An option is out of range. */
  CONFIG: 'WAL_CONFIG',
  /** A payload above maxPayloadBytes. */
  RECORD_TOO_LARGE: 'WAL_RECORD_TOO_LARGE',
  /** A record type outside 0..65535. */
  RECORD_TYPE: 'WAL_RECORD_TYPE',
  /** The requested seq is below the oldest segment kept (retention deleted it). */
  SEQ_UNAVAILABLE: 'WAL_SEQ_UNAVAILABLE',
  /** Another live writer holds the directory. */
  LOCKED: 'WAL_LOCKED',
  /** The flusher made no progress within stallTimeoutMs while the ring was full. */
  STALLED: 'WAL_STALLED',
} as const;
export type WalErrorCode = (typeof WalErrorCode)[keyof typeof WalErrorCode];

export interface WalErrorDetail {
  file?: string;
  offset?: number;
  seq?: number;
  cause?: unknown;
}

export class WalError extends Error {
  readonly code: WalErrorCode;
  readonly file: string | undefined;
  readonly offset: number | undefined;
  readonly seq: number | undefined;

  constructor(code: WalErrorCode, message: string, detail: WalErrorDetail = {}) {
    super(message, detail.cause !== undefined ? { cause: detail.cause } : undefined);
    this.name = 'WalError';
    this.code = code;
    this.file = detail.file;
    this.offset = detail.offset;
    this.seq = detail.seq;
  }
}

/** Wraps a Node fs error as WAL_IO, keeping its errno code in the message. */
export function ioError(what: string, err: unknown, file?: string): WalError {
  const e = err as NodeJS.ErrnoException;
  const reason = e && typeof e === 'object' && 'code' in e ? `${e.code}: ${e.message}` : String(err);
  return new WalError(WalErrorCode.IO, `wal: ${what} failed (${reason})`, { file, cause: err });
}
