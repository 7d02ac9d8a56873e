/**
 * Binance "timing security" for SIGNED requests: accepted iff
 * `timestamp < serverTime + 1000 && serverTime - timestamp <= recvWindow`, recvWindow
 * defaulting to 5000 and capped at 60000 ms. Timestamps may be milliseconds or
 * microseconds (16 digits); recvWindow may carry up to three decimals (microseconds).
 */
import { ApiErrors } from '../orderentry/errors.js';

export const DEFAULT_RECV_WINDOW_MS = 5000;
export const MAX_RECV_WINDOW_MS = 60000;
/** How far ahead of the server a timestamp may be. */
export const MAX_AHEAD_MS = 1000;

const INT_RE = /^[0-9]{1,17}$/;
const WINDOW_RE = /^[0-9]{1,9}(\.[0-9]{1,3})?$/;

/** Parses the `timestamp` param to microseconds since the epoch; throws -1102/-1100. */
export function parseTimestampUs(text: string | undefined): bigint {
  if (text === undefined || text === '') throw ApiErrors.mandatory('timestamp');
  if (!INT_RE.test(text)) throw ApiErrors.illegalChars('timestamp', '^[0-9]{1,20}$');
  const v = BigInt(text);
  // 16+ digits means microseconds (Binance accepts both units on the same field).
  return text.length >= 16 ? v : v * 1000n;
}

/** Parses `recvWindow` (ms, up to 3 decimals) to microseconds; throws -1102/-1100. */
export function parseRecvWindowUs(text: string | undefined): bigint {
  if (text === undefined) return BigInt(DEFAULT_RECV_WINDOW_MS) * 1000n;
  if (!WINDOW_RE.test(text)) throw ApiErrors.illegalChars('recvWindow', '^[0-9]{1,9}(\\.[0-9]{1,3})?$');
  const [int, frac = ''] = text.split('.') as [string, string?];
  const us = BigInt(int) * 1000n + BigInt((frac + '000').slice(0, 3));
  if (us > BigInt(MAX_RECV_WINDOW_MS) * 1000n) throw ApiErrors.tooLarge('recvWindow', String(MAX_RECV_WINDOW_MS));
  return us;
}

/** Throws -1021 unless the request time is inside the window around `serverTimeMs`. */
export function checkRequestTime(timestampUs: bigint, recvWindowUs: bigint, serverTimeMs: number): void {
  const serverUs = BigInt(Math.trunc(serverTimeMs)) * 1000n;
  if (timestampUs >= serverUs + BigInt(MAX_AHEAD_MS) * 1000n) throw ApiErrors.timestampAhead();
  if (serverUs - timestampUs > recvWindowUs) throw ApiErrors.timestampOutsideWindow();
}
