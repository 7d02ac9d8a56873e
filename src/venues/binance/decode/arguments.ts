/**
 * Programmer errors of the decoder API (bad geometry, bad instrument table, wrong
 * argument types): thrown with a Node-style `code`, by the native and the TS decoder
 * alike. Venue input is never one of these: it gets a DecodeStatus.
 */
export type ArgumentErrorCode = 'ERR_INVALID_ARG_TYPE' | 'ERR_OUT_OF_RANGE' | 'ERR_INVALID_ARG_VALUE' | 'ERR_INVALID_STATE';

export function argumentError(
  kind: 'TypeError' | 'RangeError' | 'Error',
  code: ArgumentErrorCode,
  message: string,
): Error & { code: ArgumentErrorCode } {
  const err = (kind === 'TypeError' ? new TypeError(message) : kind === 'RangeError' ? new RangeError(message) : new Error(message)) as Error & {
    code: ArgumentErrorCode;
  };
  err.code = code;
  return err;
}
