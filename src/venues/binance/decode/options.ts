import { argumentError } from './arguments.js';
import { MAX_MESSAGE_BYTES_LIMIT } from './codes.js';

/** maxMessageBytes: an integer in 1..64 MiB. */
export function checkMaxMessageBytes(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_MESSAGE_BYTES_LIMIT) {
    throw argumentError('RangeError', 'ERR_OUT_OF_RANGE', `maxMessageBytes must be an integer in 1..${MAX_MESSAGE_BYTES_LIMIT}, got ${String(n)}`);
  }
  return n;
}
