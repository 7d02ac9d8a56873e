/**
 * Errors of ring creation and attachment. These are configuration or programmer
 * errors (a bad capacity, a buffer that is not a ring); the hot path never throws:
 * a full ring, a closed ring and a lapped consumer are RingStatus return values.
 */
export const RingErrorCode = {
  CAPACITY: 'RING_CAPACITY',
  SLOT_BYTES: 'RING_SLOT_BYTES',
  CONSUMERS: 'RING_CONSUMERS',
  TOO_LARGE: 'RING_TOO_LARGE',
  POSITION: 'RING_POSITION',
  NOT_SHARED: 'RING_NOT_SHARED',
  BUFFER_SIZE: 'RING_BUFFER_SIZE',
  MAGIC: 'RING_MAGIC',
  VERSION: 'RING_VERSION',
  KIND: 'RING_KIND',
  HEADER: 'RING_HEADER',
  CONSUMER_INDEX: 'RING_CONSUMER_INDEX',
  CONSUMER_IN_USE: 'RING_CONSUMER_IN_USE',
  RESERVE: 'RING_RESERVE',
  WAIT_STRATEGY: 'RING_WAIT_STRATEGY',
} as const;
export type RingErrorCode = (typeof RingErrorCode)[keyof typeof RingErrorCode];

export class RingError extends Error {
  readonly code: RingErrorCode;

  constructor(code: RingErrorCode, message: string) {
    super(message);
    this.name = 'RingError';
    this.code = code;
  }
}
